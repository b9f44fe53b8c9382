// Finding the review `reply` answers, by id: in an export, in a store, or by fetching the
// config's sources of that kind until it turns up.
import { type Review, ReviewkitError, redact, streamReviewFile, streamReviews } from 'reviewkit';
import type { LoadedConfig } from './config.js';
import { CliError, EXIT_CODES } from './errors.js';
import { plural } from './output.js';
import { describeStore, openStore, type StoreLocation } from './store.js';

/** Where to look for the review. */
export type ReviewOrigin =
  | { kind: 'file'; path: string; shownAs: string }
  | { kind: 'store'; location: StoreLocation }
  | { kind: 'fetch'; configFile: string };

/** The source part of a review id (`google-business-profile` of `google-business-profile:abc`). */
export function sourceOfId(id: string): string {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) {
    throw new CliError(`--review takes a review's id as exports carry it, "<source>:<externalId>" like "yelp:xAG4mz"; got ${JSON.stringify(id)}`);
  }
  return id.slice(0, colon);
}

/**
 * The review with this id, from `origin`.
 *
 * @throws CliError when it is not there (naming where it looked, and any source that failed).
 */
export async function findReview(
  id: string,
  origin: ReviewOrigin,
  context: { config: LoadedConfig; cwd: string; signal: AbortSignal; secrets: readonly string[] },
): Promise<Review> {
  const source = sourceOfId(id);
  if (origin.kind === 'file') return inFile(id, origin.path, origin.shownAs, context.signal);
  if (origin.kind === 'store') {
    const store = openStore(origin.location);
    try {
      const review = await store.get(id);
      if (review) return review;
    } finally {
      await store.close();
    }
    throw new CliError(`no review ${id} in the store ${describeStore(origin.location, context.cwd)}: run reviewkit sync first, or check the id.`);
  }
  return fetched(id, source, origin.configFile, context);
}

async function inFile(id: string, path: string, shownAs: string, signal: AbortSignal): Promise<Review> {
  try {
    for await (const review of streamReviewFile(path, { signal })) if (review.id === id) return review;
  } catch (error) {
    if (ReviewkitError.is(error) && error.code !== 'ABORTED') throw new CliError(error.message.split(path).join(shownAs));
    throw error;
  }
  throw new CliError(`no review ${id} in ${shownAs}.`);
}

async function fetched(
  id: string,
  source: string,
  configFile: string,
  { config, signal, secrets }: { config: LoadedConfig; signal: AbortSignal; secrets: readonly string[] },
): Promise<Review> {
  const candidates = config.sources.filter((entry) => entry.adapter.name === source);
  if (candidates.length === 0) {
    throw new CliError(`no source in ${configFile} reads ${source} reviews, so ${id} can be neither found nor answered: add the source it came from, or pass --from FILE / --store.`);
  }
  const failures: string[] = [];
  let count = 0;
  try {
    const reviews = streamReviews(
      candidates.map((entry) => entry.adapter),
      {
        ...config.run,
        signal,
        onProgress: (event) => {
          if (event.type === 'source:failed') failures.push(`${event.source} ${event.subjectId}: ${event.error.code}: ${event.error.message}`);
        },
      },
    );
    for await (const review of reviews) {
      count++;
      if (review.id === id) return review;
    }
  } catch (error) {
    if (ReviewkitError.is(error) && error.code === 'ABORTED') throw new CliError('interrupted; nothing was sent.', EXIT_CODES.interrupted);
    throw error;
  }
  const where = candidates.map((entry) => `sources[${entry.index}]`).join(', ');
  const failed = failures.length > 0 ? ` (${failures.join('; ')})` : '';
  throw new CliError(redact(`no review ${id} among the ${plural(count, 'review')} fetched from ${where} of ${configFile}${failed}.`, secrets));
}
