// The catalogue search under load. `npm run bench -- catalog [--quick]`.
// Generates 100,000 listings from a seed (2,000 with --quick), loads them through CatalogIndex.publish (the code the
// listing service calls, in transactions of 1,000), prints load time and index size, then starts the real API as
// its own process over that database and drives GET /health (the framework's ceiling) and searches with autocannon:
//   common        q=数据, which matches most listings
//   rare          a word few listings hold
//   english       an English word
//   filtered      q=数据 with industry, pricing mode, billing unit and price filters (facets counted under them)
//   cold_filters  q=数据 with a different price filter on every request: no cached answer, the match set cached
//   cold_text     a different text query on every request, cycling through more queries than the process keeps:
//                 every request reads the database's full-text index
// Every request carries `Accept-Encoding: gzip, deflate, br`, as browsers send it.
// Each figure is a JSON line {bench, figure, value, unit, n}: rps, p50 and p99 per scenario and the ratio of its
// rps to /health's. On SQLite and, when a server answers, PostgreSQL. Options: --db=sqlite|postgresql,
// --listings=N, --connections=10,50, --rounds=N, --seconds=N.
import autocannon from 'autocannon';
import { startApiProcess, type ApiProcess } from '../../test/support/api-process.js';
import { postgresReachable } from '../postgres-server.js';
import { isQuick, median, report } from '../report.js';
import { load, prepare, type Db } from './seed.js';

const BENCH = 'catalog';

const option = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const COLD_WORDS = [
  '北京',
  '上海',
  '深圳',
  '杭州',
  '成都',
  '武汉',
  '广州',
  '南京',
  '西安',
  '重庆',
  '苏州',
  '合肥',
  'beijing',
  'shanghai',
  'shenzhen',
  'hangzhou',
  'chengdu',
  'wuhan',
];
const COLD_SUBJECTS = [
  '卡口',
  '公交',
  '地铁',
  '网约车',
  '停车',
  '高速',
  '单车',
  '结算',
  '门诊',
  '住院',
  '药品',
  '医疗机构',
  '基金',
  '气温',
  '降水',
  '空气质量',
  '台风',
  '观测站',
  '风速',
  '日照',
  '信用',
  '贷款',
  '支付',
  '理赔',
  '票据',
  '税务',
  '负荷',
  '光伏',
  '充电桩',
  '电网',
  '用电',
  '储能',
  '热线',
  '审批',
  '登记',
  '快递',
  '集装箱',
  '冷链',
  '货车',
  '库存',
  '批发',
  '墒情',
  '畜牧',
  '粮食',
  'traffic',
  'metro',
  'parking',
  'insurance',
  'outpatient',
  'rainfall',
  'typhoon',
  'credit',
  'loans',
  'payment',
  'solar',
  'charger',
  'grid',
  'parcel',
  'port',
  'grain',
  'livestock',
];

interface Scenario {
  name: string;
  path: (n: number) => string;
}

const q = (text: string, rest = '') => `/v1/catalog?q=${encodeURIComponent(text)}${rest}`;
const SCENARIOS: Scenario[] = [
  { name: 'bare', path: () => '/health' },
  { name: 'common', path: () => q('数据') },
  { name: 'rare', path: () => q('台风路径') },
  { name: 'english', path: () => q('traffic') },
  {
    name: 'filtered',
    path: () =>
      q('数据', '&industry=transport&pricingMode=market&billingUnit=subscription&minPriceFen=100000'),
  },
  { name: 'cold_filters', path: (n) => q('数据', `&minPriceFen=${100_000 + (n % 1_000_000)}`) },
  {
    name: 'cold_text',
    path: (n) =>
      q(
        `${COLD_WORDS[n % COLD_WORDS.length]} ${COLD_SUBJECTS[Math.floor(n / COLD_WORDS.length) % COLD_SUBJECTS.length]}`,
      ),
  },
];

interface Sample {
  rps: number;
  p50: number;
  p99: number;
}

async function drive(
  baseUrl: string,
  scenario: Scenario,
  connections: number,
  seconds: number,
): Promise<Sample> {
  let n = Math.floor(Math.random() * 1_000_000); // another start each round: cold stays cold across rounds
  const result = await autocannon({
    url: baseUrl + scenario.path(0),
    requests: [{ setupRequest: (request) => ({ ...request, path: scenario.path(n++) }) }],
    connections,
    duration: seconds,
    // As a browser sends it (the search answers gzip to it; /health is too small to be compressed).
    headers: { 'accept-encoding': 'gzip, deflate, br' },
  });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(
      `${scenario.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function benchDatabase(db: Db, quick: boolean): Promise<void> {
  const count = Number(option('listings') ?? (quick ? 2_000 : 100_000));
  const prepared = await prepare(db);
  let api: ApiProcess | undefined;
  try {
    await load(db, prepared.env, count);
    api = await startApiProcess(prepared.env);
    const baseUrl = api.baseUrl;
    // The first request for the common term builds its match set from the database: the cold cost of one query.
    for (const [name, path] of [
      ['first_common', q('数据')],
      ['first_empty', '/v1/catalog'],
    ] as const) {
      const started = performance.now();
      const reply = await fetch(baseUrl + path);
      if (!reply.ok) throw new Error(`${path}: ${reply.status} ${await reply.text()}`);
      const body = (await reply.json()) as { total: number };
      report({
        bench: BENCH,
        figure: `${db}.${name}_ms`,
        value: Math.round(performance.now() - started),
        unit: 'ms',
        n: body.total,
      });
    }
    const connectionCounts = option('connections')?.split(',').map(Number) ?? [10];
    const rounds = Number(option('rounds') ?? (quick ? 1 : 3));
    const seconds = Number(option('seconds') ?? (quick ? 1 : 5));
    for (const s of SCENARIOS) await drive(baseUrl, s, 10, quick ? 0.5 : 2); // warm-up: JIT, caches
    for (const connections of connectionCounts) {
      const samples = new Map<string, Sample[]>(SCENARIOS.map((s) => [s.name, []]));
      for (let round = 0; round < rounds; round++)
        for (const s of SCENARIOS) samples.get(s.name)!.push(await drive(baseUrl, s, connections, seconds));
      const bareRps = median(samples.get('bare')!.map((s) => s.rps));
      for (const s of SCENARIOS) {
        const list = samples.get(s.name)!;
        const rps = median(list.map((x) => x.rps));
        const figure = (name: string, value: number, unit: string) =>
          report({
            bench: BENCH,
            figure: `${db}.${s.name}.c${connections}.${name}`,
            value,
            unit,
            n: list.length,
          });
        figure('rps', Math.round(rps), 'requests/s');
        figure('p50_ms', median(list.map((x) => x.p50)), 'ms');
        figure('p99_ms', median(list.map((x) => x.p99)), 'ms');
        if (s.name !== 'bare') figure('ratio_to_bare', Math.round((rps / bareRps) * 100) / 100, 'ratio');
      }
    }
  } finally {
    await api?.kill('SIGTERM');
    await prepared.cleanup();
  }
}

async function main(): Promise<void> {
  const quick = isQuick();
  const only = option('db');
  if (only !== 'postgresql') await benchDatabase('sqlite', quick);
  if (only === 'sqlite') return;
  if (await postgresReachable()) await benchDatabase('postgresql', quick);
  else
    console.error('catalog bench: no PostgreSQL server answers (DATABASE_URL or 127.0.0.1:5432); skipped it');
}

await main();
