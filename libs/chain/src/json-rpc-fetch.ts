/** One JSON-RPC 2.0 call over HTTP POST with a hard timeout; no retries, no ethers provider state. */
export async function jsonRpcCall(
  url: string,
  method: string,
  params: unknown[],
  timeoutMs: number,
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
  const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message ?? 'JSON-RPC error'}`);
  return body.result;
}

/** Parses a JSON-RPC hex quantity ("0x7a69") into a number. Throws on anything else. */
export function parseQuantity(value: unknown): number {
  if (typeof value !== 'string' || !/^0x[0-9a-f]+$/i.test(value))
    throw new Error(`not a hex quantity: ${String(value)}`);
  return Number.parseInt(value, 16);
}
