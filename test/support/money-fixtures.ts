import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { assetBody, registerAsset } from './asset-fixtures.js';
import type { HttpClient, Reply } from './http-client.js';
import { listingBody, publishedListing } from './listing-fixtures.js';
import type { TestApp } from './test-app.js';

/** What the money tests share: a listing to hang contracts on, deposits, funding, balances, the trial balance. */

/** A published compute listing of `merchant`'s (contracts reference a listing). */
export async function someListing(merchant: HttpClient, merchantId: string, operator: HttpClient) {
  const asset = await registerAsset(merchant, operator, assetBody(merchantId));
  return publishedListing(merchant, operator, listingBody([asset.id]));
}

export const deposit = (
  operator: HttpClient,
  organisationId: string,
  amountFen: string,
  key = randomUUID(),
) =>
  operator.request(
    'POST',
    '/v1/settlement/deposits',
    { organisationId, amountFen },
    { 'idempotency-key': key },
  );

export const fund = (client: HttpClient, id: string, key: string | undefined, body: unknown = {}) =>
  client.request(
    'POST',
    `/v1/contracts/${id}/fund`,
    body,
    key === undefined ? {} : { 'idempotency-key': key },
  );

/** Every account's available and pending fen, as the operator sees them. */
export async function balances(
  operator: HttpClient,
): Promise<Map<string, { available: bigint; pending: bigint }>> {
  const reply = await operator.get('/v1/settlement/balances');
  return new Map(
    (reply.body.accounts as { accountId: string; availableFen: string; pendingFen: string }[]).map((a) => [
      a.accountId,
      { available: BigInt(a.availableFen), pending: BigInt(a.pendingFen) },
    ]),
  );
}

export const availableOf = (b: Map<string, { available: bigint }>, accountId: string): bigint =>
  b.get(accountId)?.available ?? 0n;

/** The trial balance balances and reconciles, and no guarded account is overdrawn. */
export async function expectSound(operator: HttpClient): Promise<void> {
  const trial = (await operator.get('/v1/settlement/trial-balance')).body;
  expect(trial).toMatchObject({ balanced: true, reconciled: true });
  expect(trial.totalDebitsFen).toBe(trial.totalCreditsFen);
  const overdrawn = (trial.accounts as { accountId: string; availableFen: string }[]).filter(
    (a) => a.accountId !== 'external' && BigInt(a.availableFen) < 0n,
  );
  expect(overdrawn).toEqual([]);
}

export const query = async <T>(t: TestApp, sql: string, params: unknown[] = []): Promise<T[]> =>
  t.app.get(MikroORM).em.getConnection().execute(sql, params);

export { ledgerActions } from './db-probe.js';

export const holdsOf = async (t: TestApp, contractId: string) =>
  query<{ id: string; state: string }>(
    t,
    `select "id", "state" from "settlement_holds" where "id" = ? or "id" like ? order by "id"`,
    [contractId, `${contractId}.u%`],
  );

export const expectOk = (reply: Reply, status = 200): Reply => {
  expect([reply.status, reply.body]).toEqual([status, expect.anything()]);
  return reply;
};
