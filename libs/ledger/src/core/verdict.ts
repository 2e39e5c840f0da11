/** Outcome of a verification: verifiers never throw on bad input, they say what is wrong. */
export type Verdict = { ok: true } | { ok: false; reason: string };

export const OK: Verdict = Object.freeze({ ok: true });

export function fail(reason: string): Verdict {
  return { ok: false, reason };
}
