/**
 * Allreduce traffic and cost models.
 *
 * - {@link bytesPerRank}: EXACT bytes a rank sends and receives, summed from its
 *   schedule (schedule.ts) - not the asymptotic 2(N-1)/N * S, which it approaches when
 *   N divides the count (Open MPI N=3, C=1000 float32: 5336 / 5332 / 5332 bytes sent).
 * - {@link busBandwidth}: nccl-tests' bus bandwidth (doc/PERFORMANCE.md; src/*.cu
 *   `getBw`): busbw = algbw * factor with factor 2(n-1)/n for AllReduce, (n-1)/n for
 *   ReduceScatter, AllGather and AlltoAll, 1 for Broadcast, Reduce and SendRecv.
 *   algbw is bytes/second of the full buffer S (for AllGather/ReduceScatter nccl-tests
 *   uses the total size count*nranks*typesize). Units: whatever unit algBw has.
 * - {@link estimateTime}: the alpha-beta-gamma (Hockney + compute) model of
 *   R. Thakur, R. Rabenseifner, W. Gropp, "Optimization of Collective Communication
 *   Operations in MPICH", Int. J. High Performance Computing Applications 19(1):49-66,
 *   2005. alpha = seconds per message, beta = seconds per byte transferred, gamma =
 *   seconds per byte reduced; n = message bytes, p = ranks. These are model
 *   APPROXIMATIONS (no contention, full-duplex links), not measurements:
 *     ring (reduce-scatter + all-gather):  2(p-1)a + 2(p-1)/p nb + (p-1)/p ng
 *     recursive doubling:                  lg p (a + nb + ng)
 *     Rabenseifner (halving RS + doubling AG): 2 lg p a + 2(p-1)/p nb + (p-1)/p ng
 *     tree (binomial reduce + broadcast):  2 ceil(lg p)(a + nb) + ceil(lg p) ng
 *   For p not a power of two, recursive doubling and Rabenseifner first fold the
 *   r = p - p' extra ranks (p' = 2^floor(lg p)) into their neighbours and send the
 *   result back at the end (TRG 2005 sec. 4): + (a + nb + ng) + (a + nb), with lg p'.
 */
import { InvalidArgumentError, assertInteger } from '../runtime/errors.js';
import { MAX_COUNT, MAX_RANKS } from './partition.js';
import { type RingStep, type ScheduleOptions, ringSchedule } from './schedule.js';

export interface RankTraffic {
  /** Bytes sent by this rank in total. */
  sent: number;
  /** Bytes received in total. */
  received: number;
  /** Bytes sent during the reduce-scatter steps (or recursive-doubling steps). */
  reduceScatterSent: number;
  /** Bytes sent during the all-gather steps. */
  allGatherSent: number;
  /** Number of messages sent (non-empty sends). */
  messages: number;
}

/**
 * Exact per-rank traffic of one allreduce.
 *
 * @param count       elements (integer 0..2^53-1)
 * @param ranks       N >= 1
 * @param elementSize bytes per element (integer >= 1)
 * @param opts        schedule options plus `rank` (default 0)
 */
export function bytesPerRank(
  count: number,
  ranks: number,
  elementSize: number,
  opts: ScheduleOptions & { rank?: number } = {},
): RankTraffic {
  assertInteger(elementSize, 'elementSize', 1, 1 << 20);
  const { rank = 0, ...rest } = opts;
  const sched = ringSchedule(rank, ranks, count, { ...rest, elementSize });
  const t: RankTraffic = { sent: 0, received: 0, reduceScatterSent: 0, allGatherSent: 0, messages: 0 };
  sched.steps.forEach((s: RingStep) => {
    const sb = s.sendCount * elementSize;
    t.sent += sb;
    t.received += s.recvCount * elementSize;
    if (s.sendCount > 0) t.messages++;
    if (s.phase === 'all-gather' || s.phase === 'rd-post') t.allGatherSent += sb;
    else t.reduceScatterSent += sb;
  });
  return t;
}

/** Collectives known to nccl-tests. */
export type Collective = 'allreduce' | 'reducescatter' | 'allgather' | 'alltoall' | 'broadcast' | 'reduce' | 'sendrecv';
const COLLECTIVES: readonly Collective[] = ['allreduce', 'reducescatter', 'allgather', 'alltoall', 'broadcast', 'reduce', 'sendrecv'];

/** nccl-tests bus-bandwidth factor for a collective over `ranks` ranks. */
export function busBandwidthFactor(ranks: number, collective: Collective): number {
  assertInteger(ranks, 'ranks', 1, MAX_RANKS);
  switch (collective) {
    case 'allreduce':
      return (2 * (ranks - 1)) / ranks;
    case 'reducescatter':
    case 'allgather':
    case 'alltoall':
      return (ranks - 1) / ranks;
    case 'broadcast':
    case 'reduce':
    case 'sendrecv':
      return 1;
    default:
      throw new InvalidArgumentError(`collective must be one of ${COLLECTIVES.join(', ')}, got ${String(collective)}`, {
        field: 'collective',
      });
  }
}

