/**
 * PyTorch DDP-style gradient bucketing: which gradients are flattened together into one
 * allreduce. Restates `compute_bucket_assignment_by_size`
 * (torch/csrc/distributed/c10d/reducer.cpp) and its callers:
 *
 * - Tensors are visited in a given order; each joins the open bucket of its key
 *   (dtype, device) - buckets are dtype-homogeneous. Its bytes (numel * element size)
 *   are added; when the bucket's size reaches its limit (`size >= limit`, so the tensor
 *   that crosses the limit stays in) the bucket is closed and that key advances to the
 *   next limit of `bucket_size_limits` (the last limit repeats).
 * - Limits: `[first_bucket_bytes, bucket_bytes_cap]` with
 *   `_DEFAULT_FIRST_BUCKET_BYTES = 1 MiB` and `bucket_cap_mb = 25` (25 MiB,
 *   `int(bucket_cap_mb * 1024 * 1024)`).
 * - phase 'rebuilt' (default; what runs from the 2nd iteration on, `Reducer::rebuild_buckets`):
 *   tensors in gradient-ready order (default: reverse registration order, DDP's
 *   approximation), limits [first, cap], buckets kept in the order they close; the
 *   leftover open buckets follow (C++ iterates an unordered_map there - implementation
 *   defined - we list them by first tensor). `setLastBucketAsSmall` mirrors
 *   DDP_SET_LAST_BUCKET_CAP=1 (ready order reversed before assignment, buckets reversed after).
 * - phase 'construction' (`DistributedDataParallel._ddp_init_helper`): tensors in
 *   registration order; limits [sys.maxsize] (one bucket per dtype) unless
 *   `findUnusedParameters` is true and `staticGraph` false, then [first, cap];
 *   buckets sorted by smallest tensor index, then REVERSED (reduction order), so the
 *   small first bucket holds the first-registered parameters and is reduced last.
 *
 * Each bucket becomes one allreduce of `bytes` (DDP averages: divide by world size).
 */
import { InvalidArgumentError, assertInteger } from '../runtime/errors.js';

/** Bytes per element of common dtypes (PyTorch names). */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float64: 8, float32: 4, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1,
  uint8: 1, bool: 1, complex64: 8, complex128: 16,
};

export interface GradTensor {
  /** Number of elements (integer >= 0). */
  numel: number;
  /** dtype name, e.g. 'float32'; tensors of different dtypes never share a bucket. */
  dtype: string;
  /** Bytes per element; required for dtypes not in DTYPE_BYTES. */
  elementSize?: number;
}

export interface BucketOptions {
  /** bucket_cap_mb (MiB, default 25). */
  bucketCapMB?: number;
  /** First bucket limit in bytes (default 1 MiB = dist._DEFAULT_FIRST_BUCKET_BYTES). */
  firstBucketBytes?: number;
  /** 'rebuilt' (default) or 'construction'; see module comment. */
  phase?: 'rebuilt' | 'construction';
  /** 'rebuilt': tensor indices in gradient-ready order (default reverse registration order). */
  readyOrder?: readonly number[];
  /** 'construction': DDP find_unused_parameters (default false). */
  findUnusedParameters?: boolean;
  /** 'construction': DDP static_graph (default false). */
  staticGraph?: boolean;
  /** 'rebuilt': DDP_SET_LAST_BUCKET_CAP=1 behaviour (default false). */
  setLastBucketAsSmall?: boolean;
}

export interface Bucket {
  /** dtype of every tensor in the bucket. */
  dtype: string;
  /** Tensor (registration) indices in bucket order. */
  tensorIndices: number[];
  /** Element offset of each tensor in the flattened bucket. */
  offsets: number[];
  /** Total elements / bytes of the bucket (one allreduce). */
  numel: number;
  bytes: number;
  /** The size limit that applied to this bucket (Infinity = sys.maxsize). */
  sizeLimit: number;
}

function elemBytes(t: GradTensor, i: number): number {
  const e = t.elementSize ?? DTYPE_BYTES[t.dtype];
  if (e === undefined) {
    throw new InvalidArgumentError(`tensors[${i}].elementSize is required for dtype ${t.dtype}`, {
      field: `tensors[${i}].elementSize`,
    });
  }
  assertInteger(e, `tensors[${i}].elementSize`, 1, 1 << 16);
  return e;
}

