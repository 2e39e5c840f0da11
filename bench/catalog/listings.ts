// Realistic catalogue entries from a seed: Chinese and English titles and descriptions across industries, merchants,
// pricing modes, prices, billing units and delivery modes. The catalogue bench loads 100,000 of them; the search tests
// use a few hundred as their fixture.
import type { BillingUnit, PricingMode } from '@app/compliance';
import type { CatalogEntry } from '@app/catalog';
import { seededRandom } from '../../test/support/seeded-random.js';

interface Industry {
  code: string;
  zh: string;
  subjects: string[];
  en: string[];
  fields: string[];
}

const INDUSTRIES: Industry[] = [
  {
    code: 'transport',
    zh: '交通',
    subjects: [
      '道路卡口流量',
      '公交刷卡客流',
      '地铁进出站客流',
      '网约车订单',
      '停车场泊位占用',
      '高速公路通行',
      '共享单车骑行',
    ],
    en: [
      'road checkpoint traffic flow',
      'bus smart-card ridership',
      'metro station entries and exits',
      'ride-hailing trips',
      'parking occupancy',
      'expressway toll transactions',
    ],
    fields: ['时间', '卡口编号', '车流量', '平均车速', '线路', '站点'],
  },
  {
    code: 'healthcare',
    zh: '医保',
    subjects: [
      '医保结算',
      '门诊费用明细',
      '住院费用',
      '药品目录使用',
      '定点医疗机构',
      '医保基金支出',
      '慢病用药',
    ],
    en: [
      'medical insurance settlements',
      'outpatient costs',
      'hospital admissions',
      'drug formulary usage',
      'designated clinics',
    ],
    fields: ['结算日期', '机构编码', '费用类别', '统筹支付', '个人支付'],
  },
  {
    code: 'meteorology',
    zh: '气象',
    subjects: ['逐小时气温', '降水观测', '空气质量指数', '台风路径', '气象观测站', '风速风向', '日照时数'],
    en: [
      'hourly temperature',
      'rainfall observations',
      'air quality index',
      'typhoon tracks',
      'weather station readings',
    ],
    fields: ['观测时间', '站号', '气温', '降水量', '相对湿度'],
  },
  {
    code: 'finance',
    zh: '金融',
    subjects: ['企业信用评分', '小微企业贷款', '支付交易流水', '保险理赔', '供应链金融票据', '税务信用等级'],
    en: [
      'company credit scores',
      'small business loans',
      'payment transactions',
      'insurance claims',
      'supply chain invoices',
    ],
    fields: ['统一社会信用代码', '评分', '贷款余额', '交易金额', '逾期天数'],
  },
  {
    code: 'energy',
    zh: '电力',
    subjects: ['用电负荷', '光伏发电量', '充电桩使用', '电网运行状态', '企业用电量', '储能充放电'],
    en: [
      'electricity load',
      'solar generation',
      'EV charger usage',
      'grid operations',
      'industrial power consumption',
    ],
    fields: ['时间', '台区', '负荷', '电量', '功率因数'],
  },
  {
    code: 'government',
    zh: '政务',
    subjects: ['市民热线工单', '行政审批办件', '企业登记注册', '不动产登记', '社会保障参保'],
    en: [
      'citizen hotline tickets',
      'administrative approvals',
      'business registrations',
      'property registrations',
    ],
    fields: ['受理时间', '事项', '办理状态', '区县'],
  },
  {
    code: 'logistics',
    zh: '物流',
    subjects: ['快递揽收量', '港口集装箱吞吐', '冷链运输温度', '货车轨迹', '仓储库存周转'],
    en: ['parcel pickups', 'port container throughput', 'cold chain temperatures', 'truck trajectories'],
    fields: ['日期', '网点', '件量', '重量', '温度'],
  },
  {
    code: 'agriculture',
    zh: '农业',
    subjects: ['农产品批发价格', '耕地墒情监测', '畜牧存栏', '农业气象灾害', '粮食产量'],
    en: ['farm produce wholesale prices', 'soil moisture monitoring', 'livestock inventory', 'grain output'],
    fields: ['品种', '价格', '市场', '日期'],
  },
];

