// The request path under load. `npm run bench -- api [--quick]`.
// Drives the bare route (GET /health) and representative authenticated reads with a buyer's API token, with
// autocannon, on SQLite and (when a server answers) PostgreSQL; prints requests/s, p50 and p99 latency and each
// route's ratio to the bare route's requests/s (`ledger_mine_uncached` defeats the API's page cache). The full run
// takes the median of three 6-second rounds at 10 and 100 connections; --quick does one 1-second round at 10
// connections. New market routes join ROUTES as they land.
import autocannon from 'autocannon';
import { isQuick, median, report } from '../report.js';
import { postgresReachable, startBenchServer, type BenchDb, type BenchServer } from './server.js';

const BENCH = 'api';

interface Route {
  name: string;
  /** The path of the n-th request (most routes ask for the same path every time). */
  path: (server: BenchServer, n: number) => string;
  authenticated: boolean;
}

const buyer = (server: BenchServer) => {
  const party = server.parties.find((p) => p.role === 'buyer');
  if (!party) throw new Error('the demo seed made no buyer');
  return party;
};

const ROUTES: Route[] = [
  { name: 'bare', path: () => '/health', authenticated: false },
  { name: 'auth_me', path: () => '/v1/auth/me', authenticated: true },
  {
    name: 'organisation',
    path: (s) => `/v1/organisations/${buyer(s).organisationId}`,
    authenticated: true,
  },
  { name: 'ledger_mine', path: () => '/v1/ledger/mine?limit=20', authenticated: true },
  // The same entries under ~1000 page sizes in turn: more pages than the API keeps, so every page is built afresh.
  {
    name: 'ledger_mine_uncached',
    path: (_, n) => `/v1/ledger/mine?limit=${21 + (n % 980)}`,
    authenticated: true,
  },
  { name: 'ledger_sth', path: () => '/v1/ledger/sth', authenticated: true },
];

interface Sample {
  rps: number;
  p50: number;
  p99: number;
}

async function drive(
  server: BenchServer,
  route: Route,
  connections: number,
  seconds: number,
): Promise<Sample> {
  let n = 0;
  const result = await autocannon({
    url: server.baseUrl + route.path(server, 0),
    requests: [{ setupRequest: (request) => ({ ...request, path: route.path(server, n++) }) }],
    connections,
    duration: seconds,
    headers: route.authenticated ? { authorization: `Bearer ${buyer(server).token}` } : {},
  });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(
      `${route.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/** `--name=value` from the command line, for a narrower run (e.g. `--db=sqlite --connections=10 --rounds=5`). */
const option = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

async function benchDatabase(db: BenchDb, quick: boolean): Promise<void> {
  const server = await startBenchServer(db);
  try {
    const connectionCounts = option('connections')?.split(',').map(Number) ?? (quick ? [10] : [10, 100]);
    const rounds = Number(option('rounds') ?? (quick ? 1 : 3));
    const seconds = Number(option('seconds') ?? (quick ? 1 : 6));
    for (const route of ROUTES) await drive(server, route, 10, quick ? 0.5 : 2); // warm-up: JIT, statement caches
    for (const connections of connectionCounts) {
      const samples = new Map<string, Sample[]>(ROUTES.map((r) => [r.name, []]));
      // Routes interleaved round by round, so a burst of load from elsewhere on the machine hits them alike.
      for (let round = 0; round < rounds; round++) {
        for (const route of ROUTES)
          samples.get(route.name)!.push(await drive(server, route, connections, seconds));
      }
      const bareRps = median(samples.get('bare')!.map((s) => s.rps));
      for (const route of ROUTES) {
        const list = samples.get(route.name)!;
        const prefix = `${route.name}.${db}.c${connections}`;
        const rps = median(list.map((s) => s.rps));
        const figure = (name: string, value: number, unit: string) =>
          report({ bench: BENCH, figure: `${prefix}.${name}`, value, unit, n: list.length });
        figure('rps', Math.round(rps), 'requests/s');
        figure('p50_ms', median(list.map((s) => s.p50)), 'ms');
        figure('p99_ms', median(list.map((s) => s.p99)), 'ms');
        if (route.name !== 'bare') figure('ratio_to_bare', Math.round((rps / bareRps) * 100) / 100, 'ratio');
      }
    }
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const quick = isQuick();
  const only = option('db');
  if (only !== 'postgresql') await benchDatabase('sqlite', quick);
  if (only === 'sqlite') return;
  if (await postgresReachable()) await benchDatabase('postgresql', quick);
  else console.error('api bench: no PostgreSQL server answers (DATABASE_URL or 127.0.0.1:5432); skipped it');
}

await main();
