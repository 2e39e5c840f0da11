import { indicatorName } from '@app/he/evaluation';
import { noParams, NUMERIC, one } from '../recipe-helpers.js';
import type { Recipe } from '../recipe.js';

/**
 * Row counts per bucket, over the buckets the data holder fixed at encryption time: sums of the
 * encrypted 0/1 indicator columns (BFV). Exact.
 */
export const histogramRecipe: Recipe<Record<string, never>> = {
  id: 'histogram',
  summary: 'Histogram over the encryption-time buckets',
  inputs: [{ role: 'x', kinds: NUMERIC, bucketed: true }],
  output: { kind: 'record', description: '{ edges, counts }' },
  minRows: 10,
  parseParams: noParams,
  plan: (ctx) => {
    const x = one(ctx.roles, 'x');
    const edges = ctx.specs[x].buckets!;
    const terms = Object.fromEntries(
      edges.slice(1).map((_, i) => [`b${i}`, { op: 'sum' as const, column: indicatorName(x, i) }]),
    );
    return {
      terms,
      clear: {
        n: ctx.n,
        buckets: edges.length - 1,
        ...Object.fromEntries(edges.map((e, i) => [`e${i}`, e])),
      },
    };
  },
  finish: (v, c) => {
    const k = c.buckets;
    return {
      edges: Array.from({ length: k + 1 }, (_, i) => c[`e${i}`]),
      counts: Array.from({ length: k }, (_, i) => v[`b${i}`]),
    };
  },
};
