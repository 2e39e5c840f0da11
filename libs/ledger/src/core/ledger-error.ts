/**
 * Thrown when a caller breaks a documented precondition (an index outside the tree, a size
 * the store does not hold yet, a malformed entry). Verification failures are not errors:
 * verifiers return a `Verdict` instead.
 */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
}
