/**
 * A computation's life as a transition table, like the organisation admission's: who moves it, from where, to where.
 * Every move is a conditional update on the `from` state (and, for the worker's moves, on its attempt).
 *
 * - queued: accepted by the platform's pre-checks (scope, k, budget, differencing) and on the queue;
 * - running: a sandbox worker took it (a later attempt may take it again when the first worker died);
 * - evaluated: the encrypted aggregates are stored, waiting for the data holder's agent;
 * - released: the agent released it, sealed to the buyer; ε spent and the unit metered in that transaction;
 * - refused: a policy refused it (platform before queueing, sandbox, or the agent), with a stable code;
 * - failed: it could not be evaluated (tampered or missing ciphertext, recipe error, attempts exhausted).
 */
export const COMPUTATION_STATES = [
  'queued',
  'running',
  'evaluated',
  'released',
  'refused',
  'failed',
] as const;
export type ComputationState = (typeof COMPUTATION_STATES)[number];

export type ComputationEvent =
  | 'start' // worker claims (queued → running, or running → running for a later attempt)
  | 'evaluate' // worker stored the encrypted result
  | 'fail' // worker could not evaluate
  | 'refuseInSandbox' // the sandbox refused the job (e.g. fewer rows than the recipe needs)
  | 'release' // the data holder's agent released it
  | 'refuseAtRelease'; // the agent's own policy check refused it

export const COMPUTATION_TRANSITIONS: Readonly<
  Record<ComputationEvent, { from: readonly ComputationState[]; to: ComputationState }>
> = {
  start: { from: ['queued', 'running'], to: 'running' },
  evaluate: { from: ['running'], to: 'evaluated' },
  fail: { from: ['queued', 'running'], to: 'failed' },
  refuseInSandbox: { from: ['running'], to: 'refused' },
  release: { from: ['evaluated'], to: 'released' },
  refuseAtRelease: { from: ['evaluated'], to: 'refused' },
};

export const isFinal = (state: ComputationState): boolean =>
  state === 'released' || state === 'refused' || state === 'failed';

/**
 * Stable codes a refusal or failure carries (`reason_code`). Clients switch on them.
 * Platform pre-checks answer 422 with the same code and create no computation.
 */
export const COMPUTATION_CODES = [
  // scope and contract
  'recipe_not_in_contract',
  'column_not_in_contract',
  'unknown_recipe',
  'bad_bindings',
  'bad_params',
  'bad_filter',
  'contract_not_active',
  'contract_period_ended',
  'no_computations_left',
  'no_dataset',
  // output policy (the same codes as @app/compute/policy)
  'below_min_rows',
  'differencing',
  'budget_exhausted',
  // evaluation
  'tampered_ciphertext',
  'missing_ciphertext',
  'recipe_error',
  'sandbox_error',
  'attempts_exhausted',
  // release
  'agent_refused',
  'no_result_key',
  // DS 37: the dataset was destroyed while the computation was queued, running or evaluated
  'data_destroyed',
] as const;
export type ComputationCode = (typeof COMPUTATION_CODES)[number];
