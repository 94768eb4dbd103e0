/**
 * The runtime every codec facade stands on: one Wasm instance, its linear memory, the
 * heap (alloc/free), per-call scratch space, and the view rule.
 *
 * View rule. A Uint8Array over linear memory dies when a non-shared memory grows. So:
 * - By default the memory is created at its maximum size up front (`initialMemory` =
 *   `maximumMemory`, 128 MiB unless configured). Pages are reserved, not committed: the
 *   process only pays for pages it touches. Memory then never grows, so a view from
 *   {@link alloc} never detaches.
 * - If you configure `initialMemory` below `maximumMemory`, memory may grow inside
 *   `alloc` (and nowhere else: codecs only use memory reserved before they run). The runtime
 *   re-derives its own views after that; a view of yours from before the growth is detached,
 *   and passing it to any wirekit function throws a `DetachedViewError` (code DETACHED_VIEW)
 *   instead of reading nothing.
 * - With a caller-supplied shared memory, growth never detaches (shared buffers keep their
 *   storage); old views simply keep their old length.
 */
import { compileAsync, compileSync, chooseBuild, instantiate, type Build } from './loader.js';
import { RuntimeError, ErrorCode, InvalidArgumentError } from './errors.js';

/** Exports of the runtime part of the module (each codec adds its own, see `wasm<T>()`). */
export interface RuntimeExports {
  rt_alloc(size: number): number;
  rt_free(ptr: number): void;
  rt_build(): number;
}

export interface InitOptions {
  /** A precompiled module of one of the three builds (e.g. from `./codec.simd.wasm`). */
  module?: WebAssembly.Module;
  /** Which build to load; 'auto' (default) picks SIMD when the engine supports it. */
  build?: Build | 'auto';
  /**
   * Use this memory instead of creating one. A shared memory selects the threads build.
   * With `attach: true` this instance never allocates in it (another instance owns the
   * heap): pass only views into that memory, plus `scratch` for copied inputs.
   */
  memory?: WebAssembly.Memory;
  /** Instance is a guest on `memory` (worker threads sharing one heap). */
  attach?: boolean;
  /** For attached instances: a region of the shared memory this instance may use as scratch. */
  scratch?: Uint8Array;
  /** Maximum linear memory in bytes (rounded up to 64 KiB pages). Default 128 MiB. */
  maximumMemory?: number;
  /** Initial linear memory in bytes. Default: equal to maximumMemory (no growth, no detaching). */
  initialMemory?: number;
}

const PAGE = 65536;
const DEFAULT_MAX = 128 * 1024 * 1024;
/** Inputs copied into memory chunk by chunk by streaming kernels (fits in L2). */
export const CHUNK = 64 * 1024;

interface State {
  exports: RuntimeExports & Record<string, unknown>;
  memory: WebAssembly.Memory;
  build: Build;
  ownsMemory: boolean;
  shared: boolean;
  attached: boolean;
  options: InitOptions;
}

let state: State | undefined;
/** Current exports (undefined before init). Facades call {@link wasm}. */
let exportsRef: (RuntimeExports & Record<string, unknown>) | undefined;
/** Whole-memory byte view, re-derived whenever memory grew. */
let u8: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
let scratchPtr = 0;
let scratchCap = 0;
/** Live allocations: pointer -> byte length. */
const live = new Map<number, number>();

function pages(bytes: number): number {
  return Math.ceil(bytes / PAGE);
}

function setup(module: WebAssembly.Module, build: Build, options: InitOptions): void {
  let memory = options.memory;
  const ownsMemory = memory === undefined;
  if (!memory) {
    const max = pages(options.maximumMemory ?? DEFAULT_MAX);
    const initial = Math.min(max, pages(options.initialMemory ?? max * PAGE));
    memory = new WebAssembly.Memory({ initial: Math.max(initial, 1), maximum: Math.max(max, 1) });
  }
  const instance = instantiate(module, memory);
  live.clear();
  epochBase += EPOCH;
  scratchPtr = 0;
  scratchCap = 0;
  state = {
    exports: instance.exports as unknown as State['exports'],
    memory,
    build,
    ownsMemory,
    shared: isShared(memory),
    attached: options.attach === true,
    options,
  };
  exportsRef = state.exports;
  u8 = new Uint8Array(memory.buffer);
  if (options.scratch) {
    if (!options.attach) throw new InvalidArgumentError('options.scratch is only for attached instances', { field: 'scratch' });
    scratchPtr = options.scratch.byteOffset;
    scratchCap = options.scratch.byteLength;
  }
}

function validate(options: InitOptions): Build {
  if (options.maximumMemory !== undefined && !(options.maximumMemory >= PAGE && options.maximumMemory <= 2 ** 32)) {
    throw new InvalidArgumentError('maximumMemory must be a byte count in [65536, 2^32]', { field: 'maximumMemory' });
  }
  if (options.attach && !options.memory) {
    throw new InvalidArgumentError('attach needs options.memory', { field: 'attach' });
  }
  const shared = options.memory !== undefined && isShared(options.memory);
  return chooseBuild(options.build, shared);
}

