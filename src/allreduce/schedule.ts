/**
 * Per-rank ring-allreduce schedules: the 2(N-1) steps (N-1 reduce-scatter steps, then
 * N-1 all-gather steps) of one rank, with peers, block indices and element ranges.
 *
 * Unified block rule (derived from each source; p = this rank's ring position, d = ring
 * direction (+1: send to the next position), s = step 0..2N-3, shift = 0 for Open MPI,
 * 1 for MPICH/NCCL/Gloo):
 *
 *     sendBlock = (p - d*(s + shift)) mod N      recvBlock = (p - d*(s + shift + 1)) mod N
 *
 * - Open MPI `ompi_coll_base_allreduce_intra_ring`: send block r first, then for
 *   k = 2..N-1 reduce and forward block (r - k + 1), finally reduce block (r + 1); the
 *   all-gather sends (r + 1 - k) and receives (r - k). Rank r owns block r+1 after the
 *   reduce-scatter. Received data is combined as rbuf[blk] = inbuf (op) rbuf[blk].
 * - MPICH `MPIR_Allreduce_intra_ring`: step i sends (r - 1 - i), receives (r - 2 - i),
 *   then `MPIR_Allgatherv_intra_ring`; rank r owns block r.
 * - NCCL `runRing`: step 0 sends chunk ringIx-1, recvReduceSend chunks ringIx-j,
 *   recvReduceCopySend chunk ringIx, recvCopySend ringIx-j, recv ringIx+1; ringIx is the
 *   position in the ring (`ring->index`), which is why a ring order may differ from rank
 *   order. Repeated per loop (see partition.ts).
 * - Gloo `gloo::allreduce` ring: sends to rank-1, receives from rank+1 (d = -1),
 *   reduce-scatter sends chunk r+1+i, all-gather sends chunk r+i; rank r owns chunk r.
 *
 * Open MPI specifics: count < N falls back to recursive doubling
 * (`ompi_coll_base_allreduce_intra_recursivedoubling`), returned with
 * `algorithm: 'recursive-doubling'` and its own steps; `segmentBytes` selects the
 * segmented ring (`_ring_segmented`, tuned algorithm 5): the reduce-scatter runs once
 * per phase on a sub-block (early/late split of each block into num_phases pieces), the
 * all-gather is the plain ring's. NCCL Simple-protocol slices can be attached per step.
 */
import { InvalidArgumentError, assertInteger } from '../runtime/errors.js';
import {
  type Chunk,
  type Scheme,
  assertCountRanks,
  assertScheme,
  ompiBlock,
  ompiBlockCount,
  partition,
} from './partition.js';

export type StepPhase = 'reduce-scatter' | 'all-gather' | 'rd-pre' | 'rd-exchange' | 'rd-post';

/** One communication step of one rank. Offsets/counts in elements; -1 = no peer/block. */
export interface RingStep {
  /** Step index within its loop (ring: 0..2N-3). */
  readonly step: number;
  readonly phase: StepPhase;
  /** NCCL loop index (0 otherwise). */
  readonly loop: number;
  /** Open MPI segmented ring: phase index of a reduce-scatter step (0 otherwise). */
  readonly segment: number;
  readonly sendTo: number;
  readonly recvFrom: number;
  readonly sendBlock: number;
  readonly recvBlock: number;
  readonly sendOffset: number;
  readonly sendCount: number;
  readonly recvOffset: number;
  readonly recvCount: number;
  /** True if the received data is reduced into the local buffer (else copied). */
  readonly reduces: boolean;
  /** NCCL Simple slices of this step's data (absolute element ranges), when requested. */
  readonly slices?: readonly { offset: number; count: number }[];
}

export interface RingSchedule {
  readonly rank: number;
  readonly ranks: number;
  readonly count: number;
  readonly scheme: Scheme;
  /** 'local' for N = 1, 'recursive-doubling' for Open MPI's count < N fallback. */
  readonly algorithm: 'ring' | 'recursive-doubling' | 'local';
  /** Position of `rank` in the ring order. */
  readonly position: number;
  readonly direction: 1 | -1;
  readonly steps: readonly RingStep[];
}

export interface NcclSliceOptions {
  /** SlicePerChunk = ALLREDUCE_CHUNKSTEPS / ALLREDUCE_SLICESTEPS (default 2). */
  slicesPerChunk?: number;
  /** StepPerSlice = ALLREDUCE_SLICESTEPS (default 2). */
  stepsPerSlice?: number;
  /** Bytes per NCCL step = buffSize / NCCL_STEPS (default 4 MiB / 8). */
  stepBytes?: number;
}

