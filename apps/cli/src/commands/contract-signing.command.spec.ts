import { join } from 'node:path';
import {
  contractTypedData,
  termsHash,
  termsFromJson,
  termsToJson,
  type ContractFacts,
  type TermsJson,
} from '@app/trading/core';
import {
  importGraph,
  outsideFrameworkFreeCore,
  repositoryRoot,
} from '../../../../test/support/import-graph.js';
import { checkTypedData, type ServedContract } from './contract-signing.command.js';

const terms: TermsJson = termsToJson({
  purpose: '交通规划：按路口评估早高峰拥堵',
  columns: ['vehicle_count'],
  recipes: ['mean'],
  delivery: 'compute',
  billingUnit: 'per-computation',
  priceFen: 150000n,
  periodDays: 30,
  computations: 3,
});

const facts: ContractFacts = {
  id: '5b0e1c9e-6f0a-4a8e-9a55-0c1d2e3f4a5b',
  negotiationId: '6c1f2d0f-7a1b-4b9f-8b66-1d2e3f4a5b6c',
  version: 2,
  listingId: '7d2a3e1a-8b2c-4caa-9c77-2e3f4a5b6c7d',
  buyerOrganisationId: '8e3b4f2b-9c3d-4dbb-8d88-3f4a5b6c7d8e',
  merchantOrganisationId: '9f4c5a3c-ad4e-4ecc-9e99-4a5b6c7d8e9f',
  terms,
  termsHash: termsHash(termsFromJson(terms)),
  amountFen: 450000n,
  clauses: [{ code: 'no_onward_transfer' }],
};

const served = (change: (c: ServedContract) => void = () => undefined): ServedContract => {
  const c: ServedContract = {
    id: facts.id,
    state: 'awaiting_signatures',
    terms,
    termsHash: facts.termsHash,
    amountFen: '450000',
    clauses: [{ code: 'no_onward_transfer', article: 'DS 40' }],
    typedData: JSON.parse(JSON.stringify(contractTypedData(facts))) as ServedContract['typedData'],
  };
  change(c);
  return c;
};

describe('exchange contract sign', () => {
  it('reaches the trading lib only through @app/trading/core: no Nest, no ORM, no database', () => {
    const graph = importGraph(join(repositoryRoot, 'apps/cli/src/commands/contract-signing.command.ts'));
    expect(graph.has(join(repositoryRoot, 'libs/trading/src/core/index.ts'))).toBe(true);
    expect(graph.has(join(repositoryRoot, 'libs/trading/src/index.ts'))).toBe(false);
    expect(outsideFrameworkFreeCore(graph, 'trading')).toEqual({
      frameworks: [],
      drivers: [],
      libOutsideCore: [],
      database: [],
    });
  });

  it('signs typed data that states the contract’s terms', () => {
    expect(() => checkTypedData(served())).not.toThrow();
  });

  it.each([
    [
      'a message with another price',
      (c: ServedContract) => void (c.typedData.message.priceFen = '1'),
      /priceFen/,
    ],
    [
      'a message with another purpose',
      (c: ServedContract) => void (c.typedData.message.purpose = 'resale'),
      /purpose/,
    ],
    [
      'another contract’s message',
      (c: ServedContract) => void (c.typedData.message.contractId = facts.listingId),
      /names contract/,
    ],
    [
      'terms that do not hash to the stated hash',
      (c: ServedContract) => void (c.terms = { ...c.terms, periodDays: 365 }),
      /hash to/,
    ],
    [
      'another termsHash in the message',
      (c: ServedContract) => void (c.typedData.message.termsHash = '0x' + '0'.repeat(64)),
      /termsHash/,
    ],
    ['another total', (c: ServedContract) => void (c.amountFen = '1'), /amountFen/],
  ])('refuses %s', (_what, change, reason) => {
    expect(() => checkTypedData(served(change))).toThrow(reason);
  });
});
