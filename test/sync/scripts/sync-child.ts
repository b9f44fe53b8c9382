// Run by crash.test.ts: syncs one big shop into a store and prints a line after every durable
// write, so the parent can SIGKILL it mid-source. Usage: sync-child.ts <file|sqlite> <path> <baseUrl>
import { fileStore, sqliteStore, sync } from '../../../src/index.js';
import { shop } from '../helpers.js';

const [kind, path, baseUrl] = process.argv.slice(2) as [string, string, string];
const store = kind === 'sqlite' ? sqliteStore(path) : fileStore(path);
const result = await sync([shop({ shop: 'big', baseUrl })], {
  store,
  retry: { attempts: 1 },
  onStored: (info) => process.stdout.write(`${JSON.stringify({ added: info.added, cursor: info.resumePoint?.cursor ?? null })}\n`),
});
await store.close();
process.stdout.write(`${JSON.stringify({ done: result.added.length })}\n`);
