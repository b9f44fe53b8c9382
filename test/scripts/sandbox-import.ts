// Imports the sandbox as a plain script would, and prints what it exports. Run with
// forbid-imports.mjs to prove loading it needs neither vitest nor any heavy library.
// Usage: tsx test/scripts/sandbox-import.ts
const sandbox = await import('../../sandbox/index.js');
console.log(JSON.stringify(Object.keys(sandbox).sort()));

export {};
