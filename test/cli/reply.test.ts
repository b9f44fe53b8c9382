// `reviewkit reply`, run as a child process against a sandbox served from this process, whose
// reply endpoints take the same writes as the real APIs: finding the review (export, store,
// fetching), --dry-run, the text rules, sources that cannot answer (nothing sent), replies
// published, held for moderation, refused by the source, and a failed request (exit 2).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aggregate, fileStore, type Review } from '../../src/index.js';
import { createSandbox, type Sandbox } from '../../testing/index.js';
import { builtPackage, type RunResult, runBin } from './helpers.js';
import { removeScratch } from './sample-config.js';
import { sandboxSecrets, writeSandboxConfig } from './sandbox-helpers.js';

let sandbox: Sandbox;
let reviews: Review[];
let dir: string;
beforeAll(async () => {
  [sandbox] = await Promise.all([createSandbox({ seed: 1 }), builtPackage()]);
  reviews = (await aggregate(sandbox.adapters())).reviews;
  dir = writeSandboxConfig(sandbox);
  writeFileSync(join(dir, 'reviews.ndjson'), reviews.map((review) => `${JSON.stringify(review)}\n`).join(''));
});
afterAll(async () => {
  removeScratch();
  await sandbox.close();
});
beforeEach(() => sandbox.clearRequests());

/** The newest review of a source with text (`app-store`: the public feed's, which cannot be answered). */
function reviewOf(source: string, skip = 0): Review {
  const feedApp = sandbox.adapterOptions('app-store').appId;
  const found = reviews.filter((r) => r.source === source && r.text !== null && (source !== 'app-store' || r.subject.id === feedApp));
  const review = found[skip];
  if (!review) throw new Error(`no ${source} review in the sandbox`);
  return review;
}

/** The replies the sandbox holds for a review. */
const heldReplies = (source: 'google-business-profile', review: Review) => sandbox.reviews(source).find((r) => r.externalId === review.externalId)?.replies.map((reply) => reply.text);

const stars = (review: Review) => (review.stars === null ? '' : `${'★'.repeat(Math.round(review.stars))}${'☆'.repeat(5 - Math.round(review.stars))}`);

function expectNoSecret(run: RunResult): void {
  for (const secret of sandboxSecrets(sandbox)) expect(run.stdout + run.stderr, 'a secret was printed').not.toContain(secret);
}

