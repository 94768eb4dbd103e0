/**
 * How each ring-allreduce implementation cuts a buffer of `count` elements into the
 * N ring blocks ("chunks" in NCCL/Gloo). Pure integer arithmetic on JS numbers: counts
 * up to 2^53 - 1 elements are exact (so > 2^31 works), everything is validated.
 *
 * Result: a list of {@link Chunk}s `{ block, loop, offset, count }` (offset/count in
 * elements). `block` is the ring block index 0..N-1 (the ring *position* that the
 * schedule sends/receives, not necessarily a rank), `loop` the outer-loop iteration
 * (only NCCL has more than one). Chunks are listed loop by loop, block by block; they
 * tile [0, count) in order. Empty chunks (count 0) are legal and kept.
 *
 * Schemes (read from each system's source; formulas restated, no code copied):
 * - 'ompi'  Open MPI coll/base `COLL_BASE_COMPUTE_BLOCKCOUNT(count, N, split, early, late)`
 *           (ompi/mca/coll/base/coll_base_util.h) as used by
 *           `ompi_coll_base_allreduce_intra_ring`: late = floor(C/N), split = C mod N,
 *           early = late + (split != 0); block b has early elements if b < split else late,
 *           offset = b < split ? b*early : b*late + split.
 * - 'mpich' `MPIR_Allreduce_intra_ring` (src/mpi/coll/allreduce/allreduce_intra_ring.c):
 *           cnts[i] = ceil(C/N) while the running total stays <= C; the block that would
 *           cross C gets the remainder and the loop stops, later blocks stay 0;
 *           displs = prefix sums.
 * - 'nccl'  NCCL `runRing` (src/device/all_reduce.h, 2.19+ layout) for one channel:
 *           loopCount = N*chunkCount; for elemOffset = 0, loopCount, ... < C:
 *           rem = C - elemOffset; if rem < loopCount then
 *           chunkCount = alignUp(divUp(rem, N), 16/sizeof(T)); chunk k of the loop starts at
 *           elemOffset + k*chunkCount with nelem = min(chunkCount, rem - k*chunkCount)
 *           (<= 0 means empty). Default chunkCount = 2 MiB / elementSize (Simple protocol:
 *           buffSize 4 MiB / NCCL_STEPS 8 * ALLREDUCE_CHUNKSTEPS 4); NCCL's host planner
 *           (channel split `ncclCollCbdPart`, tuner) may choose other values: pass them in.
 * - 'gloo'  `gloo::allreduce` ring (gloo/allreduce.cc):
 *           maxSegmentBytes = e*max(1, floor(maxSegmentSize/e)) (maxSegmentSize default
 *           kMaxSegmentSize = 1 MiB); numSegments = roundUp(max(ceil(S/maxSegmentBytes),
 *           2N), N); segmentsPerRank = numSegments/N; segmentBytes =
 *           roundUp(ceil(S/numSegments), e); chunk c = segments [c*spr, (c+1)*spr), byte
 *           length min(spr*segmentBytes, S - offset) (may be <= 0: empty).
 */
import { InvalidArgumentError, assertInteger } from '../runtime/errors.js';

/** Ring implementations whose block arithmetic is reproduced. */
export type Scheme = 'ompi' | 'mpich' | 'nccl' | 'gloo';
export const SCHEMES: readonly Scheme[] = ['ompi', 'mpich', 'nccl', 'gloo'];

/** One ring block (or, for NCCL, one block of one loop). Offsets/counts in elements. */
export interface Chunk {
  /** Ring block index 0..N-1 (= ring position that owns it). */
  readonly block: number;
  /** Outer loop iteration (NCCL); 0 for the other schemes. */
  readonly loop: number;
  /** First element. Empty chunks get the offset where they would start, clamped to count. */
  readonly offset: number;
  /** Number of elements (>= 0). */
  readonly count: number;
}

export interface PartitionOptions {
  scheme: Scheme;
  /** Bytes per element (default 4). Used by 'nccl' (16-byte alignment) and 'gloo'. */
  elementSize?: number;
  /** 'nccl': elements per chunk in a full loop (default 2 MiB / elementSize). */
  chunkCount?: number;
  /** 'gloo': AllreduceOptions::maxSegmentSize in bytes (default 1 MiB). */
  maxSegmentBytes?: number;
}

/** Largest count the planner accepts (exact integers in a JS number). */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** Largest rank count accepted (MPI ranks are C ints). */
export const MAX_RANKS = 2 ** 31 - 1;

/** Validates and returns the scheme. */
export function assertScheme(scheme: unknown, field = 'scheme'): asserts scheme is Scheme {
  if (typeof scheme !== 'string' || !(SCHEMES as readonly string[]).includes(scheme)) {
    throw new InvalidArgumentError(`${field} must be one of ${SCHEMES.join(', ')}, got ${String(scheme)}`, { field });
  }
}

/** Validates count (integer in [0, 2^53-1]) and ranks (integer in [1, 2^31-1]). */
export function assertCountRanks(count: unknown, ranks: unknown): asserts count is number {
  assertInteger(count, 'count', 0, MAX_COUNT);
  assertInteger(ranks, 'ranks', 1, MAX_RANKS);
}