/** busbw = algbw * factor (nccl-tests). `algBw` finite and >= 0, any unit. */
export function busBandwidth(algBw: number, ranks: number, collective: Collective): number {
  if (typeof algBw !== 'number' || !Number.isFinite(algBw) || algBw < 0) {
    throw new InvalidArgumentError(`algBw must be a finite number >= 0, got ${String(algBw)}`, { field: 'algBw' });
  }
  return algBw * busBandwidthFactor(ranks, collective);
}

export type Algorithm = 'ring' | 'tree' | 'recursive-doubling' | 'rabenseifner';
export const ALGORITHMS: readonly Algorithm[] = ['ring', 'tree', 'recursive-doubling', 'rabenseifner'];

export interface CostParams {
  /** Message size n in bytes (>= 0). */
  bytes: number;
  /** Number of ranks p >= 1. */
  ranks: number;
  /** Latency per message, seconds (>= 0). */
  alpha: number;
  /** Transfer time per byte, seconds (>= 0) = 1 / bandwidth. */
  beta: number;
  /** Reduction time per byte, seconds (>= 0; default 0). */
  gamma?: number;
}

function checkCost(p: CostParams): Required<CostParams> {
  if (p === null || typeof p !== 'object') throw new InvalidArgumentError('cost parameters required', { field: 'bytes' });
  const nonNeg = (v: unknown, field: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidArgumentError(`${field} must be a finite number >= 0, got ${String(v)}`, { field });
    }
    return v;
  };
  assertInteger(p.ranks, 'ranks', 1, MAX_RANKS);
  const bytes = nonNeg(p.bytes, 'bytes');
  if (bytes > MAX_COUNT) throw new InvalidArgumentError('bytes exceeds 2^53-1', { field: 'bytes' });
  return { bytes, ranks: p.ranks, alpha: nonNeg(p.alpha, 'alpha'), beta: nonNeg(p.beta, 'beta'), gamma: nonNeg(p.gamma ?? 0, 'gamma') };
}

/**
 * Modelled allreduce time in seconds (Thakur, Rabenseifner & Gropp 2005; see module
 * comment). Returns 0 for one rank.
 */
export function estimateTime(params: CostParams & { algorithm: Algorithm }): number {
  const { bytes: n, ranks: p, alpha: a, beta: b, gamma: g } = checkCost(params);
  const algorithm = params.algorithm;
  if (!(ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new InvalidArgumentError(`algorithm must be one of ${ALGORITHMS.join(', ')}, got ${String(algorithm)}`, {
      field: 'algorithm',
    });
  }
  if (p === 1) return 0;
  const lgp = Math.floor(Math.log2(p));
  const pow2 = 2 ** lgp;
  const fold = pow2 === p ? 0 : a + n * b + n * g + (a + n * b);
  switch (algorithm) {
    case 'ring':
      return 2 * (p - 1) * a + ((2 * (p - 1)) / p) * n * b + ((p - 1) / p) * n * g;
    case 'recursive-doubling':
      return lgp * (a + n * b + n * g) + fold;
    case 'rabenseifner':
      return 2 * lgp * a + ((2 * (pow2 - 1)) / pow2) * n * b + ((pow2 - 1) / pow2) * n * g + fold;
    case 'tree': {
      const d = Math.ceil(Math.log2(p));
      return 2 * d * (a + n * b) + d * n * g;
    }
  }
}

export interface Recommendation {
  algorithm: Algorithm;
  /** Modelled seconds per algorithm. */
  times: Record<Algorithm, number>;
}

/**
 * The modelled-fastest algorithm for a size (ties broken in the order ring, rabenseifner,
 * recursive-doubling, tree). `candidates` restricts the choice.
 */
export function recommendAlgorithm(params: CostParams & { candidates?: readonly Algorithm[] }): Recommendation {
  const cands: readonly Algorithm[] = params.candidates ?? ['ring', 'rabenseifner', 'recursive-doubling', 'tree'];
  if (!Array.isArray(cands) || cands.length === 0) {
    throw new InvalidArgumentError('candidates must be a non-empty list of algorithms', { field: 'candidates' });
  }
  const times = {} as Record<Algorithm, number>;
  let best: Algorithm | undefined;
  for (const alg of cands as readonly Algorithm[]) {
    const t = estimateTime({ ...params, algorithm: alg });
    times[alg] = t;
    if (best === undefined || t < times[best]) best = alg;
  }
  return { algorithm: best!, times };
}