/** compute_bucket_assignment_by_size over `order` (tensor indices); returns buckets in closing order. */
function assign(tensors: readonly GradTensor[], order: readonly number[], limits: readonly number[]): Bucket[] {
  interface Acc { idx: number[]; size: number; limit: number; first: number }
  const open = new Map<string, Acc>();
  const limitPos = new Map<string, number>();
  const done: Bucket[] = [];
  const close = (dtype: string, a: Acc): void => {
    let off = 0;
    const offsets = a.idx.map((i) => {
      const o = off;
      off += tensors[i]!.numel;
      return o;
    });
    done.push({ dtype, tensorIndices: a.idx, offsets, numel: off, bytes: a.size, sizeLimit: a.limit });
  };
  for (const i of order) {
    const t = tensors[i]!;
    const key = t.dtype;
    let acc = open.get(key);
    if (!acc) {
      acc = { idx: [], size: 0, limit: 0, first: i };
      open.set(key, acc);
    }
    if (!limitPos.has(key)) limitPos.set(key, 0);
    acc.idx.push(i);
    acc.size += t.numel * elemBytes(t, i);
    acc.limit = limits[limitPos.get(key)!]!;
    if (acc.size >= acc.limit) {
      close(key, acc);
      open.delete(key);
      limitPos.set(key, Math.min(limitPos.get(key)! + 1, limits.length - 1));
    }
  }
  for (const [key, acc] of open) if (acc.idx.length > 0) close(key, acc);
  return done;
}

/**
 * Assigns gradient tensors to DDP buckets.
 *
 * @param tensors gradients in parameter registration order (`model.parameters()`)
 * @returns buckets in the order their allreduces are launched
 */
export function assignBuckets(tensors: readonly GradTensor[], opts: BucketOptions = {}): Bucket[] {
  if (!Array.isArray(tensors)) throw new InvalidArgumentError('tensors must be an array', { field: 'tensors' });
  tensors.forEach((t, i) => {
    if (t === null || typeof t !== 'object') {
      throw new InvalidArgumentError(`tensors[${i}] must be an object`, { field: `tensors[${i}]` });
    }
    assertInteger(t.numel, `tensors[${i}].numel`, 0, Number.MAX_SAFE_INTEGER);
    if (typeof t.dtype !== 'string' || t.dtype === '') {
      throw new InvalidArgumentError(`tensors[${i}].dtype must be a non-empty string`, { field: `tensors[${i}].dtype` });
    }
    elemBytes(t, i);
  });
  const capMB = opts.bucketCapMB ?? 25;
  if (typeof capMB !== 'number' || !(capMB > 0) || !Number.isFinite(capMB)) {
    throw new InvalidArgumentError(`bucketCapMB must be a positive number, got ${String(capMB)}`, { field: 'bucketCapMB' });
  }
  const cap = Math.trunc(capMB * 1024 * 1024);
  const first = opts.firstBucketBytes ?? 1024 * 1024;
  assertInteger(first, 'firstBucketBytes', 1, Number.MAX_SAFE_INTEGER);
  const phase = opts.phase ?? 'rebuilt';
  if (phase !== 'rebuilt' && phase !== 'construction') {
    throw new InvalidArgumentError(`phase must be 'rebuilt' or 'construction', got ${String(phase)}`, { field: 'phase' });
  }
  if (tensors.length === 0) return [];

  if (phase === 'construction') {
    const limits = opts.staticGraph || !opts.findUnusedParameters ? [Infinity] : [first, cap];
    const order = tensors.map((_, i) => i);
    const buckets = assign(tensors, order, limits);
    buckets.sort((a, b) => Math.min(...a.tensorIndices) - Math.min(...b.tensorIndices));
    return buckets.reverse();
  }

  let order: number[];
  if (opts.readyOrder !== undefined) {
    const ro = opts.readyOrder;
    const seen = new Uint8Array(tensors.length);
    if (!Array.isArray(ro) || ro.length !== tensors.length || ro.some((i) => !Number.isInteger(i) || i < 0 || i >= tensors.length || seen[i]!++ > 0)) {
      throw new InvalidArgumentError('readyOrder must be a permutation of the tensor indices', { field: 'readyOrder' });
    }
    order = [...ro];
  } else order = tensors.map((_, i) => tensors.length - 1 - i);
  if (opts.setLastBucketAsSmall) order.reverse();
  const buckets = assign(tensors, order, [first, cap]);
  // Reducer::rebuild_buckets reverses the bucket list back (not the tensors inside a bucket).
  if (opts.setLastBucketAsSmall) buckets.reverse();
  return buckets;
}
