/**
 * Typed errors for every wirekit codec.
 *
 * Every error thrown by wirekit is a {@link WirekitError} with a stable `name` and `code`
 * (check `err.code` or `err.name` rather than `instanceof` if your program may load both the
 * ESM and the CJS build). Family subclasses add nothing but their name, so a handler can catch
 * a whole family (`instanceof TruncatedError`) or look at `code`.
 *
 * Fields:
 * - `code`: stable upper-case identifier (see {@link ErrorCode}).
 * - `offset`: byte offset in the caller's input where the problem was found, when known.
 * - `needed` / `available`: for truncation, bytes needed and bytes present from `offset`.
 * - `field`: the argument or protocol field concerned, when known.
 */

/** Stable error codes. Each codec's facade maps its Wasm return codes onto these. */
export const ErrorCode = {
  /** Input ended before the structure did. */
  TRUNCATED: 'TRUNCATED',
  /** Input bytes violate the format (bad value, bad length, ...). */
  MALFORMED: 'MALFORMED',
  /** An argument from the caller is out of range or of the wrong type. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** The output buffer is too small. */
  OUTPUT_TOO_SMALL: 'OUTPUT_TOO_SMALL',
  /** Linear memory could not grow to satisfy an allocation (configured maximum reached). */
  OUT_OF_MEMORY: 'OUT_OF_MEMORY',
  /** The Wasm module is not initialised, or failed to initialise. */
  NOT_INITIALIZED: 'NOT_INITIALIZED',
  /** A view into linear memory was used after memory grew and detached it. */
  DETACHED_VIEW: 'DETACHED_VIEW',
  /** The Wasm module trapped (a bug in wirekit: please report). The module was reset. */
  WASM_TRAP: 'WASM_TRAP',
  /** A value does not fit the requested representation (e.g. > 2^53-1 as a number). */
  RANGE: 'RANGE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface WirekitErrorDetails {
  offset?: number;
  needed?: number;
  available?: number;
  field?: string;
  cause?: unknown;
}

/** Base class of every error wirekit throws. */
export class WirekitError extends Error {
  readonly code: ErrorCode;
  readonly offset?: number;
  readonly needed?: number;
  readonly available?: number;
  readonly field?: string;

  constructor(code: ErrorCode, message: string, details: WirekitErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.offset !== undefined) this.offset = details.offset;
    if (details.needed !== undefined) this.needed = details.needed;
    if (details.available !== undefined) this.available = details.available;
    if (details.field !== undefined) this.field = details.field;
  }
  override get name(): string {
    return 'WirekitError';
  }
}

/** Input ended early: `needed` bytes were required at `offset`, `available` were present. */
export class TruncatedError extends WirekitError {
  constructor(message: string, details: WirekitErrorDetails = {}) {
    super(ErrorCode.TRUNCATED, message, details);
  }
  override get name(): string {
    return 'TruncatedError';
  }
}

/** Input bytes violate the format. */
export class MalformedError extends WirekitError {
  constructor(message: string, details: WirekitErrorDetails = {}) {
    super(ErrorCode.MALFORMED, message, details);
  }
  override get name(): string {
    return 'MalformedError';
  }
}

/** A caller argument is invalid (type, range, length mismatch). `field` names the argument. */
export class InvalidArgumentError extends WirekitError {
  constructor(message: string, details: WirekitErrorDetails = {}) {
    super(ErrorCode.INVALID_ARGUMENT, message, details);
  }
  override get name(): string {
    return 'InvalidArgumentError';
  }
}

/** A value cannot be represented as asked (e.g. a varint above 2^53-1 requested as a number). */
export class WirekitRangeError extends WirekitError {
  constructor(message: string, details: WirekitErrorDetails = {}) {
    super(ErrorCode.RANGE, message, details);
  }
  override get name(): string {
    return 'WirekitRangeError';
  }
}

/**
 * The caller's output buffer is too small: `needed` units from `offset`, `available` present.
 * Units are bytes unless the throwing function documents otherwise (e.g. values for a batch decode).
 */
export class OutputTooSmallError extends WirekitError {
  constructor(message: string, details: WirekitErrorDetails = {}) {
    super(ErrorCode.OUTPUT_TOO_SMALL, message, details);
  }
  override get name(): string {
    return 'OutputTooSmallError';
  }
}

/** Errors of the runtime itself: memory, initialisation, detached views, traps. */
export class RuntimeError extends WirekitError {
  override get name(): string {
    return 'RuntimeError';
  }
}

/** Throws an InvalidArgumentError unless `bytes` is a Uint8Array (Buffer is one). */
export function assertBytes(bytes: unknown, field: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(`${field} must be a Uint8Array, got ${describe(bytes)}`, { field });
  }
}

/** Throws an InvalidArgumentError unless `n` is an integer in [min, max]. */
export function assertInteger(n: unknown, field: string, min: number, max: number): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`${field} must be an integer in [${min}, ${max}], got ${describe(n)}`, {
      field,
    });
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  if (typeof v === 'bigint') return `${v}n`;
  return typeof v === 'number' ? String(v) : typeof v;
}
