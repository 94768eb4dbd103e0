/**
 * The runtime every codec facade stands on: one Wasm instance, its linear memory, the
 * heap (alloc/free), per-call scratch space, trap recovery, and the view rule.
 *
 * View rule. A Uint8Array over linear memory dies when a non-shared memory grows. So:
 * - By default the memory is created at its maximum size up front (`initialMemory` =
 *   `maximumMemory`, 128 MiB unless configured). Pages are reserved, not committed: the
 *   process only pays for pages it touches. Memory then never grows, so a view from
 *   {@link alloc} never detaches.
 * - If you configure `initialMemory` below `maximumMemory`, memory may grow inside `alloc()`
 *   and inside codecs whose scratch needs exceed the 256 KiB reserved at init (large batch
 *   inputs). The runtime re-derives its own views; a view of yours that the growth detached
 *   (an alloc() view, a subarray of it, any typed array over that old memory) makes every
 *   wirekit function throw RuntimeError DETACHED_VIEW instead of reading nothing.
 * - With a caller-supplied shared memory, growth never detaches (shared buffers keep their
 *   storage); old views simply keep their old length.
 */
import { compileAsync, compileSync, instantiate, type Build, type WasmMemory, type WasmModule } from './loader.js';
import { RuntimeError, ErrorCode, InvalidArgumentError } from './errors.js';
import { DEFAULT_MAX, isShared, PAGE, pages, validate, type InitOptions } from './options.js';

export type { InitOptions } from './options.js';

/** Exports of the runtime part of the module (each codec adds its own, see `wasm<T>()`). */
export interface RuntimeExports {
  rt_alloc(size: number): number;
  rt_free(ptr: number): void;
  rt_build(): number;
  rt_heap_base(): number;
}

/** Inputs copied into memory chunk by chunk by streaming kernels (fits in L2). */
export const CHUNK = 64 * 1024;
/** Scratch reserved at init, so ordinary calls never allocate (or grow memory). */
const SCRATCH_RESERVE = 4 * CHUNK;

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
/** Buffers of this memory that growth replaced (detached, for a non-shared memory). */
let retired = new WeakSet<ArrayBufferLike>();
let scratchPtr = 0;
let scratchCap = 0;
/** Live allocations: pointer -> byte length. */
const live = new Map<number, number>();

function setup(module: WasmModule, build: Build, options: InitOptions): void {
  let memory = options.memory as WebAssembly.Memory | undefined;
  const ownsMemory = memory === undefined;
  if (!memory) {
    const max = pages(options.maximumMemory ?? DEFAULT_MAX);
    memory = new WebAssembly.Memory({ initial: pages(options.initialMemory ?? max * PAGE), maximum: max });
  }
  const instance = instantiate(module, memory);
  const exports = instance.exports as unknown as State['exports'];
  if (options.scratch && options.scratch.byteOffset < exports.rt_heap_base()) {
    throw new InvalidArgumentError("options.scratch overlaps the module's static data: use a region the owner got from alloc()", { field: 'scratch' });
  }
  live.clear();
  epochBase += EPOCH;
  retired = new WeakSet();
  state = { exports, memory, build, ownsMemory, shared: isShared(memory), attached: options.attach === true, options };
  exportsRef = exports;
  u8 = new Uint8Array(memory.buffer);
  scratchPtr = options.scratch?.byteOffset ?? 0;
  scratchCap = options.scratch?.byteLength ?? 0;
  if (!state.attached) scratch(SCRATCH_RESERVE);
}

/**
 * Loads the module asynchronously (works everywhere, including a browser main thread).
 * Calling it again with no options is a no-op; with options it replaces the instance
 * (views from {@link alloc} of the old instance are then plain memory, no longer wirekit's).
 * @throws InvalidArgumentError (`field` names the option) before anything changes.
 */
