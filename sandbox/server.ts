/**
 * The sandbox's HTTP server on 127.0.0.1: routes each request to the module whose API claims its
 * path, delays answers (`latencyMs`), injects failures (`failRate`) and logs every request. It
 * knows no API: status codes, bodies and headers all come from the modules.
 *
 * Failures are seeded per request, not per arrival order: whether the n-th request with a given
 * method, path and query fails depends only on the seed and on n, so concurrent sources (whose
 * requests interleave differently from run to run) see the same failures every run.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FaultContext, ModuleRequest, ModuleResponse, SourceModule } from './module.js';
import { ReviewkitError } from '../src/errors.js';
import { type PendingFault, takeInjected } from './injected.js';
import { createRandom, hashUnit } from './random.js';
import type { SandboxFault, SandboxRequest } from './types.js';

/** What the server needs to know, some of it changeable while it runs. */
export interface ServerSettings {
  seed: string;
  latencyMs: number;
  failRate: number;
  retryAfterSeconds: number;
  /** One-off faults arranged with `injectFault`, consumed as matching requests arrive. */
  injected?: PendingFault[];
}

/** A running sandbox server. */
export interface SandboxServer {
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: SandboxRequest[];
  close(): Promise<void>;
}

/** Query parameters that carry credentials: logged as `[REDACTED]`, left out of fault keys. */
const CREDENTIAL_PARAMS = new Set(['key', 'access_token', 'apikey', 'api_key']);
/** Bodies the sandbox reads (for write endpoints): replies and the like are small. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Methods a sandboxed API answers unless its module says otherwise. */
const READ_ONLY: readonly string[] = ['GET'];
/** Share of injected failures that are rate limiting (the rest are server errors). */
const RATE_LIMIT_SHARE = 0.5;

/** Starts the server on `port` (0: any free port) of 127.0.0.1. */
export async function startServer(modules: readonly SourceModule[], settings: ServerSettings, port: number): Promise<SandboxServer> {
  const requests: SandboxRequest[] = [];
  const sockets = new Set<Socket>();
  const waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const seen = new Map<string, number>();
  let injectedCount = 0;
  let isClosed = false;

  const server: Server = createServer((req, res) => {
    // Only reading the body can fail here (too large, cut off): that request is dropped.
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  function wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          waits.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      waits.add(entry);
    });
  }

  /** Whether this request fails, and how: the n-th request of the same identity draws the n-th number. */
  function faultFor(module: SourceModule, request: ModuleRequest): { kind: SandboxFault; context: FaultContext } | null {
    const query = [...request.query].filter(([k]) => !CREDENTIAL_PARAMS.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const identity = `${module.key} ${request.method} ${request.path}?${new URLSearchParams(query).toString()}`;
    const n = seen.get(identity) ?? 0;
    seen.set(identity, n + 1);
    if (settings.failRate <= 0 || hashUnit(settings.seed, 'fault', identity, n) >= settings.failRate) return null;
    const kind: SandboxFault = hashUnit(settings.seed, 'kind', identity, n) < RATE_LIMIT_SHARE ? 'rate-limit' : 'server-error';
    return {
      kind,
      context: {
        random: createRandom(`${settings.seed}/fault/${identity}/${n}`),
        retryAfterSeconds: settings.retryAfterSeconds,
        wallClockMs: request.receivedAt,
      },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    const request: ModuleRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body, receivedAt };
    const module = modules.find((m) => m.claims(request));
    const entry: SandboxRequest = {
      source: module?.key ?? null,
      method,
      path: url.pathname,
      query: Object.fromEntries([...url.searchParams].map(([k, v]) => [k, CREDENTIAL_PARAMS.has(k) ? '[REDACTED]' : v])),
      status: 0,
      fault: null,
      isMatched: module !== undefined,
      receivedAt,
    };
    requests.push(entry);
    // Decided on arrival, so the draw does not depend on how long other answers take.
    const fault = module ? faultFor(module, request) : null;
    const injected = module && settings.injected ? takeInjected(settings.injected, request) : undefined;
    await wait(settings.latencyMs);
    if (isClosed) {
      res.destroy();
      return;
    }
    let response: ModuleResponse;
    if (module === undefined) {
      response = { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { error: `sandbox: no sandboxed API answers ${method} ${url.pathname}` } };
    } else if (!methodsOf(module, request).includes(method === 'HEAD' ? 'GET' : method)) {
      const allowed = methodsOf(module, request).join(', ');
      response = { status: 405, headers: { allow: allowed, 'content-type': 'application/json; charset=utf-8' }, body: { error: `sandbox: ${module.key} answers ${allowed} here` } };
    } else if (injected?.kind === 'server-error' || injected?.kind === 'rate-limit') {
      const context = {
        // Seeded by arrival order among injected faults: the same test draws the same failure.
        random: createRandom(`${settings.seed}/injected/${request.method} ${request.path}/${injectedCount++}`),
        retryAfterSeconds: settings.retryAfterSeconds,
        wallClockMs: receivedAt,
      };
      response = module.fault(injected.kind, request, context);
      entry.fault = injected.kind;
    } else if (fault !== null) {
      response = module.fault(fault.kind, request, fault.context);
      entry.fault = fault.kind;
    } else {
      try {
        response = module.handle(request);
      } catch (error) {
        // A bug in a module must not take the server down: answer it, loudly.
        response = { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { error: `sandbox: ${error instanceof Error ? error.message : String(error)}` } };
      }
    }
    // The request was handled (a write stored); its answer now comes late, or never.
    if (injected?.kind === 'lost-answer') {
      res.destroy();
      return;
    }
    if (injected?.kind === 'slow-answer') {
      await wait(injected.delayMs);
      if (isClosed) {
        res.destroy();
        return;
      }
    }
    entry.status = response.status;
    write(res, response);
  }

  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      const cause = new Error(error.message);
      cause.name = error.code ?? 'Error';
      reject(
        new ReviewkitError({
          code: 'CONFIG',
          source: 'sandbox',
          cause,
          message: `sandbox: cannot listen on 127.0.0.1:${port} (${error.code ?? error.message}); choose another \`port\`, or 0 for any free one.`,
        }),
      );
    };
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        isClosed = true;
        // Answers still waiting out their latency end now (their sockets are destroyed below).
        for (const entry of waits) {
          clearTimeout(entry.timer);
          entry.resolve();
        }
        waits.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** The methods a module answers on the request's path. */
function methodsOf(module: SourceModule, request: ModuleRequest): readonly string[] {
  return typeof module.methods === 'function' ? module.methods(request) : (module.methods ?? READ_ONLY);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new RangeError('request body over 1 MiB'));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function write(res: ServerResponse, response: ModuleResponse): void {
  if (res.destroyed) return;
  const { body } = response;
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  res.writeHead(response.status, { ...response.headers, 'content-length': String(payload.length) });
  res.end(payload);
}
