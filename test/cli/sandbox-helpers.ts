// Config files pointing at a sandbox running in the test process (the bin fetches from it), and
// the credentials they hold (which no output may ever show).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretsIn } from '../../cli/config.js';
import { type SandboxConfigFile, sandboxConfig } from '../../cli/sandbox-config.js';
import { SANDBOX_SOURCES, type Sandbox, type SandboxSource } from '../../testing/index.js';
import { scratchDir } from './sample-config.js';

/** Options of {@link writeSandboxConfig}. */
export interface SandboxConfigOptions {
  sources?: readonly SandboxSource[];
  dir?: string;
  name?: string;
  /** Changes the config before it is written (a wrong key, a `store`, run options). */
  change?: (config: SandboxConfigFile & Record<string, unknown>) => void;
}

/** Writes a config for `sandbox` (every source by default); returns its folder. */
export function writeSandboxConfig(sandbox: Sandbox, options: SandboxConfigOptions = {}): string {
  const dir = options.dir ?? scratchDir();
  const config: SandboxConfigFile & Record<string, unknown> = { ...sandboxConfig(sandbox, options.sources ?? SANDBOX_SOURCES) };
  options.change?.(config);
  writeFileSync(join(dir, options.name ?? 'sandbox.json'), JSON.stringify(config, null, 2));
  return dir;
}

/** Every credential of the sandbox's config: none may appear in any output. */
export function sandboxSecrets(sandbox: Sandbox): string[] {
  return secretsIn(sandboxConfig(sandbox, SANDBOX_SOURCES));
}
