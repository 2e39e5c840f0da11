import { CATALOGUE } from '../../../sandbox/catalogue.js';
import { LISTING_STATUSES } from './entities/listing.entity.js';
import { recipeProblem } from './listing-recipes.js';
import { LISTING_ACTIONS, LISTING_TRANSITIONS, catalogueChange } from './listing-transitions.js';

const columns = [
  { name: 'amount', type: 'decimal' },
  { name: 'trips', type: 'integer' },
  { name: 'station', type: 'text' },
  { name: 'day', type: 'date' },
];

describe('recipes a compute listing allows', () => {
  it('accepts every recipe of the sandbox catalogue on enough numeric columns', () => {
    for (const [name, recipe] of CATALOGUE) {
      const names = ['amount', 'trips'].slice(0, Math.max(1, recipe.inputs.length));
      expect([name, recipeProblem([{ recipe: name, columns: names }], columns)]).toEqual([name, undefined]);
    }
  });

  it.each([
    ['a recipe not in the catalogue', [{ recipe: 'median', columns: ['amount'] }], 'unknown_recipe'],
    [
      'a recipe named twice',
      [
        { recipe: 'sum', columns: ['amount'] },
        { recipe: 'sum', columns: ['trips'] },
      ],
      'duplicate_recipe',
    ],
    ['a column named twice', [{ recipe: 'sum', columns: ['amount', 'amount'] }], 'duplicate_column'],
    ['a column the assets lack', [{ recipe: 'sum', columns: ['price'] }], 'unknown_column'],
    ['a text column for a numeric recipe', [{ recipe: 'mean', columns: ['station'] }], 'column_not_numeric'],
    ['a date column for a numeric recipe', [{ recipe: 'sum', columns: ['day'] }], 'column_not_numeric'],
    [
      'one column for a two-input recipe',
      [{ recipe: 'correlation', columns: ['amount'] }],
      'too_few_columns',
    ],
  ])('refuses %s', (_what, recipes, code) => {
    expect(recipeProblem(recipes, columns)).toMatchObject({ code });
  });

  it('names the catalogue when the recipe is unknown', () => {
    expect(recipeProblem([{ recipe: 'median', columns: ['amount'] }], columns)?.message).toContain('mean');
  });
});

describe('the listing lifecycle', () => {
  it('leaves each step from statuses that exist, into a status that exists', () => {
    for (const action of LISTING_ACTIONS) {
      const step = LISTING_TRANSITIONS[action];
      expect(LISTING_STATUSES).toContain(step.to);
      for (const from of step.from) expect(LISTING_STATUSES).toContain(from);
      expect(step.from).not.toContain(step.to);
      expect(step.recorded).toMatch(/^listing\.[a-z]+$/);
    }
  });

  it('makes rejected and withdrawn final, and publishes only through approval or reinstatement', () => {
    const leaving = (status: string) =>
      LISTING_ACTIONS.filter((a) => (LISTING_TRANSITIONS[a].from as readonly string[]).includes(status));
    expect(leaving('rejected')).toEqual([]);
    expect(leaving('withdrawn')).toEqual([]);
    const into = LISTING_ACTIONS.filter((a) => LISTING_TRANSITIONS[a].to === 'published');
    expect(into).toEqual(['publish', 'reinstate']);
    expect(LISTING_TRANSITIONS.publish.from).toEqual(['approved']);
  });

  it('lets overseers suspend and reinstate, the operator review, the merchant do the rest', () => {
    expect(LISTING_TRANSITIONS.suspend.by).toBe('overseer');
    expect(LISTING_TRANSITIONS.reinstate.by).toBe('overseer');
    expect(LISTING_TRANSITIONS.approve.by).toBe('operator');
    expect(LISTING_TRANSITIONS.reject.by).toBe('operator');
    for (const a of ['submit', 'publish', 'withdraw'] as const)
      expect(LISTING_TRANSITIONS[a].by).toBe('merchant');
    expect(LISTING_TRANSITIONS.suspend.reasonRequired && LISTING_TRANSITIONS.reject.reasonRequired).toBe(
      true,
    );
  });

  it('changes the catalogue exactly on entering or leaving published', () => {
    for (const from of LISTING_STATUSES)
      for (const to of LISTING_STATUSES) {
        const expected =
          from !== 'published' && to === 'published'
            ? 'add'
            : from === 'published' && to !== 'published'
              ? 'remove'
              : null;
        expect(catalogueChange(from, to)).toBe(expected);
      }
  });
});
