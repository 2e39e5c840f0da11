import Database from 'better-sqlite3';
const db = new Database('/tmp/catbench/x.sqlite', { readonly: true });
const cols = `"doc_id", "published_at", "industry", "level", "pricing_mode", cast("price_fen" as text) as "price_fen", "bill_one_off", "bill_subscription", "bill_per_computation", "delivery"`;
for (let k = 0; k < 3; k++) {
let s = performance.now(); let r = db.prepare(`select ${cols} from catalog_entries`).all(); console.log('facet scan', r.length, (performance.now() - s).toFixed(0));
s = performance.now(); r = db.prepare(`select ${cols} from catalog_entries`).raw().all(); console.log('facet scan raw', r.length, (performance.now() - s).toFixed(0));
s = performance.now(); r = db.prepare(`select doc_id from catalog_entries`).all(); console.log('id scan', r.length, (performance.now() - s).toFixed(0));
s = performance.now(); r = db.prepare(`select "rowid" as "doc_id", -bm25("catalog_fts", 10.0, 4.0, 2.0) as "score" from "catalog_fts" where "catalog_fts" match ?`).all('"台风" AND "路径"'); console.log('台风路径 fts', r.length, (performance.now() - s).toFixed(0));
}
console.log(db.prepare('select avg(length(title_tokens)+length(body_tokens)+length(description)) a from catalog_entries').get());
