// `reviewkit report`: one self-contained HTML page an owner can open, share or print.
import { basename, resolve } from 'node:path';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CODES } from '../errors.js';
import { type ReadFlags, readInputs } from '../inputs.js';
import { plural } from '../output.js';
import { buildReportModel } from '../report/model.js';
import { renderReport } from '../report/page.js';
import { writeOutput } from '../review-output.js';

/** The flags of `report`. */
export interface ReportFlags extends ReadFlags {
  out?: string;
  title?: string;
}

/** Runs `report`; resolves to its exit code. */
export async function runReport(files: readonly string[], flags: ReportFlags, ctx: CliContext): Promise<number> {
  if (flags.out === undefined && ctx.stdout.isTTY) {
    throw new CliError('pass --out report.html (or redirect stdout to a file): the report is an HTML page, not terminal text.');
  }
  const { loaded, asOf } = await readInputs(files, flags, ctx);
  const model = buildReportModel(loaded.reviews, {
    asOf,
    files: files.map((file) => (file === '-' ? 'stdin' : basename(file))),
    ...(flags.title !== undefined && { title: flags.title }),
  });
  await writeOutput(renderReport(model), flags.out === undefined ? undefined : resolve(ctx.cwd, flags.out), ctx.stdout);
  if (flags.out !== undefined) ctx.stderr.write(`Report of ${plural(loaded.reviews.length, 'review')} written to ${flags.out}.\n`);
  return EXIT_CODES.ok;
}
