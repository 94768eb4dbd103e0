// Linear-memory heap exported to the JS runtime (src/runtime/memory.ts).
//
// Built with `--runtime minimal`, so `heap.alloc`/`heap.free` are AssemblyScript's TLSF
// allocator. No codec allocates managed objects; only the JS runtime allocates, through
// these two exports. The memory is imported (`env.memory`), so its maximum is the bound.

/** Largest block TLSF can hand out (BLOCK_MAXSIZE is 1 GiB minus its header). */
const MAX_ALLOC: usize = (1 << 30) - 16;

/**
 * Allocates `size` bytes (16-byte aligned). Returns 0 when `size` exceeds the allocator's
 * block limit. When linear memory cannot grow, TLSF traps before changing any state, so
 * the JS side maps that trap to an out-of-memory error and the heap stays consistent.
 */
export function rt_alloc(size: usize): usize {
  if (size > MAX_ALLOC) return 0;
  return heap.alloc(size == 0 ? 1 : size);
}

/** Releases a block returned by rt_alloc. */
export function rt_free(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

/** 0 = baseline build, 1 = SIMD build, 2 = SIMD + threads build (shared memory). */
export function rt_build(): i32 {
  if (ASC_FEATURE_THREADS) return 2;
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/** First byte after the module's static data (tables): nothing below it may be written. */
export function rt_heap_base(): usize {
  return __heap_base;
}