export interface ScheduleOptions {
  scheme?: Scheme;
  /** +1: send to the next ring position (Open MPI, MPICH, NCCL); -1: to the previous (Gloo). */
  direction?: 1 | -1;
  /** Ranks in ring order (a permutation of 0..N-1); default identity. */
  ringOrder?: readonly number[];
  /** Bytes per element (default 4). */
  elementSize?: number;
  /** NCCL: elements per chunk of a full loop. */
  chunkCount?: number;
  /** Gloo: maxSegmentSize bytes. */
  maxSegmentBytes?: number;
  /** Open MPI: segsize in bytes, selects the segmented ring (tuned algorithm 5). */
  segmentBytes?: number;
  /** NCCL: attach Simple-protocol slices to every step (true = defaults). */
  slices?: boolean | NcclSliceOptions;
}

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** Validates a ring order and returns it (identity if undefined). */
export function resolveRingOrder(ranks: number, ringOrder: readonly number[] | undefined): number[] {
  if (ringOrder === undefined) return Array.from({ length: ranks }, (_, i) => i);
  if (!Array.isArray(ringOrder) || ringOrder.length !== ranks) {
    throw new InvalidArgumentError(`ringOrder must list all ${ranks} ranks`, { field: 'ringOrder' });
  }
  const seen = new Uint8Array(ranks);
  for (const r of ringOrder) {
    if (!Number.isInteger(r) || r < 0 || r >= ranks || seen[r]) {
      throw new InvalidArgumentError('ringOrder must be a permutation of 0..ranks-1', { field: 'ringOrder' });
    }
    seen[r] = 1;
  }
  return [...ringOrder];
}

/** Open MPI COLL_BASE_COMPUTED_SEGCOUNT: elements per segment for segsize bytes. */
export function ompiSegCount(segsize: number, typelng: number, count: number): number {
  let segcount = count;
  if (segsize >= typelng && segsize < typelng * count) {
    segcount = Math.floor(segsize / typelng);
    const residual = segsize - segcount * typelng;
    if (residual > typelng >> 1) segcount++;
  }
  return segcount;
}

/** Number of phases of Open MPI's segmented ring, or 0 when it falls back to the plain ring. */
export function ompiSegmentedPhases(count: number, ranks: number, elementSize: number, segsize: number): number {
  const segcount = ompiSegCount(segsize, elementSize, count);
  if (count < ranks * segcount) return 0;
  const unit = ranks * segcount;
  let phases = Math.floor(count / unit);
  const rem = count % unit;
  if (rem >= ranks && rem > Math.floor(unit / 2)) phases++;
  return phases;
}

function ncclSlices(offset: number, nelem: number, e: number, o: NcclSliceOptions): { offset: number; count: number }[] {
  const spc = o.slicesPerChunk ?? 2;
  const sps = o.stepsPerSlice ?? 2;
  const stepElems = Math.floor((o.stepBytes ?? (4 << 20) / 8) / e);
  // prims_simple.h genericOp: sliceSize = max(divUp(nelem, 16*SlicePerChunk)*16, stepSize*StepPerSlice/32)
  const sliceSize = Math.max(Math.ceil(nelem / (16 * spc)) * 16, Math.floor((stepElems * sps) / 32));
  const out: { offset: number; count: number }[] = [];
  for (let s = 0, off = 0; s < spc && off < nelem; s++, off += sliceSize) {
    out.push({ offset: offset + off, count: Math.min(sliceSize, nelem - off) });
  }
  return out;
}

/** Open MPI recursive-doubling steps for one rank (whole buffer each time). */
function recursiveDoublingSteps(rank: number, ranks: number, count: number): RingStep[] {
  let adj = 1;
  while (adj * 2 <= ranks) adj *= 2;
  const extra = ranks - adj;
  const steps: RingStep[] = [];
  const base = { loop: 0, segment: 0, sendBlock: -1, recvBlock: -1, sendOffset: 0, recvOffset: 0 };
  let newrank: number;
  if (rank < 2 * extra) {
    if (rank % 2 === 0) {
      steps.push({ ...base, step: 0, phase: 'rd-pre', sendTo: rank + 1, recvFrom: -1, sendCount: count, recvCount: 0, reduces: false });
      newrank = -1;
    } else {
      steps.push({ ...base, step: 0, phase: 'rd-pre', sendTo: -1, recvFrom: rank - 1, sendCount: 0, recvCount: count, reduces: true });
      newrank = rank >> 1;
    }
  } else newrank = rank - extra;
  if (newrank >= 0) {
    for (let dist = 1; dist < adj; dist <<= 1) {
      const nr = newrank ^ dist;
      const remote = nr < extra ? nr * 2 + 1 : nr + extra;
      steps.push({ ...base, step: steps.length, phase: 'rd-exchange', sendTo: remote, recvFrom: remote, sendCount: count, recvCount: count, reduces: true });
    }
  }
  if (rank < 2 * extra) {
    const even = rank % 2 === 0;
    steps.push({
      ...base, step: steps.length, phase: 'rd-post',
      sendTo: even ? -1 : rank - 1, recvFrom: even ? rank + 1 : -1,
      sendCount: even ? 0 : count, recvCount: even ? count : 0, reduces: false,
    });
  }
  return steps;
}

