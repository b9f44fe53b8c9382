// The store `sync`, `watch` and `reply` use: `--store DIR` (a file store, the embedded default)
// or `--store sqlite:PATH` (better-sqlite3), or the config file's "store".
import { resolve } from 'node:path';
import { fileStore, type ReviewStore, sqliteStore } from 'reviewkit';
import type { LoadedConfig } from './config.js';
import { CliError } from './errors.js';

const SQLITE_PREFIX = 'sqlite:';

/** Where a store lives, as `--store` or a config's `store` names it. */
export type StoreLocation = { kind: 'file'; path: string } | { kind: 'sqlite'; path: string };

/**
 * Reads a store spec, `DIR` or `sqlite:PATH`, resolving a relative path against `baseDir`.
 *
 * @throws CliError for an empty spec.
 */
export function parseStoreSpec(spec: string, baseDir: string, shownAs: string): StoreLocation {
  const isSqlite = spec.startsWith(SQLITE_PREFIX);
  const path = isSqlite ? spec.slice(SQLITE_PREFIX.length) : spec;
  if (path.trim() === '') {
    throw new CliError(`${shownAs} needs a folder (a file store) or sqlite:PATH (an SQLite file); got ${JSON.stringify(spec)}.`);
  }
  return { kind: isSqlite ? 'sqlite' : 'file', path: resolve(baseDir, path) };
}

/**
 * The store to use: `--store` (relative to the working directory) when given, else the config
 * file's `store` (already resolved against the config's folder).
 *
 * @throws CliError when neither names one.
 */
export function storeLocation(flag: string | undefined, configured: LoadedConfig['store'], cwd: string, where: { command: string; configFile: string }): StoreLocation {
  if (flag !== undefined) return parseStoreSpec(flag, cwd, '--store');
  if (configured !== undefined) return configured;
  throw new CliError(`${where.command} needs a store: pass --store DIR (or --store sqlite:reviews.db), or set "store" in ${where.configFile}.`);
}

/** Opens the store (a file store takes its folder's lock; SQLite loads better-sqlite3 on first use). */
export function openStore(location: StoreLocation): ReviewStore {
  return location.kind === 'sqlite' ? sqliteStore(location.path) : fileStore(location.path);
}

/** `reviews/` or `sqlite:reviews.db`, relative to `cwd` when inside it: how messages name a store. */
export function describeStore(location: StoreLocation, cwd: string): string {
  const shown = location.path.startsWith(`${cwd}/`) ? location.path.slice(cwd.length + 1) : location.path;
  return location.kind === 'sqlite' ? `${SQLITE_PREFIX}${shown}` : shown;
}