const CITIES = [
  '北京市',
  '上海市',
  '深圳市',
  '杭州市',
  '成都市',
  '武汉市',
  '广州市',
  '南京市',
  '西安市',
  '重庆市',
  '苏州市',
  '合肥市',
];
const CITIES_EN = [
  'Beijing',
  'Shanghai',
  'Shenzhen',
  'Hangzhou',
  'Chengdu',
  'Wuhan',
  'Guangzhou',
  'Nanjing',
  "Xi'an",
  'Chongqing',
];
const SUFFIXES = ['数据', '数据集', '统计数据', '明细数据', '指数', '月度报表', '数据服务', '监测数据'];
const FREQUENCIES = ['实时', '每小时', '每日', '每周', '每月'];
const EN_FREQUENCIES = ['real-time', 'hourly', 'daily', 'weekly', 'monthly'];
const NOTES = [
  '数据已脱敏处理，不含个人信息。',
  '支持隐私计算，原始数据不出域。',
  '包含待处理工单与已办结工单。',
  '经数据资产登记，权属清晰。',
  '可按区县、时段灵活筛选。',
  '提供样例数据与字段说明文档。',
  '适用于城市治理、商业选址与风险评估。',
  '历史数据可回溯至2015年。',
];
const EN_NOTES = [
  'Personal information removed before listing.',
  'Available for privacy-preserving computation only; raw data never leaves the exchange.',
  'Includes pending and closed records.',
  'Registered data asset with clear ownership.',
  'Sample rows and a data dictionary are provided.',
];
const COMPANY_SUFFIXES = [
  '数据科技有限公司',
  '信息技术有限公司',
  '大数据中心',
  '数字科技股份有限公司',
  '智能科技有限公司',
];
const EN_COMPANIES = [
  'Data Works Ltd',
  'Analytics Co.',
  'Digital Services Ltd',
  'Information Technology Co.',
];
const RECIPES = ['sum', 'mean', 'variance', 'histogram', 'dot-product', 'regression'];
const GUIDED_CATEGORIES = ['public-transport', 'public-health', 'public-weather', 'public-registry'];
const UNITS: BillingUnit[] = ['one-off', 'subscription', 'per-computation'];

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `count` catalogue entries, the same ones for the same seed. */
export function generateListings(count: number, seed = 20261202): CatalogEntry[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const merchants = Array.from({ length: Math.max(4, Math.ceil(count / 400)) }, () => {
    const english = random() < 0.25;
    return {
      id: uuid(random),
      name: english
        ? `${pick(CITIES_EN)} ${pick(EN_COMPANIES)}`
        : `${pick(CITIES)}${pick(INDUSTRIES).zh}${pick(COMPANY_SUFFIXES)}`,
    };
  });
  const epoch = Date.UTC(2026, 10, 30);
  const entries: CatalogEntry[] = [];
  for (let i = 0; i < count; i++) {
    const industry = pick(INDUSTRIES);
    const merchant = pick(merchants);
    const english = random() < 0.3;
    let title: string;
    let description: string;
    if (english) {
      const subject = pick(industry.en);
      const city = pick(CITIES_EN);
      title = `${city} ${subject}${random() < 0.5 ? ' dataset' : ' data'}`;
      description =
        `${pick(EN_FREQUENCIES)} ${subject} for ${city}, ${2015 + Math.floor(random() * 10)} to date. ` +
        `${pick(EN_NOTES)} ${random() < 0.5 ? pick(EN_NOTES) : ''}` +
        (random() < 0.4 ? ` 数据来源：${pick(CITIES)}${industry.zh}部门。` : '');
    } else {
      const subject = pick(industry.subjects);
      const city = pick(CITIES);
      title = `${city}${subject}${pick(SUFFIXES)}`;
      description =
        `${city}${subject}，覆盖${2015 + Math.floor(random() * 10)}年至今，${pick(FREQUENCIES)}更新，` +
        `包含${pick(industry.fields)}、${pick(industry.fields)}等字段。${pick(NOTES)}${random() < 0.5 ? pick(NOTES) : ''}`;
    }
    const r = random();
    const pricingMode: PricingMode = r < 0.15 ? 'conditional-free' : r < 0.4 ? 'guided' : 'market';
    const priceFen =
      pricingMode === 'conditional-free' ? 0n : BigInt(Math.round(10 ** (4 + random() * 4)) * 100); // 100 yuan to 1,000,000 yuan, whole yuan
    const delivery = random() < 0.6 ? 'compute' : 'file';
    const units = UNITS.filter(() => random() < 0.5);
    entries.push({
      listingId: uuid(random),
      organisationId: merchant.id,
      merchantName: merchant.name,
      title,
      description,
      industry: industry.code,
      level: random() < 0.8 ? 'general' : 'important',
      pricingMode,
      priceFen,
      pricingCategory: pricingMode === 'guided' ? pick(GUIDED_CATEGORIES) : null,
      billingUnits: units.length ? units : [pick(UNITS)],
      delivery,
      recipes: delivery === 'compute' ? RECIPES.filter(() => random() < 0.4) : [],
      minRows: delivery === 'compute' ? 10 + Math.floor(random() * 990) : null,
      publishedAt: new Date(epoch - Math.floor(random() * 730 * 86_400_000)),
    });
  }
  return entries;
}
