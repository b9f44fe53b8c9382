// Shared by the CLI tests: the package built once (library + bin, as tsup.config.ts builds them,
// without declarations) into a package folder of its own, and the bin run there as a child
// process, the way a user runs it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'tsup';
import { cliConfig, libraryConfig } from '../../tsup.config.js';

export const root = new URL('../..', import.meta.url).pathname;

const SOURCES = ['src', 'adapters', 'testing', 'cli'];

/** A digest of everything the build reads: a changed file means a fresh build. */
function sourceDigest(): string {
  // The root too: the copy links the repository's node_modules, so a clone elsewhere builds its own.
  const hash = createHash('sha256').update(root).update('\0');
  const files = SOURCES.flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((file) => join(dir, file)));
  for (const file of [...files.sort(), 'package.json', 'tsup.config.ts', 'tsconfig.json']) {
    const path = join(root, file);
    if (!statSync(path).isFile()) continue;
    hash.update(file).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

let built: Promise<string> | undefined;

/**
 * The folder of a built copy of the package (package.json, dist/, node_modules linked to the
 * repository's): `node <folder>/dist/cli.js` is the installed bin, and `import('reviewkit')`
 * from a file in the folder resolves to the built library. Built once per source state and
 * shared by every test file (a lock keeps parallel files from building it twice).
 */
export function builtPackage(): Promise<string> {
  built ??= buildOnce();
  return built;
}

async function buildOnce(): Promise<string> {
  const folder = join(tmpdir(), `reviewkit-cli-test-${sourceDigest()}`);
  const done = join(folder, '.built');
  const lock = `${folder}.lock`;
  for (;;) {
    if (existsSync(done)) return folder;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building it; a lock older than 5 minutes is a crashed build.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 300_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (existsSync(done)) return folder;
    const staging = `${folder}.staging`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    copyFileSync(join(root, 'package.json'), join(staging, 'package.json'));
    symlinkSync(join(root, 'node_modules'), join(staging, 'node_modules'), 'dir');
    const outDir = join(staging, 'dist');
    await build({ ...libraryConfig, config: false, dts: false, silent: true, outDir });
    await build({ ...cliConfig, config: false, silent: true, outDir });
    writeFileSync(join(staging, '.built'), new Date().toISOString());
    rmSync(folder, { recursive: true, force: true });
    renameSync(staging, folder);
    return folder;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** What a run of the bin printed and returned. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runBin}. */
export interface RunOptions {
  cwd?: string;
  /** Added to a clean environment (PATH, HOME and TZ only: the machine's NO_COLOR, CI or proxies never leak in). */
  env?: Record<string, string>;
  /** Written to the bin's stdin. */
  input?: string;
}

/**
 * Runs the built bin asynchronously (a fixture server in this process must keep answering) and
 * collects its output.
 */
export async function runBin(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const folder = await builtPackage();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(folder, 'dist', 'cli.js'), ...args], {
      cwd: options.cwd ?? folder,
      // The zone vitest runs in (far from UTC): output must not depend on it.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: process.env.TZ ?? 'UTC', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A bin left running (`sandbox`, `watch`): its output so far, waits on it, and a way to stop it. */
export interface RunningBin {
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once stdout or stderr (as named) matches `pattern`; rejects if the bin exits first or after `timeoutMs`. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` once and resolves when the bin exits by itself. */
  stop(signal?: NodeJS.Signals): Promise<RunResult>;
  /** Resolves when the bin exits. */
  readonly exited: Promise<RunResult>;
}

/** Starts the built bin without waiting for it to end (see {@link runBin} for the environment). */
export async function startBin(args: readonly string[], options: RunOptions = {}): Promise<RunningBin> {
  const folder = await builtPackage();
  const child = spawn(process.execPath, [join(folder, 'dist', 'cli.js'), ...args], {
    cwd: options.cwd ?? folder,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: process.env.TZ ?? 'UTC', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output.stdout += chunk;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk;
    notify();
  });
  const exited = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout: output.stdout, stderr: output.stderr });
      notify();
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  child.stdin.end(options.input ?? '');
  return {
    get stdout() {
      return output.stdout;
    },
    get stderr() {
      return output.stderr;
    },
    exited,
    waitFor(stream, pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern} on ${stream}; stderr so far:\n${output.stderr}`)), timeoutMs);
        const check = () => {
          const match = output[stream].match(pattern);
          if (match) finish(null, match);
          else if (hasExited || child.exitCode !== null || child.signalCode !== null) finish(new Error(`the bin exited (${child.exitCode}) before ${pattern} showed on ${stream}; stderr:\n${output.stderr}`));
        };
        const finish = (error: Error | null, match?: RegExpMatchArray) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve(match as RegExpMatchArray);
        };
        listeners.add(check);
        check();
      });
    },
    stop(signal = 'SIGINT') {
      child.kill(signal);
      return exited;
    },
  };
}