describe('reviewkit reply', () => {
  it('--dry-run finds the review in an export, checks the text and says the source cannot answer; nothing is requested', async () => {
    const review = reviewOf('tripadvisor');
    const run = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', 'Thank you', '--from', 'reviews.ndjson', '--dry-run'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`dry run (nothing sent)  ${review.id}  ${stars(review)} by ${review.author.name} on ${review.createdAt?.toISOString().slice(0, 10)}: ${JSON.stringify(`${review.text?.slice(0, 59)}…`)}`);
    expect(lines.slice(1, 4)).toEqual(['  source  tripadvisor', '  text    9 characters, 9 bytes in UTF-8; keeps the rules (not empty)', '  result  unsupported']);
    expect(lines[4]).toMatch(/^ {10}tripadvisor: \S/);
    expect(sandbox.requests).toEqual([]);
    expectNoSecret(run);
  });

  it.each(['app-store', 'x', 'tripadvisor'])('--dry-run --json for %s: unsupported, with the reason, exit 1', async (source) => {
    const review = reviewOf(source);
    const run = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', 'Thanks for the kind words!', '--from', 'reviews.ndjson', '--dry-run', '--json'], { cwd: dir });
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ dryRun: true, status: 'unsupported', review: review.id, adapter: source, textProblem: null });
    expect(result.reason).toMatch(new RegExp(`^${source}: \\S`));
    expect(sandbox.requests).toEqual([]);
  });

  it('reports text that breaks the rules (an empty reply), whatever the source; --text-file - reads stdin', async () => {
    const review = reviewOf('google-business-profile');
    const blank = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', '   ', '--from', 'reviews.ndjson', '--dry-run', '--json'], { cwd: dir });
    expect(blank.code).toBe(1);
    const result = JSON.parse(blank.stdout) as { status: string; reason: string; textProblem: string };
    expect(result.textProblem).toBe('the reply text is empty.');
    expect(result.status).toBe('rejected');
    expect(result.reason).toBe('google-business-profile: the reply text is empty.');

    const human = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', '', '--from', 'reviews.ndjson', '--dry-run'], { cwd: dir });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('\n  text    0 characters, 0 bytes in UTF-8; the reply text is empty.\n');

    const piped = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text-file', '-', '--from', 'reviews.ndjson', '--dry-run'], { cwd: dir, input: 'Thank you 🙂\n' });
    expect(piped.stdout).toContain('\n  text    11 characters, 14 bytes in UTF-8; ');
  });

  it('without --dry-run, an unsupported source gets { status: "unsupported" } and exit 1, with nothing sent', async () => {
    const review = reviewOf('app-store');
    const json = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', 'Fixed in 4.3, thank you!', '--from', 'reviews.ndjson', '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['status', 'reply', 'reason']);
    expect(result).toMatchObject({ status: 'unsupported', reply: null });
    expect(result.reason).toMatch(/^app-store: \S/);

    const human = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', 'Fixed in 4.3, thank you!', '--from', 'reviews.ndjson'], { cwd: dir });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(new RegExp(`^unsupported  ${review.id}  ${stars(review)} by .*\\n  app-store: \\S.*\\n$`));
    expect(sandbox.requests).toEqual([]);
    expectNoSecret(human);
  });

  it('--dry-run says a reply that keeps the rules would be sent (exit 0), and shows the source\'s rules', async () => {
    const review = reviewOf('google-business-profile');
    const run = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', 'Thank you, see you soon!', '--from', 'reviews.ndjson', '--dry-run'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(1)).toEqual([
      '  source  google-business-profile',
      '  text    24 characters, 24 bytes in UTF-8; keeps the rules (not empty, at most 4,096 bytes)',
      '  result  ready: the source can answer and the text keeps its rules',
      '',
    ]);
    const play = await runBin(['reply', '--config', 'sandbox.json', '--review', reviewOf('google-play').id, '--text', '<b>Thanks!</b>', '--from', 'reviews.ndjson', '--dry-run', '--json'], { cwd: dir });
    expect(play.code).toBe(0);
    expect(JSON.parse(play.stdout)).toMatchObject({ status: 'ready', adapter: 'google-play', rules: { maxChars: 350, stripsHtml: true }, textProblem: null });
    expect(sandbox.requests).toEqual([]);
  });

  it('publishes a reply through the source (exit 0); the source then holds it', async () => {
    const review = reviewOf('google-business-profile', 1);
    const run = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', 'Thank you for the kind words!', '--from', 'reviews.ndjson'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^published  ${review.id}  `));
    expect(lines[1]).toMatch(/^ {2}reply of \d{4}-\d\d-\d\dT[\d:.]+Z: "Thank you for the kind words!"$/);
    expect(heldReplies('google-business-profile', review)).toEqual(['Thank you for the kind words!']);
    expect(sandbox.requests.map((request) => `${request.method} ${request.status}`)).toContain('PUT 200');

    const json = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', 'Thank you again!', '--from', 'reviews.ndjson', '--json'], { cwd: dir });
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as { status: string; reply: { text: string; createdAt: string } };
    expect(result.status).toBe('published');
    expect(result.reply.text).toBe('Thank you again!');
    expect(heldReplies('google-business-profile', review)).toEqual(['Thank you again!']);
    expectNoSecret(run);
    expectNoSecret(json);
  });

  it('reports a reply held for moderation as pending (exit 0), and one the source refuses as rejected (exit 1)', async () => {
    const pending = await runBin(['reply', '--config', 'sandbox.json', '--review', reviewOf('google-business-profile', 2).id, '--text', 'Details at https://example.com/menu', '--from', 'reviews.ndjson', '--json'], { cwd: dir });
    expect(pending.code).toBe(0);
    expect(JSON.parse(pending.stdout)).toMatchObject({ status: 'pending' });
    const refused = await runBin(['reply', '--config', 'sandbox.json', '--review', reviewOf('google-business-profile', 3).id, '--text', 'Use promo code SORRY10 for a discount', '--from', 'reviews.ndjson'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^rejected {2}google-business-profile:\S+ {2}.*\n {2}\S.*\n$/);
  });

  it('refuses text breaking the rules before any request (exit 1)', async () => {
    const review = reviewOf('google-business-profile');
    const run = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', 'é'.repeat(2100), '--from', 'reviews.ndjson', '--json'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ status: 'rejected', reply: null, reason: 'google-business-profile: the reply is 4,200 bytes in UTF-8; at most 4,096 are allowed.' });
    expect(sandbox.requests).toEqual([]);
  });

  it('exits 2 when the request fails, saying why without the token', async () => {
    const wrongToken = 'ya29.wrong-token-0123456789abcdef';
    writeSandboxConfig(sandbox, {
      dir,
      name: 'revoked.json',
      change: (config) => {
        const source = config.sources.find((entry) => entry.adapter === 'google-business-profile');
        if (source) source.options.accessToken = wrongToken;
      },
    });
    const run = await runBin(['reply', '--config', 'revoked.json', '--review', reviewOf('google-business-profile').id, '--text', 'Thank you!', '--from', 'reviews.ndjson'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: the reply failed: AUTH: google-business-profile: \S.*\n$/);
    expect(run.stderr).not.toContain(wrongToken);
    expectNoSecret(run);

    // As many failures as the tries an upsert gets: none is left over for other tests.
    sandbox.injectFault({ method: 'PUT', kind: 'server-error', times: 3 });
    const failing = await runBin(['reply', '--config', 'sandbox.json', '--review', reviewOf('google-business-profile').id, '--text', 'Thank you!', '--from', 'reviews.ndjson'], { cwd: dir });
    expect(failing.code).toBe(2);
    expect(failing.stderr).toMatch(/^error: the reply failed: HTTP: google-business-profile: /);
  }, 60_000);

  it('without --from, fetches only the sources of the review\'s kind until it turns up', async () => {
    const review = reviewOf('x');
    const run = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', 'Thanks!', '--dry-run'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^dry run \\(nothing sent\\)  ${review.id}  unrated by `));
    expect(sandbox.requests.length).toBeGreaterThan(0);
    expect(new Set(sandbox.requests.map((request) => request.source))).toEqual(new Set(['x']));
    expectNoSecret(run);
  });

  it('says when the review is nowhere to be found, or no source of the config reads its kind', async () => {
    const missing = await runBin(['reply', '--config', 'sandbox.json', '--review', 'trustpilot:does-not-exist', '--text', 'Thanks!'], { cwd: dir });
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'error: no review trustpilot:does-not-exist among the 48 reviews fetched from sources[5] of sandbox.json.\n' });
    expect(new Set(sandbox.requests.map((request) => request.source))).toEqual(new Set(['trustpilot']));

    const notInFile = await runBin(['reply', '--config', 'sandbox.json', '--review', 'trustpilot:does-not-exist', '--text', 'Thanks!', '--from', 'reviews.ndjson'], { cwd: dir });
    expect(notInFile).toEqual({ code: 1, stdout: '', stderr: 'error: no review trustpilot:does-not-exist in reviews.ndjson.\n' });

    const yelp = reviewOf('yelp');
    writeSandboxConfig(sandbox, { sources: ['trustpilot'], dir, name: 'trustpilot-only.json' });
    const unread = await runBin(['reply', '--config', 'trustpilot-only.json', '--review', yelp.id, '--text', 'Thanks!'], { cwd: dir });
    expect(unread).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: no source in trustpilot-only.json reads yelp reviews, so ${yelp.id} can be neither found nor answered: add the source it came from, or pass --from FILE / --store.\n`,
    });
    const unowned = await runBin(['reply', '--config', 'trustpilot-only.json', '--review', yelp.id, '--text', 'Thanks!', '--from', 'reviews.ndjson', '--json'], { cwd: dir });
    expect(unowned.code).toBe(1);
    expect(JSON.parse(unowned.stdout)).toEqual({
      status: 'unsupported',
      reply: null,
      reason: `no source of the config owns this review (source yelp, subject ${yelp.subject.id}): add the source it was read with, with its credentials.`,
    });
  });

  it('finds the review in a store (--store, or the config\'s "store")', async () => {
    const review = reviewOf('facebook');
    const store = fileStore(join(dir, 'kept'));
    try {
      await store.upsert([review]);
    } finally {
      await store.close();
    }
    const flag = await runBin(['reply', '--config', 'sandbox.json', '--review', review.id, '--text', 'Thanks!', '--store', 'kept', '--dry-run', '--json'], { cwd: dir });
    expect(JSON.parse(flag.stdout)).toMatchObject({ status: 'ready', review: review.id, adapter: 'facebook' });
    expect(sandbox.requests).toEqual([]);

    writeSandboxConfig(sandbox, { dir, name: 'stored.json', change: (config) => void (config.store = 'kept') });
    const configured = await runBin(['reply', '--config', 'stored.json', '--review', review.id, '--text', 'Thanks!', '--dry-run', '--json'], { cwd: dir });
    expect(JSON.parse(configured.stdout)).toMatchObject({ review: review.id, adapter: 'facebook' });
    const absent = await runBin(['reply', '--config', 'stored.json', '--review', 'facebook:nope', '--text', 'Thanks!'], { cwd: dir });
    expect(absent).toEqual({ code: 1, stdout: '', stderr: 'error: no review facebook:nope in the store kept: run reviewkit sync first, or check the id.\n' });
    expect(sandbox.requests).toEqual([]);
  });

  it('explains usage errors with exit 1', async () => {
    const id = reviewOf('yelp').id;
    const cases: [string[], string][] = [
      [['--text', 'x'], "error: required option '-r, --review <id>' not specified\n"],
      [['--review', 'no-colon', '--text', 'x'], 'error: --review takes a review\'s id as exports carry it, "<source>:<externalId>" like "yelp:xAG4mz"; got "no-colon"\n'],
      [['--review', id], 'error: pass the reply with --text "…" or --text-file FILE.\n'],
      [['--review', id, '--text', 'x', '--text-file', 'a.txt'], 'error: pass --text or --text-file, not both.\n'],
      [['--review', id, '--text-file', 'missing.txt'], 'error: cannot read missing.txt (no such file).\n'],
      [['--review', id, '--text', 'x', '--from', 'reviews.ndjson', '--store', 'kept'], 'error: pass --from FILE or --store STORE, not both: the review is looked up in one place.\n'],
      [['--review', id, '--text', 'x', '--from', 'missing.ndjson'], 'error: No file at missing.ndjson: check the path\n'],
    ];
    for (const [args, message] of cases) {
      const run = await runBin(['reply', '--config', 'sandbox.json', ...args], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.slice(0, message.length)).toBe(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
