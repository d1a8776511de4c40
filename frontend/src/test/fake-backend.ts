/**
 * The network boundary for tests: a fetch that answers like the Supabase APIs do, recording every
 * request. Components get a *real* supabase-js client built on it (see fake-supabase.ts), so the
 * tests exercise the real query building (filters, Range, Prefer: count=exact, function calls).
 */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

type Handler = (request: RecordedRequest) => unknown;

interface Route {
  method: string;
  path: string;
  handler: Handler;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  if (type.includes('multipart/form-data')) return request.formData();
  const text = await request.text();
  if (type.includes('application/json') && text) return JSON.parse(text) as unknown;
  return text;
}

export function createFakeBackend() {
  const routes: Route[] = [];
  const requests: RecordedRequest[] = [];

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const recorded: RecordedRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await readBody(request),
    };
    requests.push(recorded);
    const route = [...routes]
      .reverse()
      .find((candidate) => candidate.method === recorded.method && candidate.path === recorded.url.pathname);
    if (!route) return json({ message: `no fake for ${recorded.method} ${recorded.url.pathname}` }, 404);
    const result = await route.handler(recorded);
    return result instanceof Response ? result : json(result);
  };

  return {
    fetch: fetch as typeof globalThis.fetch,
    requests,
    on(method: string, path: string, handler: Handler) {
      routes.push({ method, path, handler });
      return this;
    },
    /** Requests to one path (optionally one method). */
    to(path: string, method?: string): RecordedRequest[] {
      return requests.filter((request) => request.url.pathname === path && (!method || request.method === method));
    },
  };
}

export type FakeBackend = ReturnType<typeof createFakeBackend>;
