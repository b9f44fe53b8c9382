// What `fetch`, `sync` and `demo` share: each configured source wrapped to report its progress,
// shown live on a terminal, one plain line per event elsewhere, or not at all (`--quiet`).
import type { ConfiguredSource } from './config.js';
import type { CliContext } from './context.js';
import type { Styles } from './output.js';
import { liveProgress, plainProgress, type ProgressView, silentProgress } from './progress.js';
import { RunTracker } from './tracker.js';

/** A run's tracker (wrap the adapters with it) and the view showing it (stop it when the run ends). */
export interface TrackedRun {
  tracker: RunTracker;
  view: ProgressView;
}

/** Tracks `sources` and shows their progress on stderr (nothing when `isQuiet`); secrets redacted. */
export async function trackSources(
  sources: readonly Pick<ConfiguredSource, 'index' | 'adapterName' | 'adapter'>[],
  ctx: Pick<CliContext, 'stderr'>,
  options: { isQuiet: boolean; secrets: readonly string[]; styles: Styles },
): Promise<TrackedRun> {
  let view: ProgressView = silentProgress;
  const tracker = new RunTracker(sources, (change, source) => view.update(change, source));
  if (!options.isQuiet) {
    view = ctx.stderr.isTTY ? await liveProgress(ctx.stderr, tracker.sources, options.styles, options.secrets) : plainProgress(ctx.stderr, options.secrets);
  }
  return { tracker, view };
}

/** The adapters of `sources`, each reporting to `tracker`, in order. */
export function trackedAdapters(sources: readonly Pick<ConfiguredSource, 'adapter'>[], tracker: RunTracker): ConfiguredSource['adapter'][] {
  return sources.map((source, position) => tracker.wrap(source.adapter, position));
}
