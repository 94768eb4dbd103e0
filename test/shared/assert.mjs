// A small assertion set that runs unchanged in Node, Deno and Chromium, for the shared
// cases in test/cases/. (vitest's expect and node:assert are not available in all three.)
export class AssertionError extends Error {
  get name() {
    return 'AssertionError';
  }
}

function show(v) {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Number.isInteger(v) && v > 9 ? `${v} (0x${v.toString(16)})` : String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}[${Array.from(v).slice(0, 32).join(',')}${v.length > 32 ? ',…' : ''}]`;
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
  } catch {
    return String(v);
  }
}

export function equal(actual, expected, message = '') {
  if (!Object.is(actual, expected)) throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
}

export function ok(value, message = 'expected a truthy value') {
  if (!value) throw new AssertionError(message);
}

function deepEq(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (a.constructor !== b.constructor || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEq(a[k], b[k]));
}

export function deepEqual(actual, expected, message = '') {
  if (!deepEq(actual, expected)) throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
}

/**
 * Asserts that fn throws; `expected` is an object whose keys must match the error's
 * properties (e.g. { name: 'TruncatedError', code: 'TRUNCATED', needed: 2 }). Returns the error.
 */
export function throws(fn, expected = {}, message = '') {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  if (err === undefined) throw new AssertionError(`${message ? message + ': ' : ''}expected an error ${show(expected)}, nothing was thrown`);
  for (const [k, v] of Object.entries(expected)) {
    if (!Object.is(err[k], v)) throw new AssertionError(`${message ? message + ': ' : ''}error.${k}: expected ${show(v)}, got ${show(err[k])} (${err.name}: ${err.message})`);
  }
  return err;
}

/** Hex string ("0a 1b" or "0a1b") to bytes. */
export function hex(s) {
  const clean = s.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const assert = { equal, ok, deepEqual, throws, hex };