export async function init(options?: InitOptions): Promise<void> {
  if (state && options === undefined) return;
  const opts = options ?? {};
  const build = validate(opts);
  setup(opts.module ?? (await compileAsync(build)), build, opts);
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

let u32: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
let u32Of: Uint8Array | undefined;

/** A Uint32Array over the whole linear memory (for 4-byte-aligned reads), valid until the next wirekit call. */
export function heapU32(): Uint32Array {
  const m = heapU8();
  if (m !== u32Of) {
    u32 = new Uint32Array(m.buffer, 0, m.byteLength >>> 2);
    u32Of = m;
  }
  return u32;
}

function refreshView(): void {
  if (exportsRef === undefined) initSync();
  const b = state!.memory.buffer;
  if (u8.buffer !== b) retired.add(u8.buffer);
  u8 = new Uint8Array(b);
}

/** The current linear memory (a `WebAssembly.Memory`). */
export function memory(): WasmMemory {
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
/**
 * Untagged Uint8Arrays shorter than this are copied, not looked up: copying 4 KiB costs about
 * what the `.buffer` lookup (25-30 ns) does. (Not for shared memories: workers pass views.)
 */
const LOOKUP_MIN = 4096;

function detachedView(): never {
  throw new RuntimeError(ErrorCode.DETACHED_VIEW, 'this view into linear memory was detached when memory grew; call alloc() again', {
    field: 'bytes',
  });
}

/**
 * Address of `view` in linear memory if it is a view into it (no copy needed), else -1.
 * Recognises alloc() views at once, and any other typed array or DataView over linear memory
 * (subarrays, a Float64Array over an alloc() region) by its buffer; Uint8Arrays shorter than
 * 4096 bytes that were not returned by alloc() are reported as -1 (copying them is cheaper than
 * the lookup) unless the memory is shared. Throws RuntimeError DETACHED_VIEW for a view that
 * memory growth detached.
 */
export function addressOf(view: ArrayBufferView): number {
  const tag = (view as unknown as Record<symbol, number | undefined>)[PTR];
  const len = (view as Uint8Array).length; // undefined for a DataView
  if (len === 0 || (len === undefined && view.byteLength === 0)) {
    if (view.buffer.byteLength === 0 && (tag !== undefined || retired.has(view.buffer))) detachedView();
  }
  if (tag !== undefined) {
    if (tag >= epochBase && tag < epochBase + EPOCH) return tag - epochBase;
    return -1; // a view of a previous instance's memory: plain bytes now
  }
  if (len !== undefined && len < LOOKUP_MIN && view instanceof Uint8Array && !state?.shared) return -1;
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
 * scratch() (one area: a facade needing several regions asks once and lays them out itself).
 * Grows by doubling; the capacity stays at the largest request seen.
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
  const p = scratch(bytes.length);
  heapU8().set(bytes, p);
  return p;
}

/**
 * Folds a streaming kernel over `bytes`: `acc = kernel(ptr, len, acc)` once if the bytes live
 * in linear memory or fit one chunk, else over copies of successive CHUNK-sized (even-sized)
 * pieces, so any input size runs in bounded memory. Traps are handled as in {@link guard}.
 */
export function foldChunks(bytes: Uint8Array, acc: number, kernel: (ptr: number, len: number, acc: number) => number): number {
  try {
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
  } catch (e) {
    throw afterTrap(e);
  }
}

function rawAlloc(byteLength: number): number {
  let p: number;
  try {
    p = state!.exports.rt_alloc(byteLength) >>> 0;
  } catch (e) {
    // TLSF traps when memory cannot grow, before it changes any state.
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
 * read) and pass it, or typed arrays over it, to any wirekit function: the copy into Wasm is
 * skipped. Release it with {@link free}.
 * @throws RuntimeError OUT_OF_MEMORY at the configured maximum; InvalidArgumentError for a bad
 *   size or on an attached instance (only the owner allocates).
 */
export function alloc(byteLength: number): Uint8Array {
  const p = allocPtr(byteLength);
  const view = new Uint8Array(heapU8().buffer, p, byteLength);
  (view as unknown as Record<symbol, number>)[PTR] = epochBase + p;
  return view;
}

/**
 * Allocates `byteLength` bytes of linear memory for a codec's own tables and returns the
 * address (not a view: an address stays valid when memory grows, a view would not). Counted
 * in runtimeInfo(). Release with {@link freePtr}. @throws like {@link alloc}.
 */
export function allocPtr(byteLength: number): number {
  if (!Number.isInteger(byteLength) || byteLength < 0 || byteLength > 2 ** 30 - 16) {
    throw new InvalidArgumentError(`byteLength must be an integer in [0, 2^30-16], got ${byteLength}`, { field: 'byteLength' });
  }
  if (state === undefined) initSync();
  if (state!.attached) throw new InvalidArgumentError('attached instances do not allocate: use the owner instance', { field: 'attach' });
  const p = rawAlloc(byteLength);
  live.set(p, byteLength);
  return p;
}

/** Releases an address from {@link allocPtr} (ignores one that is no longer live, e.g. after a re-init). */
export function freePtr(ptr: number): void {
  if (state === undefined || !live.has(ptr)) return;
  live.delete(ptr);
  state.exports.rt_free(ptr);
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
  let heapBytes = state!.attached ? 0 : scratchCap;
  for (const n of live.values()) heapBytes += n;
  return { build: state!.build, shared: state!.shared, memoryBytes: state!.memory.buffer.byteLength, heapBytes, liveAllocations: live.size };
}

/**
 * Maps a Wasm trap (a wirekit bug or a corrupted pointer) to RuntimeError WASM_TRAP after
 * replacing the instance with a fresh one on a fresh memory, so the next call works; other
 * errors pass through. Views from alloc() keep their bytes but are no longer wirekit memory
 * after such a reset. (A caller-supplied memory cannot be replaced: its instance is kept.)
 */
export function afterTrap(e: unknown): unknown {
  if (!(e instanceof WebAssembly.RuntimeError)) return e;
  const s = state!;
  if (s.ownsMemory) setup(compileSync(s.build), s.build, s.options);
  return new RuntimeError(ErrorCode.WASM_TRAP, `wirekit's Wasm module trapped (${e.message}); the instance was reset`, { cause: e });
}

/** How many times the instance was replaced (init() with options, a reset after a trap). */
export function generation(): number {
  return epochBase / EPOCH;
}

/**
 * For stateful codecs holding pointers into linear memory: throws RuntimeError NOT_INITIALIZED
 * if the instance they were made on has been replaced since (their state is gone).
 */
export function assertGeneration(made: number, what: string): void {
  if (made !== epochBase / EPOCH) {
    throw new RuntimeError(ErrorCode.NOT_INITIALIZED, `this ${what} belongs to a Wasm instance that was replaced (init() with options, or a reset after a trap): create a new one`, {
      field: 'this',
    });
  }
}

/** Runs `fn`, mapping a Wasm trap through {@link afterTrap}. For facades whose calls are not in {@link foldChunks}. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw afterTrap(e);
  }
}
