/** The CLI's way to the exchange: HTTP to EXCHANGE_API_URL (default http://localhost:${PORT:-3000}). */
export class ApiClient {
  readonly baseUrl: string;

  constructor(
    baseUrl = process.env.EXCHANGE_API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`,
    private readonly token = process.env.EXCHANGE_TOKEN,
  ) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  async get(path: string): Promise<{ status: number; body: unknown }> {
    return this.request('GET', path);
  }

  async post(path: string, body: unknown = {}): Promise<{ status: number; body: unknown }> {
    return this.request('POST', path, body);
  }

  /**
   * A request whose body or answer is a byte stream (file delivery): the bearer token, no timeout (a large file
   * takes as long as it takes), and the raw Response for the caller to stream.
   */
  async fetchStream(
    method: string,
    path: string,
    init: { body?: ReadableStream<Uint8Array>; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    try {
      // A stream body needs `duplex: 'half'` (the request is sent while its body is still being read).
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...init.headers },
        body: init.body,
        duplex: 'half',
      });
    } catch (error) {
      throw new Error(
        `cannot reach the exchange at ${this.baseUrl} (${(error as Error).message}); is it running?`,
        { cause: error },
      );
    }
  }

  /** One JSON request with the bearer token (EXCHANGE_TOKEN) when there is one; a JSON reply parsed, else text. */
  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new Error(
        `cannot reach the exchange at ${this.baseUrl} (${(error as Error).message}); is it running?`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as unknown };
    } catch {
      return { status: response.status, body: text };
    }
  }
}
