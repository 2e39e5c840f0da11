import type { INestApplicationContext } from '@nestjs/common';
import { AssetReviewService, AssetService, type AssetInput } from '@app/assets';
import { ListingService, PricingBandService, type NewListing } from '@app/catalog';
import type { Principal } from '@app/identity';

/** Who acts in the demo market: the parties `demo seed` has just made or found. */
export interface DemoMarketParties {
  operator: Principal;
  regulator: Principal;
  merchant: Principal;
  /** A data-service firm that holds the processing right of the medical asset and a share of its operation right. */
  partner: Principal;
  /** The hospital whose records the medical asset is: it holds the resource (持有权). */
  hospital: Principal;
}

export interface DemoMarketReport {
  assets: { id: string; title: string; level: string; registrationNumber: string | null }[];
  listings: {
    id: string;
    title: string;
    pricing: string;
    status: string;
    priceFen: string;
    delivery: string;
  }[];
}

const TRANSPORT_BAND = {
  category: 'transport',
  minFen: 50_000n,
  maxFen: 500_000n,
  publicResourceFeeBasisPoints: 1_000,
};

const column = (
  name: string,
  type: AssetInput['columns'][number]['type'],
  unit: string | null,
  flags: { personalInformation?: boolean; tradeSecret?: boolean; public?: boolean } = {},
): AssetInput['columns'][number] => ({
  name,
  type,
  unit,
  personalInformation: flags.personalInformation ?? false,
  tradeSecret: flags.tradeSecret ?? false,
  public: flags.public ?? false,
});

const whole = (organisationId: string) =>
  (['holding', 'processing', 'operation'] as const).map((right) => ({
    right,
    organisationId,
    shareBasisPoints: 10_000,
  }));

