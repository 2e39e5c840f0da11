import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** What the API says when it refuses: its status, stable code and message (and the article of a 422 refusal). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly article?: string,
    readonly correlationId?: string,
  ) {
    super(message);
  }
}

let bearer: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** The session's token, sent with every call; null after sign-out. */
export function setBearer(token: string | null, whenRefused?: () => void): void {
  bearer = token;
  onUnauthenticated = whenRefused ?? null;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (bearer) request.headers.set('authorization', `Bearer ${bearer}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && bearer) onUnauthenticated?.();
    return response;
  },
};

/** The typed client, generated from the API's OpenAPI document (`npm run openapi`). */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a call, or an ApiError carrying the API's own message. */
export async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    const body = (error ?? {}) as Partial<Schemas['ErrorResponse']>;
    throw new ApiError(
      response.status,
      body.code ?? 'http_error',
      body.message ?? `${response.status} ${response.statusText}`,
      body.article,
      body.correlationId,
    );
  }
  return data as T;
}

/** A CSV export or another non-JSON download, with the session's token; saves it under `filename`. */
export async function download(path: string, filename: string): Promise<void> {
  const response = await fetch(path, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as Partial<Schemas['ErrorResponse']>;
    throw new ApiError(response.status, body.code ?? 'http_error', body.message ?? response.statusText);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
