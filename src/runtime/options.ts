/**
 * init()/initSync() options: their shape, defaults and validation (every option is checked before
 * anything changes). The runtime itself is core.ts.
 */
import { chooseBuild, type Build, type WasmMemory, type WasmModule } from './loader.js';
import { InvalidArgumentError } from './errors.js';

export interface InitOptions {
  /** A precompiled `WebAssembly.Module` of one of the three builds (e.g. from `./codec.simd.wasm`); say which in `build`. */
  module?: WasmModule;
  /** Which build to load: 'auto' (default) picks SIMD when the engine supports it; 'threads' needs a shared `memory`. */
  build?: Build | 'auto';
  /**
   * Use this `WebAssembly.Memory` instead of creating one. A shared memory selects the threads
   * build. With `attach: true` this instance never allocates in it (another instance owns the
   * heap): pass views into that memory, plus `scratch` if inputs must be copied.
   */
  memory?: WasmMemory;
  /** Instance is a guest on `memory` (worker threads sharing one heap). */
  attach?: boolean;
  /** For attached instances: a region of `memory`, allocated by the owner, used to copy inputs into. */
  scratch?: Uint8Array;
  /** Maximum linear memory in bytes, 65536 .. 2^32-65536 (rounded up to 64 KiB pages). Default 128 MiB. */
  maximumMemory?: number;
  /** Initial linear memory in bytes, 65536 .. maximumMemory. Default: maximumMemory (no growth, no detaching). */
  initialMemory?: number;
}

export const PAGE = 65536;
const MAX_PAGES = 65535; // keeps ptr + len below 2^32 in every kernel
export const DEFAULT_MAX = 128 * 1024 * 1024;
const BUILDS = ['auto', 'baseline', 'simd', 'threads'];

export function pages(bytes: number): number {
  return Math.ceil(bytes / PAGE);
}

function bytesOption(v: unknown, field: string, min: number, max: number): void {
  if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max)) {
    throw new InvalidArgumentError(`${field} must be an integer byte count in [${min}, ${max}], got ${String(v)}`, { field });
  }
}

/** Checks every option before anything changes; returns the build to load. */
export function validate(o: InitOptions): Build {
  if (typeof o !== 'object' || o === null) throw new InvalidArgumentError('options must be an object', { field: 'options' });
  bytesOption(o.maximumMemory, 'maximumMemory', PAGE, MAX_PAGES * PAGE);
  bytesOption(o.initialMemory, 'initialMemory', PAGE, pages(o.maximumMemory ?? DEFAULT_MAX) * PAGE);
  if (o.build !== undefined && !BUILDS.includes(o.build)) {
    throw new InvalidArgumentError(`build must be one of ${BUILDS.join(', ')}, got ${String(o.build)}`, { field: 'build' });
  }
  if (o.memory !== undefined && !(o.memory instanceof WebAssembly.Memory)) {
    throw new InvalidArgumentError('memory must be a WebAssembly.Memory', { field: 'memory' });
  }
  if (o.attach && !o.memory) throw new InvalidArgumentError('attach needs options.memory', { field: 'attach' });
  if (o.scratch !== undefined) {
    if (!o.attach) throw new InvalidArgumentError('options.scratch is only for attached instances', { field: 'scratch' });
    if (!(o.scratch instanceof Uint8Array) || o.scratch.buffer !== o.memory!.buffer) {
      throw new InvalidArgumentError('options.scratch must be a Uint8Array over options.memory (a region its owner allocated)', { field: 'scratch' });
    }
  }
  return chooseBuild(o.build, o.memory !== undefined && isShared(o.memory as WebAssembly.Memory));
}

export function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

