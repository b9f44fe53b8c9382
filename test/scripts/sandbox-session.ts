// A whole sandbox session in a process of its own: create, fetch every source, leave a request
// waiting out its latency, close. Prints one JSON line; the process must then exit by itself
// (test/sandbox/lifecycle.test.ts), which proves close() left no server, socket or timer behind.
// Usage: tsx test/scripts/sandbox-session.ts
import { createSandbox } from '../../sandbox/index.js';
import { aggregate } from '../../src/index.js';

const sandbox = await createSandbox({ seed: 2 });
const { sources } = await aggregate(sandbox.adapters(), { retry: { attempts: 1 } });
sandbox.setLatency(60_000);
// Answered only after a minute: close() must cut it short rather than wait.
const pending = fetch(`${sandbox.url}/us/rss/customerreviews/page=1/id=1600000001/sortby=mostrecent/json`).then(
  () => 'answered',
  () => 'cut',
);
await new Promise((resolve) => setTimeout(resolve, 100));
await sandbox.close();
const refused = await fetch(sandbox.url).then(
  () => false,
  () => true,
);
console.log(JSON.stringify({ statuses: sources.map((s) => s.status), pending: await pending, refused }));