/** Open MPI COLL_BASE_COMPUTE_BLOCKCOUNT: `{ split, early, late }` for count over blocks. */
export function ompiBlockCount(count: number, blocks: number): { split: number; early: number; late: number } {
  const late = Math.floor(count / blocks);
  const split = count - late * blocks;
  return { split, early: split !== 0 ? late + 1 : late, late };
}

/** Offset and length of block b under the early/late rule. */
export function ompiBlock(b: number, bc: { split: number; early: number; late: number }): { offset: number; count: number } {
  return b < bc.split
    ? { offset: b * bc.early, count: bc.early }
    : { offset: b * bc.late + bc.split, count: bc.late };
}

/** Gloo ring segment geometry (bytes), see the module comment. */
export interface GlooGeometry {
  maxSegmentBytes: number;
  numSegments: number;
  segmentsPerRank: number;
  segmentBytes: number;
}

/** Computes Gloo's segment geometry for `count` elements of `elementSize` bytes over N ranks. */
export function glooGeometry(count: number, ranks: number, elementSize = 4, maxSegmentSize = 1 << 20): GlooGeometry {
  const e = elementSize;
  const total = count * e;
  const maxSegmentBytes = e * Math.max(1, Math.floor(maxSegmentSize / e));
  const want = Math.max(Math.ceil(total / maxSegmentBytes), 2 * ranks);
  const numSegments = Math.ceil(want / ranks) * ranks;
  const segmentsPerRank = numSegments / ranks;
  const segmentBytes = Math.ceil(Math.ceil(total / numSegments) / e) * e;
  return { maxSegmentBytes, numSegments, segmentsPerRank, segmentBytes };
}

function checkElementSize(e: unknown): number {
  const v = e ?? 4;
  assertInteger(v, 'elementSize', 1, 1 << 20);
  return v;
}

/**
 * Cuts [0, count) into ring blocks exactly as `scheme` does.
 *
 * @param count elements in the buffer, integer in [0, 2^53-1]
 * @param ranks communicator size N >= 1
 * @returns chunks in buffer order; N of them per loop (all schemes but NCCL have 1 loop;
 *          NCCL with count 0 returns one loop of N empty chunks)
 * @throws InvalidArgumentError naming the bad argument
 */
export function partition(count: number, ranks: number, opts: PartitionOptions): Chunk[] {
  assertCountRanks(count, ranks);
  if (opts === null || typeof opts !== 'object') {
    throw new InvalidArgumentError('options with a scheme are required', { field: 'scheme' });
  }
  assertScheme(opts.scheme);
  const e = checkElementSize(opts.elementSize);
  if (count * e > MAX_COUNT) {
    throw new InvalidArgumentError(`count * elementSize exceeds 2^53-1 bytes`, { field: 'count' });
  }
  const N = ranks;
  const out: Chunk[] = [];
  switch (opts.scheme) {
    case 'ompi': {
      const bc = ompiBlockCount(count, N);
      for (let b = 0; b < N; b++) out.push({ block: b, loop: 0, ...ompiBlock(b, bc) });
      return out;
    }
    case 'mpich': {
      const per = Math.ceil(count / N);
      let total = 0;
      let stopped = false;
      for (let b = 0; b < N; b++) {
        let c = 0;
        if (!stopped) {
          c = per;
          if (total + c > count) {
            c = count - total;
            stopped = true; // MPICH `break`s here: later cnts stay 0
          }
        }
        out.push({ block: b, loop: 0, offset: total, count: c });
        total += c;
      }
      return out;
    }
    case 'nccl': {
      const chunkCount = opts.chunkCount ?? Math.max(1, Math.floor((2 << 20) / e));
      assertInteger(chunkCount, 'chunkCount', 1, MAX_COUNT);
      const align = Math.max(1, Math.floor(16 / e));
      const loopCount = N * chunkCount;
      if (count === 0) {
        for (let b = 0; b < N; b++) out.push({ block: b, loop: 0, offset: 0, count: 0 });
        return out;
      }
      let loop = 0;
      for (let elemOffset = 0; elemOffset < count; elemOffset += loopCount, loop++) {
        const rem = count - elemOffset;
        const cc = rem < loopCount ? Math.ceil(Math.ceil(rem / N) / align) * align : chunkCount;
        for (let k = 0; k < N; k++) {
          const start = k * cc;
          const n = Math.max(0, Math.min(cc, rem - start));
          out.push({ block: k, loop, offset: elemOffset + Math.min(start, rem), count: n });
        }
      }
      return out;
    }
    case 'gloo': {
      const maxSeg = opts.maxSegmentBytes ?? 1 << 20;
      assertInteger(maxSeg, 'maxSegmentBytes', 1, MAX_COUNT);
      const g = glooGeometry(count, N, e, maxSeg);
      const chunkBytes = g.segmentsPerRank * g.segmentBytes;
      const total = count * e;
      for (let c = 0; c < N; c++) {
        const startB = Math.min(c * chunkBytes, total);
        const len = Math.max(0, Math.min(chunkBytes, total - c * chunkBytes));
        out.push({ block: c, loop: 0, offset: startB / e, count: len / e });
      }
      return out;
    }
  }
}
