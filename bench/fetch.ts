/**
 * Fetching: 64 Yelp sources × 5 review pages of 50 (plus each source's details request), from a
 * local server in a child process, at concurrency 4.
 *
 * 1. Efficiency at 100 ms latency: ideal time / measured, where ideal =
 *    ceil(sources / concurrency) × review pages per source × latency. The details request rides
 *    along with the first page, so a perfect client reaches 1.00. Goal ≥ 0.95.
 * 2. Cost per review at zero latency: `aggregate` against a plain loop of `http.get` +
 *    `JSON.parse` over the same requests, same concurrency, same process, interleaved rounds
 *    (median of per-round ratios). Goal ≤ 2×. The same loop through axios, configured as the
 *    HTTP layer configures it, is printed too: the part of the figure the HTTP client alone takes.
 *
 * Run: npx tsx bench/fetch.ts [rounds]
 * Profile the client alone: node --cpu-prof --import tsx bench/fetch.ts profile
 */
import { fork } from 'node:child_process';
import { Agent, get, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { aggregate } from '../src/index.js';
import { yelp } from '../adapters/yelp.js';

const SOURCES = 64;
const PAGES = 5;
const PAGE_SIZE = 50;
const CONCURRENCY = 4;
const LATENCY_MS = 100;
const REVIEWS = SOURCES * PAGES * PAGE_SIZE;

// ---- the server (child process): Yelp's paths, distinct bodies per source and page, injected latency
if (process.argv[2] === 'serve') {
  let latency = 0;
  const bodies = new Map<string, string>();
  for (let s = 0; s < SOURCES; s++) {
    const id = `biz-${s}`;
    bodies.set(`/v3/businesses/${id}`, JSON.stringify({ id, name: `Business ${s}`, rating: 4.5, review_count: PAGES * PAGE_SIZE }));
    for (let p = 0; p < PAGES; p++) {
      const reviews = Array.from({ length: PAGE_SIZE }, (_, i) => ({
        id: `r-${s}-${p}-${i}`,
        url: `https://www.yelp.com/biz/${id}?hrid=r-${s}-${p}-${i}`,
        text: `Review ${i} of page ${p}: the food was good, the service friendly, and we would come back...`,
        rating: 1 + ((s + p + i) % 5),
        time_created: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (p % 28)).padStart(2, '0')} 1${i % 10}:30:00`,
        user: { id: `u-${i}`, profile_url: `https://www.yelp.com/user_details?userid=u-${i}`, image_url: null, name: `Guest ${i}.` },
      }));
      bodies.set(`/v3/businesses/${id}/reviews?offset=${p * PAGE_SIZE}`, JSON.stringify({ reviews, total: PAGES * PAGE_SIZE, possible_languages: ['en'] }));
    }
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = url.pathname.endsWith('/reviews') ? `${url.pathname}?offset=${url.searchParams.get('offset') ?? '0'}` : url.pathname;
    const body = bodies.get(key);
    const answer = () => {
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(body ?? '{"error":{"code":"NOT_FOUND"}}');
    };
    if (latency > 0) setTimeout(answer, latency);
    else answer();
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('message', (message: { latency: number }) => {
    latency = message.latency;
    process.send?.({ latency });
  });
} else {
  await main();
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] === 'profile' ? 0 : (process.argv[2] ?? 7));
  const child = fork(new URL(import.meta.url).pathname, ['serve'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const origin = `http://127.0.0.1:${port}`;
  const setLatency = (latency: number) =>
    new Promise<void>((resolve) => {
      child.once('message', () => resolve());
      child.send({ latency });
    });
  const adapters = () => Array.from({ length: SOURCES }, (_, s) => yelp({ apiKey: 'bench-key-000000', businessId: `biz-${s}`, baseUrl: origin }));
  const options = { concurrency: CONCURRENCY, retry: { attempts: 1 } } as const;

  const runReviewkit = async () => {
    const start = performance.now();
    const { reviews, sources } = await aggregate(adapters(), options);
    const ms = performance.now() - start;
    if (reviews.length !== REVIEWS || sources.some((s) => s.status !== 'ok')) throw new Error(`lost reviews: ${reviews.length}`);
    return ms;
  };

  // The plain client: same requests, same concurrency, keep-alive, JSON.parse, nothing else.
  const agent = new Agent({ keepAlive: true });
  const getJson = (path: string) =>
    new Promise<{ reviews?: unknown[] }>((resolve, reject) => {
      get(`${origin}${path}`, { agent, headers: { authorization: 'Bearer bench-key-000000' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve(JSON.parse(text) as { reviews?: unknown[] }));
      }).on('error', reject);
    });
  // The floor under the goal: the same plain loop with axios, configured as reviewkit's HTTP
  // layer configures it (text body, no redirects, no proxy lookup for loopback, same agent kind).
  const viaAxios = axios.create({ httpAgent: agent, responseType: 'text', transformResponse: [(data: unknown) => data], validateStatus: () => true, maxRedirects: 0, proxy: false });
  const getJsonViaAxios = async (path: string) =>
    JSON.parse((await viaAxios.get<string>(`${origin}${path}`, { headers: { Authorization: 'Bearer bench-key-000000' } })).data) as { reviews?: unknown[] };

  const runPlain = async (fetchJson = getJson) => {
    const start = performance.now();
    let next = 0;
    let count = 0;
    const worker = async () => {
      while (next < SOURCES) {
        const s = next++;
        const [, first] = await Promise.all([fetchJson(`/v3/businesses/biz-${s}`), fetchJson(`/v3/businesses/biz-${s}/reviews?limit=50`)]);
        count += first.reviews?.length ?? 0;
        for (let p = 1; p < PAGES; p++) {
          const page = await fetchJson(`/v3/businesses/biz-${s}/reviews?limit=50&offset=${p * PAGE_SIZE}`);
          count += page.reviews?.length ?? 0;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (count !== REVIEWS) throw new Error(`plain client lost reviews: ${count}`);
    return performance.now() - start;
  };

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
  if (process.argv[2] === 'profile') {
    await setLatency(0);
    for (let i = 0; i < 10; i++) console.log(`aggregate: ${(await runReviewkit()).toFixed(0)} ms`);
    child.kill();
    return;
  }
  try {
    await setLatency(0);
    for (let i = 0; i < 2; i++) await runPlain(), await runPlain(getJsonViaAxios), await runReviewkit(); // warm-up
    const ratios: number[] = [];
    const axiosRatios: number[] = [];
    const kit: number[] = [];
    const plain: number[] = [];
    const withAxios: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const p = await runPlain();
      const a = await runPlain(getJsonViaAxios);
      const k = await runReviewkit();
      plain.push(p);
      withAxios.push(a);
      kit.push(k);
      ratios.push(k / p);
      axiosRatios.push(a / p);
    }
    console.log(`${SOURCES} sources × ${PAGES} pages × ${PAGE_SIZE} reviews = ${REVIEWS.toLocaleString('en-US')} reviews, concurrency ${CONCURRENCY}`);
    console.log(`zero latency, median of ${rounds} interleaved rounds:`);
    console.log(`  plain http.get + JSON.parse  ${median(plain).toFixed(0)} ms   1.00×`);
    console.log(`  the same loop through axios  ${median(withAxios).toFixed(0)} ms   ${median(axiosRatios).toFixed(2)}×  (the HTTP client alone, no validation)`);
    console.log(`  reviewkit aggregate          ${median(kit).toFixed(0)} ms   ${median(ratios).toFixed(2)}×  (goal ≤ 2×)`);

    await setLatency(LATENCY_MS);
    const ideal = Math.ceil(SOURCES / CONCURRENCY) * PAGES * LATENCY_MS;
    const efficiencies: number[] = [];
    for (let i = 0; i < 3; i++) efficiencies.push(ideal / (await runReviewkit()));
    console.log(`${LATENCY_MS} ms latency: ideal ${ideal} ms; efficiency (ideal / measured), median of 3: ${median(efficiencies).toFixed(3)}  (goal ≥ 0.95)`);
  } finally {
    agent.destroy();
    child.kill();
  }
}
