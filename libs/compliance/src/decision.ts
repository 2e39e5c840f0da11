/**
 * What every rule returns: allowed or not, the article of the regulation that decided it, and a sentence that says
 * why. Refusals carry a stable `code` so callers can map them to errors without parsing text.
 *
 * Articles are cited as `DS n` (海东市数据安全管理办法（暂行）) and `DE n` (海东市数据要素管理办法（暂行）).
 */
export type Decision =
  | { allowed: true; article: string; reason: string }
  | { allowed: false; article: string; reason: string; code: string };

export const allow = (article: string, reason: string): Decision => ({ allowed: true, article, reason });

export const refuse = (article: string, code: string, reason: string): Decision => ({
  allowed: false,
  article,
  reason,
  code,
});

/** The first refusal of a list of decisions, or undefined when all allow. */
export const firstRefusal = (
  decisions: readonly Decision[],
): Extract<Decision, { allowed: false }> | undefined =>
  decisions.find((d): d is Extract<Decision, { allowed: false }> => !d.allowed);
