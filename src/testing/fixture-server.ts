import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One canned response of a {@link FixtureServer}. */
export interface FixtureRoute {
  /** HTTP method. Default `GET`. */
  method?: string;
  /** Exact pathname (`/v3/businesses/x/reviews`) or a pattern tested against it. */
  path: string | RegExp;
  /** Query parameters the request must carry (subset match, exact values; `null`: must be absent). */
  query?: Record<string, string | null>;
  /** Status code. Default 200. */
  status?: number;
  /** Response headers. `content-type` defaults to JSON for object bodies. */
  headers?: Record<string, string>;
  /** An object or array is sent as JSON, a string as UTF-8, a `Uint8Array`/`Buffer` as raw bytes; a function computes the body per request. */
  body?: unknown | ((request: RecordedRequest) => unknown);
  /** Wait this long before answering (timeouts, slow sources). */
  delayMs?: number;
  /** Send the headers and half the body, then cut the connection. */
  truncate?: boolean;
  /** Serve this route only this many times, then fall through to later routes. */
  times?: number;
}

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** The request body as text (empty for a GET). */
  body: string;
  /** `Date.now()` when it arrived. */
  receivedAt: number;
  /** Whether a route answered it (false: the server sent a 404 "no fixture route"). */
  matched: boolean;
}

/** A local HTTP server on 127.0.0.1 that serves fixtures, records requests and injects faults. */
export interface FixtureServer {
  /** Origin to pass as an adapter's `baseUrl`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Adds routes in front of the existing ones (for a fault injected into one test). */
  prepend(...routes: FixtureRoute[]): void;
  /** Replaces all routes and forgets recorded requests. */
  reset(routes?: FixtureRoute[]): void;
  close(): Promise<void>;
}

/**
 * Starts a {@link FixtureServer} on an ephemeral 127.0.0.1 port.
 * @example
 * const server = await startFixtureServer([{ path: '/v3/businesses/acme/reviews', body: page1 }]);
 * const adapter = yelp({ apiKey: 'test', businessId: 'acme', baseUrl: server.url });
 */
export async function startFixtureServer(routes: FixtureRoute[] = []): Promise<FixtureServer> {
  let table = routes.map((route) => ({ route, served: 0 }));
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      receivedAt,
      matched: false,
    };
    requests.push(recorded);
    const entry = table.find(({ route, served }) => matches(route, recorded) && (route.times === undefined || served < route.times));
    if (!entry) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no fixture route for ${recorded.method} ${recorded.url}` }));
      return;
    }
    entry.served++;
    recorded.matched = true;
    const { route } = entry;
    if (route.delayMs) await new Promise((resolve) => setTimeout(resolve, route.delayMs));
    if (res.destroyed) return;
    const raw = typeof route.body === 'function' ? (route.body as (r: RecordedRequest) => unknown)(recorded) : route.body;
    const isText = typeof raw === 'string';
    const isBytes = raw instanceof Uint8Array;
    const payload = raw === undefined ? '' : isText || isBytes ? raw : JSON.stringify(raw);
    const headers: Record<string, string> = {
      ...(isText || isBytes ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...route.headers,
    };
    if (route.truncate) {
      const bytes = Buffer.from(payload);
      res.writeHead(route.status ?? 200, { ...headers, 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      setTimeout(() => res.destroy(), 10);
      return;
    }
    res.writeHead(route.status ?? 200, headers);
    res.end(payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    prepend(...extra) {
      table = [...extra.map((route) => ({ route, served: 0 })), ...table];
    },
    reset(next = []) {
      table = next.map((route) => ({ route, served: 0 }));
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function matches(route: FixtureRoute, req: RecordedRequest): boolean {
  if ((route.method ?? 'GET').toUpperCase() !== req.method.toUpperCase()) return false;
  const pathOk = typeof route.path === 'string' ? route.path === req.path : route.path.test(req.path);
  if (!pathOk) return false;
  return Object.entries(route.query ?? {}).every(([k, v]) => (v === null ? !(k in req.query) : req.query[k] === v));
}

/** A route answering with an HTML error page, as proxies and load balancers do. */
export function htmlErrorPage(path: string | RegExp, status = 502): FixtureRoute {
  return {
    path,
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!DOCTYPE html><html><head><title>${status} Bad Gateway</title></head><body><h1>${status} Bad Gateway</h1></body></html>`,
  };
}