function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/**
 * Loads the module asynchronously (works everywhere, including a browser main thread).
 * Calling it again with no options is a no-op; with options it replaces the instance
 * (views from {@link alloc} of the old instance are then plain memory, no longer wirekit's).
 */
export async function init(options?: InitOptions): Promise<void> {
  if (state && options === undefined) return;
  const opts = options ?? {};
  const build = validate(opts);
  const module = opts.module ?? (await compileAsync(build));
  setup(module, build, opts);
}

/**
 * Loads the module synchronously (Node, Deno, workers; a browser main thread allows it for
 * modules under 8 MiB, which wirekit is). Same semantics as {@link init}. Facades call this
 * lazily, so calling it yourself is optional.
 */
export function initSync(options?: InitOptions): void {
  if (state && options === undefined) return;
  const opts = options ?? {};
  const build = validate(opts);
  setup(opts.module ?? compileSync(build), build, opts);
}

/** The instance's exports, typed by the caller's codec interface; initialises lazily. */
export function wasm<T>(): T & RuntimeExports {
  if (exportsRef === undefined) initSync();
  return exportsRef as unknown as T & RuntimeExports;
}

/** A byte view over the whole linear memory, valid until the next wirekit call. */
export function heapU8(): Uint8Array {
  // A non-shared memory that grew detaches (length 0); a shared one is refreshed on use.
  if (u8.length === 0) refreshView();
  return u8;
}

function refreshView(): void {
  if (exportsRef === undefined) initSync();
  u8 = new Uint8Array(state!.memory.buffer);
}

/** The current linear memory. */
export function memory(): WebAssembly.Memory {
  if (state === undefined) initSync();
  return state!.memory;
}

/**
 * Views from alloc() carry their address under this symbol, tagged with the instance epoch:
 * `epoch * 2^32 + ptr`. Reading it costs ~3 ns, where `view.buffer` / `view.byteOffset`
 * cost 10–30 ns each in V8 11 (measured): the difference decides small-input speed.
 */
const PTR = Symbol('wirekit.ptr');
const EPOCH = 2 ** 32;
let epochBase = 0;
/** Untagged views (e.g. subarrays of alloc() views) shorter than this are copied, not looked up. */
const LOOKUP_MIN = 256;

function detachedView(_view: ArrayBufferView): never {
  throw new RuntimeError(ErrorCode.DETACHED_VIEW, 'this view into linear memory was detached when memory grew; call alloc() again', {
    field: 'bytes',
  });
}

/**
 * Address of `view` in linear memory if it is a view into it (no copy needed), else -1.
 * Recognises alloc() views at once, and any other typed array or DataView over linear memory
 * (subarrays, a Float64Array over an alloc() region) by its buffer; Uint8Arrays shorter than
 * 256 bytes that were not returned by alloc() are reported as -1 (copying them is cheaper than
 * the lookup). Throws RuntimeError DETACHED_VIEW for an alloc() view that growth detached.
 */
export function addressOf(view: ArrayBufferView): number {
  const tag = (view as unknown as Record<symbol, number | undefined>)[PTR];
  if (tag !== undefined) {
    if ((view as Uint8Array).length === 0 && view.buffer.byteLength === 0) detachedView(view);
    if (tag >= epochBase && tag < epochBase + EPOCH) return tag - epochBase;
    return -1; // a view of a previous instance's memory: plain bytes now
  }
  if (view instanceof Uint8Array && view.length < LOOKUP_MIN) return -1;
  const b = view.buffer;
  const m = heapU8();
  if (b === m.buffer) return view.byteOffset;
  if (state!.shared && b instanceof SharedArrayBuffer) {
    refreshView();
    if (b === (u8.buffer as ArrayBufferLike)) return view.byteOffset;
  }
  return -1;
}

/**
 * A pointer to at least `byteLength` bytes of scratch memory, valid until the next call to
 * scratch(). Grows by doubling; the capacity stays at the largest request seen.
 */
export function scratch(byteLength: number): number {
  if (byteLength <= scratchCap) return scratchPtr;
  if (state === undefined) initSync();
  if (state!.attached) {
    throw new RuntimeError(ErrorCode.OUT_OF_MEMORY, `attached instance: scratch region of ${scratchCap} bytes is too small for ${byteLength}`, {
      needed: byteLength,
      available: scratchCap,
    });
  }
  const cap = Math.max(4096, 2 ** Math.ceil(Math.log2(byteLength)));
  if (scratchPtr !== 0) state!.exports.rt_free(scratchPtr);
  scratchPtr = 0;
  scratchCap = 0;
  const p = rawAlloc(cap);
  scratchPtr = p;
  scratchCap = cap;
  return p;
}

