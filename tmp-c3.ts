import { loadConfig } from '@app/core';
import { openDatabase } from '@app/database';
import { DOMAIN_ENTITIES } from '@app/platform';
const config = loadConfig({ ...process.env, NODE_ENV: 'development', CHAIN_RPC_URL: 'off', DATA_DIR: '/tmp/catbench', DATABASE_URL: 'sqlite:/tmp/catbench/x.sqlite', REDIS_URL: '' });
const orm = await openDatabase(config, DOMAIN_ENTITIES);
const c = orm.em.getConnection();
const cols = `"doc_id", "published_at", "industry", "level", "pricing_mode", cast("price_fen" as text) as "price_fen", "bill_one_off", "bill_subscription", "bill_per_computation", "delivery"`;
for (let k = 0; k < 3; k++) {
  let s = performance.now(); let r: any[] = await c.execute('select doc_id from catalog_entries'); console.log('orm id scan', r.length, (performance.now() - s).toFixed(0));
  s = performance.now(); r = await c.execute(`select ${cols} from catalog_entries`); console.log('orm facet scan', r.length, (performance.now() - s).toFixed(0));
  s = performance.now(); r = await c.execute(`select ${cols} from catalog_entries where doc_id > ?`, [0]); console.log('orm facet scan param', r.length, (performance.now() - s).toFixed(0));
}
await orm.close();