/** Four realistic assets: public transport (guided), air quality (conditional free), medical claims (important, not open, three holders), power load. */
function demoAssets(p: DemoMarketParties): (AssetInput & { securityReview?: string })[] {
  return [
    {
      title: '海东市公共交通刷卡客流统计（2024 年，按线路按小时）',
      description:
        '全市 46 条公交线路的刷卡与扫码乘车记录，按线路、站点和小时汇总的客流量，不含任何乘客身份信息。Hourly boardings per bus line and stop in Haidong, 2024.',
      industry: 'transport',
      dataKind: 'public',
      source: { method: 'transaction-log', description: '公交一卡通与扫码支付系统的乘车记录，按小时汇总' },
      columns: [
        column('line_code', 'text', null, { public: true }),
        column('stop_name', 'text', null, { public: true }),
        column('hour', 'date', null, { public: true }),
        column('boardings', 'integer', 'persons/hour', { public: true }),
      ],
      rowCount: 3_862_080,
      updateFrequency: 'daily',
      timeRange: { start: '2024-01-01', end: '2024-12-31' },
      classification: { affectedObject: 'public-interest', harm: 'general' },
      declaredLevel: null,
      openAttribute: 'unconditional',
      shareAttribute: 'unconditional',
      rights: whole(p.merchant.organisationId),
    },
    {
      title: '海东市空气质量监测站小时数据',
      description:
        '全市 12 个国控与省控空气质量监测站的 PM2.5、PM10、臭氧、二氧化氮小时浓度，用于公共治理与科研。Hourly air-quality readings from 12 monitoring stations.',
      industry: 'environment',
      dataKind: 'public',
      source: { method: 'sensor', description: '空气质量自动监测站，每小时上报' },
      columns: [
        column('station', 'text', null, { public: true }),
        column('observed_at', 'date', null, { public: true }),
        column('pm25', 'decimal', 'μg/m³', { public: true }),
        column('pm10', 'decimal', 'μg/m³', { public: true }),
        column('o3', 'decimal', 'μg/m³', { public: true }),
      ],
      rowCount: 105_120,
      updateFrequency: 'hourly',
      timeRange: { start: '2025-01-01', end: '2025-12-31' },
      classification: { affectedObject: 'public-interest', harm: 'general' },
      declaredLevel: null,
      openAttribute: 'unconditional',
      shareAttribute: 'conditional',
      rights: whole(p.merchant.organisationId),
    },
    {
      title: '定点医疗机构医保结算明细（脱敏，可用不可见）',
      description:
        '海东市定点医疗机构的医保结算明细：病种、费用、报销金额和住院天数。含个人信息，只提供密文计算，原始数据不出域。Medical-insurance claims, compute-only.',
      industry: 'healthcare',
      dataKind: 'enterprise',
      source: { method: 'transaction-log', description: '医保结算系统导出，患者身份字段已替换为假名' },
      columns: [
        column('patient_pseudonym', 'text', null, { personalInformation: true }),
        column('diagnosis_group', 'text', null),
        column('total_cost', 'decimal', 'CNY'),
        column('reimbursed', 'decimal', 'CNY'),
        column('inpatient_days', 'integer', 'days'),
      ],
      rowCount: 1_284_000,
      updateFrequency: 'monthly',
      timeRange: { start: '2023-01-01', end: '2025-06-30' },
      classification: { affectedObject: 'public-interest', harm: 'serious' },
      declaredLevel: null,
      openAttribute: 'not-open',
      shareAttribute: null,
      rights: [
        { right: 'holding', organisationId: p.hospital.organisationId, shareBasisPoints: 10_000 },
        { right: 'processing', organisationId: p.partner.organisationId, shareBasisPoints: 10_000 },
        { right: 'operation', organisationId: p.merchant.organisationId, shareBasisPoints: 6_000 },
        { right: 'operation', organisationId: p.partner.organisationId, shareBasisPoints: 4_000 },
      ],
      securityReview:
        '假名化字段不可逆；只以同态密文提供，结果经 k ≥ 20 与差分隐私噪声发布；签署数据安全协议（DS 35）',
    },
    {
      title: '工业园区企业用电负荷曲线（15 分钟）',
      description:
        '河湟工业园区 318 家企业的 15 分钟用电负荷曲线与行业代码，可用于产能与景气分析。含企业经营信息，属商业秘密，只提供密文计算。Industrial power load curves, compute-only.',
      industry: 'energy',
      dataKind: 'enterprise',
      source: { method: 'sensor', description: '智能电表采集，按 15 分钟汇总' },
      columns: [
        column('enterprise_code', 'text', null, { tradeSecret: true }),
        column('industry_code', 'text', null),
        column('interval_start', 'date', null),
        column('load_kw', 'decimal', 'kW', { tradeSecret: true }),
      ],
      rowCount: 11_138_000,
      updateFrequency: 'daily',
      timeRange: { start: '2024-07-01', end: '2025-06-30' },
      classification: { affectedObject: 'economic-operation', harm: 'general' },
      declaredLevel: null,
      openAttribute: 'not-open',
      shareAttribute: null,
      rights: whole(p.merchant.organisationId),
    },
  ];
}

