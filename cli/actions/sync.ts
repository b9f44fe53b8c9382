// `reviewkit sync`: every source of a config file brought up to date in a store, with what each
// added, updated or found unchanged.
import { resolve } from 'node:path';
import { type Adapter, ReviewkitError, resumeKeyOf, type SyncResult, sync } from 'reviewkit';
import { loadConfig } from '../config.js';
import type { CliContext } from '../context.js';
import { parseDateFlag } from '../dates.js';
import { CliError, EXIT_CODES } from '../errors.js';
import { plural, stylesFor } from '../output.js';
import { DEFAULT_CONFIG_FILE } from '../parameters.js';
import { describeStore, openStore, storeLocation } from '../store.js';
import { formatDetails } from '../summary.js';
import { type SyncCounts, formatSyncTable, syncJson } from '../sync-summary.js';
import { trackedAdapters, trackSources } from '../tracked-run.js';

/** The flags of `sync`. */
export interface SyncFlags {
  config?: string;
  store?: string;
  since?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Runs `sync`; resolves to its exit code. */
export async function runSync(flags: SyncFlags, ctx: CliContext): Promise<number> {
  const now = new Date();
  const since = flags.since === undefined ? undefined : parseDateFlag(flags.since, '--since', now);
  const configFile = flags.config ?? DEFAULT_CONFIG_FILE;
  const config = await loadConfig(resolve(ctx.cwd, configFile), ctx.env, configFile);
  for (const secret of config.secrets) ctx.secrets.add(secret);
  const secrets = [...ctx.secrets];
  const location = storeLocation(flags.store, config.store, ctx.cwd, { command: 'sync', configFile });
  const storeName = describeStore(location, ctx.cwd);
  const errStyles = stylesFor(ctx.stderr, ctx.env);
  const styles = stylesFor(ctx.stdout, ctx.env);

  const counts = config.sources.map((): SyncCounts => ({ added: 0, updated: 0, unchanged: 0 }));
  const positionOfKey = firstPositions(config.sources.map((source) => source.adapter));
  const store = openStore(location);
  let result: SyncResult;
  // Started last: a live view left running by an error above would keep the cursor hidden.
  const { tracker, view } = await trackSources(config.sources, ctx, { isQuiet: flags.quiet === true || flags.json === true, secrets, styles: errStyles });
  try {
    result = await sync(trackedAdapters(config.sources, tracker), {
      ...config.run,
      ...(since && { since }),
      store,
      signal: ctx.signal,
      now,
      onStored: (info) => {
        const row = counts[positionOfKey.get(info.key) ?? -1];
        if (!row) return;
        row.added += info.added;
        row.updated += info.updated;
        row.unchanged += info.unchanged;
      },
    });
  } catch (error) {
    view.stop();
    if (ReviewkitError.is(error) && error.code === 'ABORTED') throw new CliError('interrupted; every page fetched so far is stored, and the next sync continues from there.', EXIT_CODES.interrupted);
    throw error;
  } finally {
    await store.close();
  }
  tracker.settle(result.sources);
  view.stop();

  const failed = tracker.sources.filter((source) => source.report?.error);
  const details = formatDetails(flags.quiet ? failed : tracker.sources, secrets, errStyles);
  if (flags.json) {
    ctx.stdout.write(`${JSON.stringify(syncJson(result, tracker.sources, counts, storeName, secrets), null, 2)}\n`);
  } else if (!flags.quiet) {
    const outcome = failed.length === 0 ? styles.green('all sources synced') : styles.red(`${failed.length} of ${plural(tracker.sources.length, 'source')} failed`);
    ctx.stdout.write(
      `${formatSyncTable(tracker.sources, counts, secrets, styles)}\n\n${result.added.length} added, ${result.updated.length} updated, ${result.unchanged} unchanged in ${storeName}; ${outcome}.\n`,
    );
  }
  if (details !== '') ctx.stderr.write(`${details}\n`);
  return failed.length === 0 ? EXIT_CODES.ok : EXIT_CODES.partial;
}

/** The position of the first adapter of each resume key: a repeated source's counts go to its first entry. */
function firstPositions(adapters: readonly Adapter[]): Map<string, number> {
  const positions = new Map<string, number>();
  adapters.forEach((adapter, position) => {
    const key = resumeKeyOf(adapter);
    if (!positions.has(key)) positions.set(key, position);
  });
  return positions;
}
