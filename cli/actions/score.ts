// `reviewkit score`: the reputation score of review files, with its breakdown and the figures
// around it, for a person (text) or a script (--json).
import type { CliContext } from '../context.js';
import { EXIT_CODES } from '../errors.js';
import { computeFigures } from '../figures.js';
import { type ReadFlags, readInputs } from '../inputs.js';
import { stylesFor } from '../output.js';
import { formatScoreText } from '../score-text.js';

/** The flags of `score`. */
export interface ScoreFlags extends ReadFlags {
  json?: boolean;
}

/** Runs `score`; resolves to its exit code. */
export async function runScore(files: readonly string[], flags: ScoreFlags, ctx: CliContext): Promise<number> {
  const { loaded, asOf } = await readInputs(files, flags, ctx);
  const figures = computeFigures(loaded.reviews, asOf);
  if (flags.json) {
    const { asOf: _asOf, reviews, rated, ...rest } = figures;
    ctx.stdout.write(`${JSON.stringify({ asOf, reviews, rated, duplicates: loaded.duplicates, files: loaded.files, ...rest }, null, 2)}\n`);
  } else {
    ctx.stdout.write(`${formatScoreText(figures, loaded, stylesFor(ctx.stdout, ctx.env))}\n`);
  }
  return EXIT_CODES.ok;
}
