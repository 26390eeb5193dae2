/** The admin API over HTTP: the CLI's only way to the cluster. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(message: string, readonly status: number, readonly field?: string) {
    super(message);
  }
}

export interface ClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8081 */
  url: string;
  token: string;
}

export class AdminClient {
  constructor(readonly o: ClientOptions) {}

  async request<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.o.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.o.url.replace(/\/$/, '') + '/api' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError(`cannot reach the admin API at ${this.o.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, 0);
    }
    const text = await res.text();
    if (!res.ok) {
      let msg = text.trim();
      let field: string | undefined;
      try {
        const j = JSON.parse(text) as { error?: string; field?: string };
        msg = j.error ?? msg;
        field = j.field;
      } catch { /* not JSON */ }
      throw new ApiError(msg || `HTTP ${res.status}`, res.status, field);
    }
    const type = res.headers.get('content-type') ?? '';
    return (type.includes('json') ? JSON.parse(text) : text) as T;
  }
}
