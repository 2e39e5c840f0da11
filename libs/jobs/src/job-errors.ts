/** Thrown by a handler (or a payload parser) when retrying cannot help: the queue gives the job up at once. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}