/** Pointer to `bytes` in linear memory: its own address if it lives there, else a copy in scratch. */
export function input(bytes: Uint8Array): number {
  const a = addressOf(bytes);
  if (a >= 0) return a;
  const p = scratch(bytes.byteLength);
  heapU8().set(bytes, p);
  return p;
}

/**
 * Folds a streaming kernel over `bytes`: `acc = kernel(ptr, len, acc)` once if the bytes live
 * in linear memory or fit one chunk, else over copies of successive CHUNK-sized (even-sized)
 * pieces, so any input size runs in bounded memory.
 */
export function foldChunks(bytes: Uint8Array, acc: number, kernel: (ptr: number, len: number, acc: number) => number): number {
  const n = bytes.length;
  if (n <= CHUNK) return kernel(input(bytes), n, acc);
  const a = addressOf(bytes);
  if (a >= 0) return kernel(a, n, acc);
  const p = scratch(CHUNK);
  const m = heapU8();
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    m.set(bytes.subarray(off, off + len), p);
    acc = kernel(p, len, acc);
  }
  return acc;
}

function rawAlloc(byteLength: number): number {
  let p: number;
  try {
    p = state!.exports.rt_alloc(byteLength) >>> 0;
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) p = 0;
    else throw e;
  }
  if (p === 0) {
    throw new RuntimeError(ErrorCode.OUT_OF_MEMORY, `cannot allocate ${byteLength} bytes: linear memory is at its maximum of ${state!.memory.buffer.byteLength} bytes`, {
      needed: byteLength,
    });
  }
  refreshView();
  return p;
}

/**
 * Allocates `byteLength` bytes in linear memory and returns a Uint8Array view of them
 * (16-byte aligned, contents unspecified). Fill it yourself (e.g. straight from a socket
 * read) and pass it to any wirekit function: the copy into Wasm is skipped. Release it with
 * {@link free}. Throws RuntimeError OUT_OF_MEMORY when the configured maximum is reached.
 */
export function alloc(byteLength: number): Uint8Array {
  if (!Number.isInteger(byteLength) || byteLength < 0 || byteLength > 2 ** 30 - 16) {
    throw new InvalidArgumentError(`byteLength must be an integer in [0, 2^30-16], got ${byteLength}`, { field: 'byteLength' });
  }
  if (state === undefined) initSync();
  if (state!.attached) throw new RuntimeError(ErrorCode.OUT_OF_MEMORY, 'attached instances do not allocate: use the owner instance');
  const p = rawAlloc(byteLength);
  live.set(p, byteLength);
  const view = new Uint8Array(heapU8().buffer, p, byteLength);
  (view as unknown as Record<symbol, number>)[PTR] = epochBase + p;
  return view;
}

/** Releases a view returned by {@link alloc}. Throws InvalidArgumentError for anything else or a double free. */
export function free(view: Uint8Array): void {
  const tag = view instanceof Uint8Array ? (view as unknown as Record<symbol, number | undefined>)[PTR] : undefined;
  if (state === undefined || tag === undefined) {
    throw new InvalidArgumentError('free() takes a view returned by alloc()', { field: 'view' });
  }
  // A view detached by memory growth still carries its address, so it can be freed.
  const p = tag - epochBase;
  if (p < 0 || p >= EPOCH || !live.has(p)) {
    throw new InvalidArgumentError('free(): view already freed or from a previous instance', { field: 'view' });
  }
  live.delete(p);
  state!.exports.rt_free(p);
}

export interface RuntimeInfo {
  build: Build;
  /** True for a shared (threads) memory. */
  shared: boolean;
  /** Current linear memory size, bytes. */
  memoryBytes: number;
  /** Bytes held by live alloc() views plus the scratch area. */
  heapBytes: number;
  liveAllocations: number;
}

/** What is loaded and how much memory it holds. */
export function runtimeInfo(): RuntimeInfo {
  if (state === undefined) initSync();
  let heapBytes = scratchCap;
  for (const n of live.values()) heapBytes += n;
  return {
    build: state!.build,
    shared: state!.shared,
    memoryBytes: state!.memory.buffer.byteLength,
    heapBytes,
    liveAllocations: live.size,
  };
}

/**
 * Runs `fn`, and if the Wasm module traps (a wirekit bug), replaces the instance with a
 * fresh one before throwing RuntimeError WASM_TRAP, so the next call works. Views from
 * alloc() keep their bytes but are no longer wirekit memory after such a reset.
 */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      const s = state!;
      if (s.ownsMemory) setup(compileSync(s.build), s.build, s.options);
      throw new RuntimeError(ErrorCode.WASM_TRAP, `wirekit's Wasm module trapped (${e.message}); the instance was reset`, { cause: e });
    }
    throw e;
  }
}
