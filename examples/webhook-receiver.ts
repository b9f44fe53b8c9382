// Receives reviewkit's toWebhook events with nothing but Node's standard library: checks the
// HMAC-SHA256 signature over the raw body, refuses stale timestamps (replays), and drops repeats.
// Run: HOOK_SECRET=… npx tsx examples/webhook-receiver.ts
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';

/** True when the request was signed with `secret` less than five minutes ago. */
export function isSignedByReviewkit(rawBody: string, headers: IncomingHttpHeaders, secret: string, now = Date.now()): boolean {
  const timestamp = headers['x-reviewkit-timestamp'];
  const signature = headers['x-reviewkit-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > 300) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const secret = process.env.HOOK_SECRET ?? '';
  const seen = new Set<string>(); // use your database in production: ids repeat only after a crash
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      if (!isSignedByReviewkit(rawBody, req.headers, secret)) return void res.writeHead(401).end();
      const event = JSON.parse(rawBody) as { id: string; type: string; review: { source: string; text: string | null } };
      if (!seen.has(event.id)) console.log(event.type, event.review.source, event.review.text);
      seen.add(event.id);
      res.writeHead(204).end();
    });
  }).listen(Number(process.env.PORT ?? 8787));
}
