/** No contract may release aggregates over fewer rows than this, whatever it configures. */
export const MIN_ROWS_FLOOR = 10;

/**
 * A contract's output policy as a plain value object. `minRows` (k) is both the minimum number of rows a
 * released aggregate must cover and the minimum symmetric difference between any two released row sets.
 */
export interface OutputPolicy {
  readonly contractId: string;
  readonly minRows: number;
}

export interface OutputPolicyConfig {
  readonly contractId: string;
  /** Defaults to MIN_ROWS_FLOOR. */
  readonly minRows?: number;
}

/**
 * Builds a validated policy. A configured k below MIN_ROWS_FLOOR is rejected (RangeError), not silently
 * raised: a contract that believes it released at k = 5 must learn at configuration time that it cannot.
 */
export function createOutputPolicy(config: OutputPolicyConfig): OutputPolicy {
  const policy = { contractId: config.contractId, minRows: config.minRows ?? MIN_ROWS_FLOOR };
  const problem = outputPolicyProblem(policy);
  if (problem) throw new RangeError(problem);
  return policy;
}

/** Why `policy` is invalid, or undefined when it is valid (it may come from deserialised, unchecked JSON). */
export function outputPolicyProblem(policy: OutputPolicy): string | undefined {
  if (typeof policy.contractId !== 'string' || policy.contractId.length === 0)
    return 'policy has no contractId';
  if (!Number.isSafeInteger(policy.minRows))
    return `policy minRows must be an integer, got ${policy.minRows}`;
  if (policy.minRows < MIN_ROWS_FLOOR) {
    return `policy minRows ${policy.minRows} is below the floor of ${MIN_ROWS_FLOOR}`;
  }
  return undefined;
}
