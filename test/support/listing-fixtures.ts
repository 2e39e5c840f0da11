import type { HttpClient } from './http-client.js';

const column = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  unit: null,
  personalInformation: false,
  tradeSecret: false,
  public: false,
  ...extra,
});

/** Asset bodies for listings: the fixture of the assets tests with the columns and attributes a case needs. */
export const assetVariants = {
  /** Enterprise data, unconditionally open: may be delivered as a file. */
  open: {
    openAttribute: 'unconditional',
    columns: [
      column('intersection_id', 'text', { public: true }),
      column('vehicle_count', 'integer', { unit: 'vehicles' }),
      column('mean_speed', 'decimal', { unit: 'km/h' }),
    ],
  },
  /** Enterprise data with a personal-information column: not open (DE 31), compute-only. */
  notOpen: {
    openAttribute: 'not-open',
    columns: [
      column('phone', 'text', { personalInformation: true }),
      column('monthly_spend', 'decimal', { unit: 'yuan' }),
      column('visits', 'integer'),
    ],
  },
  /** Public data, conditionally open, for guided or conditional-free pricing. */
  publicData: {
    dataKind: 'public',
    shareAttribute: 'conditional',
    openAttribute: 'conditional',
    title: '海东市公交刷卡客流（按站点、小时）',
    columns: [column('station', 'text', { public: true }), column('boardings', 'integer')],
  },
  /** Important data (DS 21 表1: serious harm to economic operation). */
  important: {
    openAttribute: 'not-open',
    classification: { affectedObject: 'economic-operation', harm: 'serious' },
    columns: [column('grid_load', 'decimal', { unit: 'MW' }), column('feeder', 'integer')],
  },
  /** Core data (DS 21 表1: serious harm to national security). */
  core: {
    openAttribute: 'not-open',
    classification: { affectedObject: 'national-security', harm: 'serious' },
    columns: [column('reading', 'integer')],
  },
} as const;

/** A compute listing body over `assetIds` at market price; tests override what they need. */
export function listingBody(
  assetIds: string[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    assetIds,
    title: '路口车流量统计（可用不可见）',
    description: 'Mean and sum of vehicle counts per intersection, computed in the sandbox.',
    pricing: { mode: 'market', priceFen: '150000' },
    billingUnits: ['per-computation'],
    delivery: 'compute',
    recipes: [{ recipe: 'mean', columns: ['vehicle_count'] }],
    minRows: 50,
    ...overrides,
  };
}

/** Creates, submits, approves and publishes a listing; returns its id. */
export async function publishedListing(
  merchant: HttpClient,
  operator: HttpClient,
  body: Record<string, unknown>,
): Promise<string> {
  const created = await merchant.post('/v1/listings', body);
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  for (const [client, path, payload] of [
    [merchant, 'submit', {}],
    [operator, 'review', { decision: 'approve', reason: 'complete' }],
    [merchant, 'publish', {}],
  ] as const) {
    const reply = await client.post(`/v1/listings/${id}/${path}`, payload);
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return id;
}
