/**
 * One-off failures arranged with `Sandbox.injectFault`: the next requests that match get them,
 * whatever `failRate` draws. Kept apart from the server so that it only asks which one applies.
 */
import { checkedWhole, configError } from './inputs.js';
import type { ModuleRequest } from './module.js';
import type { InjectedFault } from './types.js';

const KINDS: readonly InjectedFault['kind'][] = ['server-error', 'rate-limit', 'slow-answer', 'lost-answer'];
const DEFAULT_DELAY_MS = 1000;

/** An arranged fault with its remaining count. */
export interface PendingFault {
  readonly method: string | undefined;
  readonly path: string | RegExp | undefined;
  readonly kind: InjectedFault['kind'];
  readonly delayMs: number;
  remaining: number;
}

/** A fault as `injectFault` was given it, checked (a bad value is a `CONFIG` error naming it) and ready to count down. */
export function checkedInjectedFault(fault: InjectedFault): PendingFault {
  if (typeof fault !== 'object' || fault === null || !KINDS.includes(fault.kind)) {
    throw configError(`\`injectFault\` needs a \`kind\`: one of ${KINDS.join(', ')}.`);
  }
  if (fault.method !== undefined && (typeof fault.method !== 'string' || fault.method.trim() === '')) throw configError('`method` must be an HTTP method like POST.');
  if (fault.path !== undefined && typeof fault.path !== 'string' && !(fault.path instanceof RegExp)) throw configError('`path` must be a path or a RegExp.');
  return {
    method: fault.method?.trim().toUpperCase(),
    path: fault.path,
    kind: fault.kind,
    delayMs: fault.delayMs === undefined ? DEFAULT_DELAY_MS : checkedDelay(fault.delayMs),
    remaining: fault.times === undefined ? 1 : checkedWhole(fault.times, 'times', 1, 1_000_000),
  };
}

function checkedDelay(ms: number): number {
  if (typeof ms !== 'number' || !(ms >= 0 && Number.isFinite(ms))) throw configError('`delayMs` must be a non-negative number of milliseconds.');
  return ms;
}

/** The first arranged fault matching the request, counted down (and dropped when used up); undefined when none. */
export function takeInjected(pending: PendingFault[], request: ModuleRequest): PendingFault | undefined {
  const index = pending.findIndex((fault) => matches(fault, request));
  const fault = pending[index];
  if (fault === undefined) return undefined;
  fault.remaining--;
  if (fault.remaining <= 0) pending.splice(index, 1);
  return fault;
}

function matches(fault: PendingFault, request: ModuleRequest): boolean {
  if (fault.method !== undefined && fault.method !== request.method) return false;
  if (fault.path === undefined) return true;
  if (typeof fault.path === 'string') return fault.path === request.path;
  // A global or sticky RegExp keeps `lastIndex` between tests: reset it so each request is tested afresh.
  fault.path.lastIndex = 0;
  return fault.path.test(request.path);
}
