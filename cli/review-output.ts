// Writing reviews out: NDJSON, a JSON array or CSV (the layout the library's readers take
// back), to stdout or to a file that appears whole or not at all.
import { rename, rm, writeFile } from 'node:fs/promises';
import { type Review, type ReviewFileFormat, reviewFileFormatOf, toCsv } from 'reviewkit';
import { CliError } from './errors.js';
import type { OutputStream } from './output.js';
import { OUTPUT_FORMATS } from './parameters.js';


/** Reviews as text in a format `readReviews` reads back. */
export function serializeReviews(reviews: readonly Review[], format: ReviewFileFormat): string {
  if (format === 'csv') return toCsv(reviews);
  if (format === 'json') return reviews.length === 0 ? '[]\n' : `[\n${reviews.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
  return reviews.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/**
 * The format to write: `--format` when given (it must agree with the extension of `--out`), else
 * the one `--out`'s extension names, else NDJSON.
 */
export function chooseFormat(format: string | undefined, out: string | undefined): ReviewFileFormat {
  if (format !== undefined && !(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new CliError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}; got ${JSON.stringify(format)}`);
  }
  const fromExtension = out === undefined ? undefined : formatOfPath(out);
  if (format !== undefined && fromExtension !== undefined && format !== fromExtension) {
    throw new CliError(`--format ${format} does not match --out ${out}, whose extension means ${fromExtension}: reading it back would fail. Change one of them.`);
  }
  return (format as ReviewFileFormat | undefined) ?? fromExtension ?? 'ndjson';
}

function formatOfPath(path: string): ReviewFileFormat | undefined {
  try {
    return reviewFileFormatOf(path);
  } catch {
    return undefined;
  }
}

/**
 * Writes `text` to `path` through a temporary file renamed into place, so a reader never sees
 * half a file; or to `stdout` when `path` is undefined.
 */
export async function writeOutput(text: string, path: string | undefined, stdout: OutputStream): Promise<void> {
  if (path === undefined) {
    stdout.write(text);
    return;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(`cannot write ${path} (${code === 'ENOENT' ? 'no such directory' : code}).`);
  }
}
