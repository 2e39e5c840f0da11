import type { EntityManager } from '@mikro-orm/sql';
import type { LedgerEvent, LedgerRecorder } from '@app/ledger';
import type { UnitOfWork } from '@app/database';
import { ImportantDataCatalogue, type CatalogueState } from './important-data-catalogue.js';

const A = 'org-a';
const B = 'org-b';
const actor = { accountId: 'acc', organisationId: 'op' };
const state = (overrides: Partial<CatalogueState> = {}): CatalogueState => ({
  id: 'asset',
  registrantId: A,
  status: 'registered',
  level: 'important',
  version: 1,
  title: '医保结算',
  registrationNumber: 'HDDE-2026-000001',
  rights: [
    { right: 'holding', organisationId: A },
    { right: 'processing', organisationId: B },
    { right: 'operation', organisationId: B },
  ],
  ...overrides,
});

/** The catalogue's ledger events for a move from `before` to `after`, as `organisation:change`. */
async function changes(before: CatalogueState | null, after: CatalogueState): Promise<string[]> {
  const recorded: LedgerEvent[] = [];
  const ledger = { record: (_em: unknown, events: LedgerEvent[]) => (recorded.push(...events), []) };
  const catalogue = new ImportantDataCatalogue(ledger as unknown as LedgerRecorder, {} as UnitOfWork);
  await catalogue.changed({} as EntityManager, actor, before, after);
  for (const e of recorded) expect(e.action).toBe('catalogue.importantDataChanged');
  return recorded.map((e) => {
    const payload = e.payload as { organisationId: string; change: string };
    expect(e.subjectIds).toEqual([payload.organisationId, 'asset']);
    return `${payload.organisationId}:${payload.change}`;
  });
}

describe('the DS 22 catalogue', () => {
  it('adds registered important and core data to its registrant and holders of the holding right', async () => {
    expect(await changes(null, state())).toEqual([`${A}:added`]);
    const held = state({ rights: [{ right: 'holding', organisationId: B }] });
    expect(await changes(null, held)).toEqual([`${A}:added`, `${B}:added`]);
    expect(await changes(null, state({ level: 'core' }))).toEqual([`${A}:added`]);
  });

  it('leaves general data, drafts and submissions out', async () => {
    expect(await changes(null, state({ level: 'general' }))).toEqual([]);
    expect(await changes(null, state({ status: 'submitted' }))).toEqual([]);
  });

  it('follows a transfer of the holding right, a new level, a suspension and a cancellation', async () => {
    const transferred = state({ version: 2, rights: [{ right: 'holding', organisationId: B }] });
    expect(await changes(state(), transferred)).toEqual([`${A}:updated`, `${B}:added`]);
    expect(await changes(state(), state({ version: 2, level: 'general' }))).toEqual([`${A}:removed`]);
    expect(await changes(state(), state({ status: 'suspended' }))).toEqual([`${A}:updated`]);
    expect(await changes(state(), state({ status: 'cancelled' }))).toEqual([`${A}:removed`]);
    expect(await changes(state(), state())).toEqual([]);
  });
});
