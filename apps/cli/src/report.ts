/**
 * Prints an API reply the way every command does: the body as JSON on success; otherwise the exchange's message on
 * stderr (a refusal by rule names its article in it) and exit code 1. Returns whether the reply was a success.
 */
export function report(what: string, reply: { status: number; body: unknown }): boolean {
  if (reply.status >= 200 && reply.status < 300) {
    console.log(JSON.stringify(reply.body, null, 2));
    return true;
  }
  const body = reply.body as { message?: unknown } | string;
  const message = typeof body === 'object' && body !== null ? String(body.message) : String(body);
  console.error(`exchange: ${what}: ${reply.status} ${message}`);
  process.exitCode = 1;
  return false;
}
