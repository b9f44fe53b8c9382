#!/usr/bin/env node
// The `reviewkit` executable (package.json `bin`). Everything else is in program.ts; this file
// only binds the program to the real process: streams, Ctrl-C, exit code.
import { processContext } from './context.js';
import { EXIT_CODES } from './errors.js';
import { runCli } from './program.js';

const interrupt = new AbortController();
const stop = () => {
  // First Ctrl-C: stop the work and report; a second one: leave at once.
  if (interrupt.signal.aborted) process.exit(EXIT_CODES.interrupted);
  interrupt.abort();
};
process.on('SIGINT', stop);
// What `docker stop`, systemd and `kill` send: the long-running commands (sandbox, watch) shut
// down as cleanly as on Ctrl-C.
process.on('SIGTERM', stop);
// `reviewkit score x | head -1` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT_CODES.ok);
  throw error;
});

process.exitCode = await runCli(process.argv, processContext(interrupt.signal));
