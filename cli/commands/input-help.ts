/** The help text on input files, shared by `score` and `report`. */
export const INPUT_HELP = `Input files:
  Files written by \`reviewkit fetch\` or the library (NDJSON, a JSON array, the toCsv layout) are
  read as full reviews and validated. JSON and NDJSON files of plain score inputs are accepted too
  (like examples/sample-reviews.json): objects with stars (1-5), recommendation ("positive" or
  "negative"), createdAt (ISO 8601 with Z or an offset), replies ([{ createdAt, text }]) and
  source, and optionally id, title, text, author and url. A file whose first row has no
  "externalId" is read as plain inputs. Several files are merged; a review id found in several
  files counts once (the copy from the last file), and reviews are taken newest first whatever
  the files' order. Months and dates are UTC.`;
