// `node --import ./test/scripts/forbid-imports.mjs`: makes importing the packages named in
// FORBIDDEN_IMPORTS (comma-separated) fail, to prove a module never loads them.
import { register } from 'node:module';

const forbidden = (process.env.FORBIDDEN_IMPORTS ?? '').split(',').filter(Boolean);
register('./forbid-imports-hooks.mjs', import.meta.url, { data: { forbidden } });