function demoListings(assetIds: string[]): NewListing[] {
  const [transport, air, claims, power] = assetIds;
  return [
    {
      assetIds: [transport],
      title: '公交客流统计数据包（2024）',
      description:
        '按线路、站点和小时汇总的全年公交客流，CSV 文件交付，适合线网优化与商业选址。Bus ridership by line, stop and hour.',
      pricing: { mode: 'guided', priceFen: 200_000n, category: 'transport' },
      billingUnits: ['one-off'],
      subscriptionDays: null,
      delivery: 'file',
      recipes: [],
      minRows: null,
    },
    {
      assetIds: [air],
      title: '空气质量小时数据（公益科研免费使用）',
      description:
        '用于公共治理与公益科研的空气质量小时数据，有条件无偿使用，需说明用途并经交易机构审核。Free for public-interest research.',
      pricing: { mode: 'conditional-free', priceFen: 0n, category: null },
      billingUnits: ['subscription'],
      subscriptionDays: 365,
      delivery: 'file',
      recipes: [],
      minRows: null,
    },
    {
      assetIds: [claims],
      title: '医保结算统计计算服务（可用不可见）',
      description:
        '在密文上按病种统计医保费用与报销的总额、均值和分布，结果加差分隐私噪声发布，原始数据不出域。Encrypted statistics on medical claims.',
      pricing: { mode: 'market', priceFen: 8_000n, category: null },
      billingUnits: ['per-computation'],
      subscriptionDays: null,
      delivery: 'compute',
      recipes: [
        { recipe: 'sum', columns: ['total_cost'] },
        { recipe: 'mean', columns: ['reimbursed'] },
        { recipe: 'histogram', columns: ['inpatient_days'] },
      ],
      minRows: 20,
    },
    {
      assetIds: [power],
      title: '园区用电景气指数计算服务',
      description:
        '在密文上计算园区企业用电负荷的总量与均值，反映产能与景气变化，企业数据不出域。Encrypted power-load aggregates.',
      pricing: { mode: 'market', priceFen: 150_000n, category: null },
      billingUnits: ['subscription', 'per-computation'],
      subscriptionDays: 90,
      delivery: 'compute',
      recipes: [
        { recipe: 'sum', columns: ['load_kw'] },
        { recipe: 'mean', columns: ['load_kw'] },
        { recipe: 'variance', columns: ['load_kw'] },
        { recipe: 'count', columns: ['load_kw'] },
      ],
      minRows: 10,
    },
  ];
}

const PRICING_NAMES = { guided: '政府指导定价', 'conditional-free': '有条件无偿', market: '市场定价' };

/**
 * A small market on top of the demo parties: the regulator's transport band, four registered assets (one important
 * with three rights holders, two not open) and a published listing in each pricing mode. Idempotent by title: what
 * exists already is kept, so `demo seed` can run again.
 */
export async function seedDemoMarket(
  context: INestApplicationContext,
  parties: DemoMarketParties,
): Promise<DemoMarketReport> {
  const bands = context.get(PricingBandService);
  if ((await bands.list({ category: TRANSPORT_BAND.category })).length === 0) {
    await bands.publish(parties.regulator, TRANSPORT_BAND);
  }

  const assetService = context.get(AssetService);
  const reviews = context.get(AssetReviewService);
  const existingAssets = await assetService.list(parties.merchant);
  const assets = [];
  for (const { securityReview, ...input } of demoAssets(parties)) {
    let asset = existingAssets.find((a) => a.title === input.title);
    if (!asset) {
      asset = await assetService.register(parties.merchant, input);
      await assetService.submit(parties.merchant, asset.id);
      if (securityReview) {
        await reviews.securityReview(parties.operator, asset.id, { passed: true, findings: securityReview });
      }
      asset = await reviews.reviewRegistration(parties.operator, asset.id, 'approve', '材料齐全，演示登记');
    }
    assets.push(asset);
  }

  const listingService = context.get(ListingService);
  const existingListings = (await listingService.list(parties.merchant, { limit: 100 })).records;
  const listings = [];
  for (const input of demoListings(assets.map((a) => a.id))) {
    let record = existingListings.find((r) => r.listing.title === input.title);
    if (!record) {
      const { listing } = await listingService.create(parties.merchant, input);
      await listingService.transition(parties.merchant, listing.id, 'submit', null);
      await listingService.transition(
        parties.operator,
        listing.id,
        'approve',
        '合规、安全与算法审核通过（演示）',
      );
      record = await listingService.transition(parties.merchant, listing.id, 'publish', null);
    }
    listings.push({
      id: record.listing.id,
      title: record.listing.title,
      pricing: PRICING_NAMES[record.listing.pricingMode],
      status: record.listing.status,
      priceFen: record.listing.priceFen.toString(),
      delivery: record.listing.delivery,
    });
  }
  return {
    assets: assets.map((a) => ({
      id: a.id,
      title: a.title,
      level: a.level,
      registrationNumber: a.registrationNumber ?? null,
    })),
    listings,
  };
}
