import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  INCIDENT_IMPORTANCES,
  INCIDENT_SEVERITIES,
  IMPORTANCE_OF_LEVEL,
  gradeIncident,
  importanceRank,
  needsClosingSummary,
  reportableToRegulator,
  type IncidentImportance,
  type IncidentLevel,
  type IncidentSeverity,
} from './index.js';

interface Cell {
  importance: IncidentImportance;
  severity: IncidentSeverity;
  level: IncidentLevel | null;
}
const vectors = JSON.parse(
  readFileSync(new URL('./vectors/incident-levels.json', import.meta.url), 'utf8'),
) as { table2: Cell[]; table3: Cell[] };

const cellsOf = (importance: IncidentImportance) => ({
  loss: vectors.table2.filter((c) => c.importance === importance),
  harm: vectors.table3.filter((c) => c.importance === importance),
});

describe('DS 12 表2 and 表3', () => {
  it('have a vector for every cell, and 表2 has no "/"', () => {
    const cells = INCIDENT_IMPORTANCES.length * INCIDENT_SEVERITIES.length;
    expect(vectors.table2).toHaveLength(cells);
    expect(vectors.table3).toHaveLength(cells);
    expect(vectors.table2.every((c) => c.level !== null)).toBe(true);
    expect(vectors.table3.filter((c) => c.level === null)).toHaveLength(4);
  });

  // Every pair of a 表2 cell and a 表3 cell of the same importance: 3 × 4 × 4 = 48 gradings.
  const pairs = INCIDENT_IMPORTANCES.flatMap((importance) => {
    const { loss, harm } = cellsOf(importance);
    return loss.flatMap((l) =>
      harm.map((h) => ({
        importance,
        businessLoss: l.severity,
        socialHarm: h.severity,
        byLoss: l.level!,
        byHarm: h.level,
      })),
    );
  });

  it.each(pairs)(
    '$importance, loss $businessLoss ($byLoss), harm $socialHarm ($byHarm)',
    ({ importance, businessLoss, socialHarm, byLoss, byHarm }) => {
      const graded = gradeIncident(importance, businessLoss, socialHarm);
      if (byHarm === null) {
        expect(graded).toMatchObject({
          ok: false,
          article: 'DS 12',
          code: 'impossible_incident_combination',
          table: '表3',
        });
        if (!graded.ok) expect(graded.reason).toContain('表3');
        return;
      }
      expect(graded.ok).toBe(true);
      if (!graded.ok) return;
      expect(graded.level).toBe(Math.min(byLoss, byHarm));
      expect(graded.byBusinessLoss).toBe(byLoss);
      expect(graded.bySocialHarm).toBe(byHarm);
      expect(graded.decidedBy).toBe(byLoss === byHarm ? 'both' : byLoss < byHarm ? '表2' : '表3');
      expect(graded.justification).toContain('DS 12');
    },
  );

  it('the level that stands is never less severe than either table gives (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INCIDENT_IMPORTANCES),
        fc.constantFrom(...INCIDENT_SEVERITIES),
        fc.constantFrom(...INCIDENT_SEVERITIES),
        (importance, loss, harm) => {
          const graded = gradeIncident(importance, loss, harm);
          if (!graded.ok) return true;
          return graded.level <= graded.byBusinessLoss && graded.level <= graded.bySocialHarm;
        },
      ),
    );
  });

  it('a more important object never grades less severe under the same loss (表2 is monotone)', () => {
    for (const severity of INCIDENT_SEVERITIES) {
      const levels = [...INCIDENT_IMPORTANCES]
        .sort((a, b) => importanceRank(b) - importanceRank(a))
        .map((i) => vectors.table2.find((c) => c.importance === i && c.severity === severity)!.level!);
      expect([...levels].sort((a, b) => a - b)).toEqual(levels);
    }
  });

  it('DS 15: levels 1 to 3 go to the regulators, level 4 does not', () => {
    expect([1, 2, 3, 4].map((l) => reportableToRegulator(l as IncidentLevel))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('DS 16: important and core data need a closing summary; the importance follows the data level', () => {
    expect(IMPORTANCE_OF_LEVEL).toEqual({
      core: 'especially-important',
      important: 'important',
      general: 'general',
    });
    expect(INCIDENT_IMPORTANCES.filter(needsClosingSummary)).toEqual(['especially-important', 'important']);
  });
});