/**
 * The schedule of one rank.
 *
 * @param rank   this rank, integer in [0, ranks)
 * @param ranks  communicator size N >= 1
 * @param count  elements in the buffer (integer, 0..2^53-1)
 * @param opts   scheme (default 'ompi'), direction, ringOrder, segmentation / slices
 */
export function ringSchedule(rank: number, ranks: number, count: number, opts: ScheduleOptions = {}): RingSchedule {
  assertCountRanks(count, ranks);
  assertInteger(rank, 'rank', 0, ranks - 1);
  const scheme = opts.scheme ?? 'ompi';
  assertScheme(scheme);
  const direction = opts.direction ?? (scheme === 'gloo' ? -1 : 1);
  if (direction !== 1 && direction !== -1) {
    throw new InvalidArgumentError(`direction must be 1 or -1, got ${String(direction)}`, { field: 'direction' });
  }
  const order = resolveRingOrder(ranks, opts.ringOrder);
  const position = order.indexOf(rank);
  const N = ranks;
  const e = opts.elementSize ?? 4;
  assertInteger(e, 'elementSize', 1, 1 << 20);
  if (opts.segmentBytes !== undefined) assertInteger(opts.segmentBytes, 'segmentBytes', 1, Number.MAX_SAFE_INTEGER);
  const head = { rank, ranks, count, scheme, position, direction } as const;
  if (N === 1) return { ...head, algorithm: 'local', steps: [] };
  if (scheme === 'ompi' && count < N) {
    return { ...head, algorithm: 'recursive-doubling', steps: recursiveDoublingSteps(rank, N, count) };
  }
  const sendTo = order[mod(position + direction, N)]!;
  const recvFrom = order[mod(position - direction, N)]!;
  const shift = scheme === 'ompi' ? 0 : 1;
  const chunks = partition(count, N, {
    scheme, elementSize: e,
    ...(opts.chunkCount !== undefined ? { chunkCount: opts.chunkCount } : {}),
    ...(opts.maxSegmentBytes !== undefined ? { maxSegmentBytes: opts.maxSegmentBytes } : {}),
  });
  const loops = chunks.length / N;
  const sliceOpts = opts.slices === true ? {} : opts.slices || undefined;
  const steps: RingStep[] = [];
  const blockAt = (s: number): [number, number] => [
    mod(position - direction * (s + shift), N),
    mod(position - direction * (s + shift + 1), N),
  ];
  const push = (s: number, loop: number, segment: number, snd: { offset: number; count: number }, rcv: { offset: number; count: number }, sb: number, rb: number): void => {
    const step: RingStep = {
      step: s, phase: s < N - 1 ? 'reduce-scatter' : 'all-gather', loop, segment, sendTo, recvFrom,
      sendBlock: sb, recvBlock: rb, sendOffset: snd.offset, sendCount: snd.count,
      recvOffset: rcv.offset, recvCount: rcv.count, reduces: s < N - 1,
      ...(sliceOpts && scheme === 'nccl' ? { slices: ncclSlices(snd.offset, snd.count, e, sliceOpts) } : {}),
    };
    steps.push(step);
  };

  const phases = scheme === 'ompi' && opts.segmentBytes !== undefined ? ompiSegmentedPhases(count, N, e, opts.segmentBytes) : 0;
  if (phases > 0) {
    // Segmented ring: reduce-scatter once per phase on the phase's piece of each block.
    const piece = (c: Chunk, ph: number): { offset: number; count: number } => {
      const p = ompiBlock(ph, ompiBlockCount(c.count, phases));
      return { offset: c.offset + p.offset, count: p.count };
    };
    for (let ph = 0; ph < phases; ph++) {
      for (let s = 0; s < N - 1; s++) {
        const [sb, rb] = blockAt(s);
        push(s, 0, ph, piece(chunks[sb]!, ph), piece(chunks[rb]!, ph), sb, rb);
      }
    }
    for (let s = N - 1; s < 2 * N - 2; s++) {
      const [sb, rb] = blockAt(s);
      push(s, 0, 0, chunks[sb]!, chunks[rb]!, sb, rb);
    }
  } else {
    for (let loop = 0; loop < loops; loop++) {
      const base = loop * N;
      for (let s = 0; s < 2 * N - 2; s++) {
        const [sb, rb] = blockAt(s);
        push(s, loop, 0, chunks[base + sb]!, chunks[base + rb]!, sb, rb);
      }
    }
  }
  return { ...head, algorithm: 'ring', steps };
}
