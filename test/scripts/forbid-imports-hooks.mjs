// Module resolution hooks for forbid-imports.mjs (they run off the main thread).
let forbidden = [];

export async function initialize(data) {
  forbidden = data.forbidden;
}

export async function resolve(specifier, context, next) {
  if (forbidden.some((name) => specifier === name || specifier.startsWith(`${name}/`))) {
    throw new Error(`forbidden import: ${specifier} (from ${context.parentURL})`);
  }
  return next(specifier, context);
}
