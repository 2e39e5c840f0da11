import type { HttpClient } from './http-client.js';

/**
 * A registration body as a merchant sends it: enterprise traffic data with no sensitive column, general level,
 * every right held by `holder`. Tests override what they need.
 */
export function assetBody(holder: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: '海东市路口车流量（5 分钟粒度）',
    description: 'Vehicle counts at 1,200 intersections, aggregated every five minutes.',
    industry: 'transport',
    dataKind: 'enterprise',
    source: { method: 'sensor', description: '地磁检测器，每 5 分钟汇总' },
    columns: [
      {
        name: 'intersection_id',
        type: 'text',
        unit: null,
        personalInformation: false,
        tradeSecret: false,
        public: true,
      },
      {
        name: 'vehicle_count',
        type: 'integer',
        unit: 'vehicles',
        personalInformation: false,
        tradeSecret: false,
        public: false,
      },
    ],
    rowCount: 1_200_000,
    updateFrequency: 'daily',
    timeRange: { start: '2025-01-01', end: '2025-12-31' },
    classification: { affectedObject: 'economic-operation', harm: 'general' },
    openAttribute: 'conditional',
    rights: [
      { right: 'holding', organisationId: holder, shareBasisPoints: 10_000 },
      { right: 'processing', organisationId: holder, shareBasisPoints: 10_000 },
      { right: 'operation', organisationId: holder, shareBasisPoints: 10_000 },
    ],
    ...overrides,
  };
}

/** Drafts, submits and (with a passed security review when the level asks for one) approves an asset. */
export async function registerAsset(
  merchant: HttpClient,
  operator: HttpClient,
  body: Record<string, unknown>,
): Promise<{ id: string; registrationNumber: string; level: string }> {
  const created = await merchant.post('/v1/assets', body);
  if (created.status !== 201) throw new Error(`register: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const submitted = await merchant.post(`/v1/assets/${id}/submit`);
  if (submitted.status !== 200)
    throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  if (created.body.level !== 'general') {
    const reviewed = await operator.post(`/v1/assets/${id}/security-review`, {
      passed: true,
      findings: '脱敏与访问控制符合要求',
    });
    if (reviewed.status !== 201)
      throw new Error(`security review: ${reviewed.status} ${JSON.stringify(reviewed.body)}`);
  }
  const approved = await operator.post(`/v1/assets/${id}/review`, {
    decision: 'approve',
    reason: 'complete',
  });
  if (approved.status !== 200)
    throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
  return { id, registrationNumber: approved.body.registrationNumber, level: approved.body.level };
}
