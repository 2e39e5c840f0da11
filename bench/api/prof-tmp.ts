import autocannon from 'autocannon';
import { startBenchServer } from './server.js';
const s = await startBenchServer('sqlite', { NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=/tmp/prof' });
const buyer = s.parties.find((p) => p.role === 'buyer')!;
const r = await autocannon({ url: `${s.baseUrl}/v1/ledger/sth`, connections: 10, duration: 6, headers: { authorization: `Bearer ${buyer.token}` } });
console.log('rps', r.requests.average, 'p99', r.latency.p99);
await s.stop();
