import type { INestApplicationContext } from '@nestjs/common';
import type { Principal } from '@app/identity';
import { ComplaintService, IncidentService, RiskReportService } from '@app/oversight';

/** Who takes part in the oversight demo. */
export interface DemoOversightParties {
  operator: Principal;
  merchant: Principal;
}

export interface DemoOversightReport {
  incident: { id: string; level: number; state: string; summaryDueAt: string | null };
  riskReport: { id: string; periodYear: number; contentSha256: string };
  /** The receipt code is shown only in the run that filed the complaint; later runs print null. */
  complaint: { id: string; state: string; receiptCode: string | null };
}

const INCIDENT_TITLE = '医保结算明细密文分片访问日志异常（演示事件）';
const COMPLAINT_STATEMENT =
  '空气质量监测数据产品的描述称“覆盖全市全部站点”，但样例中只有部分站点，疑似虚假宣传（演示举报）。';

/**
 * Something for the regulators' views to show (issue 12): the merchant reports an incident on the important
 * medical-insurance asset (表2/表3 level 3, so the regulators are told at once and a DS 16 summary falls due in a
 * week; the asset's other rights holders are notified), files its yearly risk assessment report from the draft its
 * DS 22 catalogue prefills, and somebody without an account complains about the air-quality listing, which the
 * operator triages. Idempotent: what exists already is kept, so `demo seed` can run again.
 */
export async function seedDemoOversight(
  context: INestApplicationContext,
  parties: DemoOversightParties,
  market: { importantAssetId: string; complainedListingId: string },
): Promise<DemoOversightReport> {
  const { operator, merchant } = parties;
  const incidents = context.get(IncidentService);
  let incident = (await incidents.list(merchant, { limit: 100 })).incidents.find(
    (i) => i.title === INCIDENT_TITLE,
  );
  if (!incident) {
    const reported = await incidents.report(merchant, {
      title: INCIDENT_TITLE,
      description:
        '夜间巡检发现一个已吊销的 API 令牌在吊销前 20 分钟内批量读取了医保结算数据集的密文分片清单。密文无法在平台解密，' +
        '但清单暴露了数据集规模与更新时间。An API token revoked later listed the dataset’s ciphertext chunks.',
      occurredAt: new Date(Date.now() - 6 * 60 * 60 * 1000),
      affectedAssetIds: [market.importantAssetId],
      businessLoss: 'larger',
      socialHarm: 'larger',
      measures:
        '轮换贵方在本平台的 API 令牌；核对 6 小时内的下载与计算记录；如发现异常，通过事件编号联系交易所。' +
        'Rotate your API tokens and review the last six hours of downloads and computations.',
    });
    incident = reported.incident;
  }

  const reports = context.get(RiskReportService);
  const draft = await reports.draft(merchant);
  let report = (await reports.list(merchant, { year: draft.periodYear, limit: 1 })).reports[0];
  if (!report) {
    report = (
      await reports.file(merchant, {
        periodYear: draft.periodYear,
        assessorKind: 'self',
        assessorName: null,
        assessorCreditCode: null,
        importantData: draft.importantData,
        processingActivities:
          '登记与挂牌医保结算明细；数据由持有方在本地以同态加密后上传，平台只保存密文并在沙箱中计算，结果经数据持有方放行。',
        risks: [
          {
            risk: '令牌泄露导致密文分片清单被读取',
            measure: '令牌最长 30 天、按角色限权；异常访问告警',
            effectiveness: 'partly-effective',
          },
          {
            risk: '差分攻击推断个体记录',
            measure: '最少 20 行聚合、差分比对与 ε 预算',
            effectiveness: 'effective',
          },
        ],
        conclusion: '风险可控；需在下一季度完成令牌轮换自动化。',
        supersedesId: null,
      })
    ).report;
  }

  const complaints = context.get(ComplaintService);
  let complaint = (await complaints.list(operator, { limit: 100 })).complaints.find(
    (c) => c.subjectId === market.complainedListingId && c.category === 'misleading-listing',
  );
  let receiptCode: string | null = null;
  if (!complaint) {
    const filed = await complaints.file(
      { principal: null, clientAddress: '127.0.0.1' },
      {
        category: 'misleading-listing',
        subjectKind: 'listing',
        subjectId: market.complainedListingId,
        statement: COMPLAINT_STATEMENT,
        evidenceHashes: [],
        contact: null,
      },
    );
    receiptCode = filed.receiptCode;
    complaint = await complaints.triage(operator, filed.complaint.id, '已受理，正在核实挂牌描述与样例。');
  }

  return {
    incident: {
      id: incident.id,
      level: incident.level,
      state: incident.state,
      summaryDueAt: incident.summaryDueAt?.toISOString() ?? null,
    },
    riskReport: { id: report.id, periodYear: report.periodYear, contentSha256: report.contentSha256 },
    complaint: { id: complaint.id, state: complaint.state, receiptCode },
  };
}
