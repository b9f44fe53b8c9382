// Run by watch.test.ts: watches one shop, aborts while the second poll's request is in flight,
// and must then exit on its own (no process.exit): a timer or socket left open would hang it.
import { memoryStore, watch } from '../../../src/index.js';
import { shop } from '../helpers.js';

const controller = new AbortController();
const events = watch([shop({ shop: 'a', baseUrl: process.argv[2] as string })], {
  store: memoryStore(),
  intervalMs: 20,
  retry: { attempts: 1 },
  signal: controller.signal,
  onPoll: (poll) => {
    process.stdout.write(`poll ${poll.poll}\n`);
    // Abort once the next poll's (hanging) request has started.
    setTimeout(() => {
      process.stdout.write('aborting\n');
      controller.abort();
    }, 500);
  },
});
for await (const event of events) process.stdout.write(`${event.type} ${event.review.externalId}\n`);
process.stdout.write('stopped\n');
