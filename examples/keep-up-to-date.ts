// sync-reviews.ts: run it from cron (*/30 * * * * node sync-reviews.js); each run fetches only what is new.
import { fileStore, sync } from 'reviewkit';
import { trustpilot } from 'reviewkit/adapters/trustpilot';
import { yelp } from 'reviewkit/adapters/yelp';

const store = fileStore('./reviews'); // or sqliteStore('./reviews.db') with better-sqlite3 installed
const { added, updated, sources } = await sync(
  [yelp({ apiKey: process.env.YELP_KEY!, businessId: 'acme-bistro-oakland' }), trustpilot({ apiKey: process.env.TRUSTPILOT_KEY!, businessUnitId: '4bdc7a1e000064000500b1c2' })],
  { store },
);
console.log(`${added.length} new, ${updated.length} edited`);
for (const source of sources) if (source.error) console.error(`${source.source}: ${source.error.message}`);
await store.close();
