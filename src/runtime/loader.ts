/**
 * Choosing, compiling and instantiating the one wirekit Wasm module.
 *
 * Three builds of the same AssemblyScript source ship inline in the bundle (base64):
 * - `baseline`: Wasm MVP + bulk memory, for engines without SIMD;
 * - `simd`: 128-bit SIMD (chosen when `WebAssembly.validate` accepts a SIMD probe);
 * - `threads`: SIMD + threads over a caller's shared `WebAssembly.Memory`.
 * All three import their memory as `env.memory` and have the same exports.
 */
import { baselineWasm, simdWasm, threadsWasm } from './generated/wasm.js';
import { RuntimeError, ErrorCode, InvalidArgumentError } from './errors.js';

export type Build = 'baseline' | 'simd' | 'threads';

/**
 * A `WebAssembly.Module` (typed structurally, so wirekit's published types need neither the
 * DOM lib nor a WebAssembly namespace from the consumer's environment).
 */
export type WasmModule = object;
/** A `WebAssembly.Memory`, typed structurally (see {@link WasmModule}). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(delta: number): number;
}

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt drop ...)): the same
// 31-byte SIMD probe wasm-feature-detect uses.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

let simdSupported: boolean | undefined;

/** True when this engine validates Wasm SIMD (cached). */
export function hasSimd(): boolean {
  if (simdSupported === undefined) {
    try {
      simdSupported = WebAssembly.validate(SIMD_PROBE);
    } catch {
      simdSupported = false;
    }
  }
  return simdSupported;
}

/** Decodes base64: Uint8Array.fromBase64 where present, else Node's Buffer (~0.2 ms for a build), else atob (~2.5 ms). */
export function decodeBase64(b64: string): Uint8Array {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (typeof fromBase64 === 'function') return fromBase64(b64);
  const NodeBuffer = (globalThis as { Buffer?: { from(s: string, enc: 'base64'): Uint8Array } }).Buffer;
  if (typeof NodeBuffer?.from === 'function') return new Uint8Array(NodeBuffer.from(b64, 'base64'));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The raw bytes of one build (a fresh copy each call). */
export function wasmBytes(build: Build): Uint8Array {
  return decodeBase64(build === 'threads' ? threadsWasm : build === 'simd' ? simdWasm : baselineWasm);
}

const moduleCache = new Map<Build, WebAssembly.Module>();

/** Compiles a build synchronously (cached). */
export function compileSync(build: Build): WasmModule {
  let m = moduleCache.get(build);
  if (!m) {
    m = new WebAssembly.Module(wasmBytes(build) as BufferSource);
    moduleCache.set(build, m);
  }
  return m;
}

/** Compiles a build asynchronously (cached). */
export async function compileAsync(build: Build): Promise<WasmModule> {
  let m = moduleCache.get(build);
  if (!m) {
    m = await WebAssembly.compile(wasmBytes(build) as BufferSource);
    moduleCache.set(build, m);
  }
  return m;
}

/** Picks the build: threads for a shared memory, else SIMD when supported. */
export function chooseBuild(requested: Build | 'auto' | undefined, sharedMemory: boolean): Build {
  if (sharedMemory) {
    if (requested && requested !== 'auto' && requested !== 'threads') {
      throw new InvalidArgumentError(`a shared memory needs the 'threads' build, not '${requested}'`, { field: 'build' });
    }
    return 'threads';
  }
  if (requested === 'threads') {
    throw new InvalidArgumentError("the 'threads' build needs a shared WebAssembly.Memory (options.memory)", { field: 'build' });
  }
  if (requested === 'baseline') return 'baseline';
  if (requested === 'simd') {
    if (!hasSimd()) throw new RuntimeError(ErrorCode.NOT_INITIALIZED, 'this engine does not support Wasm SIMD');
    return 'simd';
  }
  return hasSimd() ? 'simd' : 'baseline';
}

/** Instantiates a compiled module over `memory`. */
export function instantiate(module: WasmModule, memory: WasmMemory): { exports: object } {
  try {
    return new WebAssembly.Instance(module as WebAssembly.Module, { env: { memory: memory as unknown as WebAssembly.Memory } });
  } catch (e) {
    throw new RuntimeError(ErrorCode.NOT_INITIALIZED, `cannot instantiate the wirekit module: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
