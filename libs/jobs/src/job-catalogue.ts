import { PermanentJobError } from './job-errors.js';

/**
 * Every job of the exchange, by name, with its payload: the one place producers and consumers agree on. A payload
 * is small JSON naming what the job is about (the job loads the rest from the database), so a replay is harmless.
 */
export interface JobCatalogue {
  /** Evaluate a queued computation in the sandbox (`@app/compute/worker`). */
  'computation.evaluate': { computationId: string };
}

export type JobName = keyof JobCatalogue;

/** Re-validates a payload as it comes off the queue; throws `PermanentJobError` (retrying cannot fix it). */
export type PayloadParser<P> = (raw: unknown) => P;

/** A parser per name of catalogue `C`: what a registry checks every payload with. */
export type CatalogueParsers<C> = { readonly [N in keyof C & string]: PayloadParser<C[N]> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isRecord = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw);

/** Throws unless `raw` is an object with exactly `keys`. */
export function exactObject(raw: unknown, keys: readonly string[], job: string): Record<string, unknown> {
  if (!isRecord(raw)) throw new PermanentJobError(`job ${job}: the payload is not an object`);
  const extra = Object.keys(raw).filter((k) => !keys.includes(k));
  if (extra.length > 0) throw new PermanentJobError(`job ${job}: unexpected field(s) ${extra.join(', ')}`);
  return raw;
}

export const JOB_PARSERS: CatalogueParsers<JobCatalogue> = {
  'computation.evaluate': (raw) => {
    const { computationId } = exactObject(raw, ['computationId'], 'computation.evaluate');
    if (typeof computationId !== 'string' || !UUID.test(computationId)) {
      throw new PermanentJobError('job computation.evaluate: computationId must be a UUID');
    }
    return { computationId };
  },
};

/** The catalogue's names: a consumer refuses to start unless it handles every one. */
export const JOB_NAMES = Object.keys(JOB_PARSERS) as JobName[];
