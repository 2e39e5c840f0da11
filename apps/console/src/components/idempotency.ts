/** A fresh Idempotency-Key: one per intended movement, kept for its retries. */
export const newIdempotencyKey = (): string => crypto.randomUUID();
