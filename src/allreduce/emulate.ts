/**
 * In-process ring-allreduce emulation: runs every rank's schedule (schedule.ts) step by
 * step and combines data with the reference kernel `reduceInto` (reduce.ts), so the
 * association order of every element is the ring's.
 *
 * Bit-exactness: for `scheme: 'ompi'` the result is bitwise identical to Open MPI's
 * `ompi_coll_base_allreduce_intra_ring` (tuned algorithm 4, forced with
 * `--mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_allreduce_algorithm 4`)
 * including its count < N fallback to `ompi_coll_base_allreduce_intra_recursivedoubling`;
 * proven against Open MPI 4.1.4 by test/node/allreduce/ompi-bitexact.test.ts for
 * float32 SUM (N = 2..8, uneven counts). Per element of ring block b the result is
 * acc = x_b; acc = x_{b+1} (+) acc; ...; acc = x_{b+N-1} (+) acc (ranks mod N). The
 * recursive doubling computes, at each exchange, (lower rank's value) op (higher's),
 * after pairing ranks 2k, 2k+1 for the N - 2^floor(log2 N) extra ranks.
 * The other schemes follow their sources' orders (MPICH, NCCL one channel, Gloo ring)
 * but are not checked against real runs here. NaN payloads and Open MPI's op/avx
 * min/max NaN rules are outside the guarantee (see reduce.ts).
 *
 * Inputs are never modified; outputs are fresh arrays of the same type.
 */
import { InvalidArgumentError } from '../runtime/errors.js';
import { type Scheme, assertScheme } from './partition.js';
import {
  type MinMaxPolicy,
  type ReduceOp,
  type ReducibleArray,
  assertReduceOp,
  assertReducible,
  dtypeOf,
  reduceInto,
} from './reduce.js';
import { type RingSchedule, type ScheduleOptions, ringSchedule } from './schedule.js';

export interface RingAllReduceOptions extends Omit<ScheduleOptions, 'scheme' | 'elementSize'> {
  op: ReduceOp;
  scheme: Scheme;
  /** Float MIN/MAX semantics (default 'ieee754'; 'ompi' for Open MPI's op/base C expression). */
  minMax?: MinMaxPolicy;
}

function cloneArray<T extends ReducibleArray>(a: T): T {
  return a.slice() as T;
}

function subarray<T extends ReducibleArray>(a: T, offset: number, count: number): T {
  return a.subarray(offset, offset + count) as T;
}

/** Validates the input list: non-empty, same dtype, same length. Returns the count. */
function checkInputs(inputs: unknown): number {
  if (!Array.isArray(inputs) || inputs.length < 1) {
    throw new InvalidArgumentError('inputs must be a non-empty array of typed arrays (one per rank)', {
      field: 'inputs',
    });
  }
  inputs.forEach((a, r) => assertReducible(a, `inputs[${r}]`));
  const first = inputs[0] as ReducibleArray;
  for (let r = 1; r < inputs.length; r++) {
    const a = inputs[r] as ReducibleArray;
    if (a.constructor !== first.constructor) {
      throw new InvalidArgumentError(`inputs[${r}] is ${dtypeOf(a)}, inputs[0] is ${dtypeOf(first)}`, {
        field: `inputs[${r}]`,
      });
    }
    if (a.length !== first.length) {
      throw new InvalidArgumentError(`inputs[${r}] has ${a.length} elements, inputs[0] has ${first.length}`, {
        field: `inputs[${r}]`,
      });
    }
  }
  return first.length;
}

/** Open MPI recursive doubling over whole buffers (count < N fallback). */
function recursiveDoubling<T extends ReducibleArray>(vals: T[], op: ReduceOp, minMax: MinMaxPolicy): T[] {
  const N = vals.length;
  let adj = 1;
  while (adj * 2 <= N) adj *= 2;
  const extra = N - adj;
  // holder[newrank] = old rank holding that new rank's value (monotonic in newrank).
  const holder: number[] = [];
  const cur = vals.map(cloneArray);
  for (let r = 0; r < N; r++) {
    if (r < 2 * extra) {
      if (r % 2 === 1) {
        // tmpsend = tmprecv (op) tmpsend: inout = own (x_r), input = received (x_{r-1})
        reduceInto(op, cur[r]!, cur[r - 1]!, { minMax });
        holder.push(r);
      }
    } else holder.push(r);
  }
  for (let dist = 1; dist < adj; dist <<= 1) {
    const next = cur.slice();
    for (let nr = 0; nr < adj; nr++) {
      const partner = nr ^ dist;
      if (partner < nr) continue;
      const lo = holder[nr]!;
      const hi = holder[partner]!;
      // Both sides compute target = (lower rank's data) op (higher rank's data) with the
      // higher rank's buffer as the C `out` operand.
      const res = cloneArray(cur[hi]!);
      reduceInto(op, res, cur[lo]!, { minMax });
      next[lo] = res;
      next[hi] = cloneArray(res);
    }
    for (const r of holder) cur[r] = next[r]!;
  }
  for (let r = 0; r < 2 * extra; r += 2) cur[r] = cloneArray(cur[r + 1]!);
  return cur;
}

/**
 * Runs the whole allreduce in-process and returns every rank's result.
 *
 * @param inputs one typed array per rank (Float32Array | Float64Array | Int32Array |
 *               Uint32Array, all the same type and length C); not modified
 * @param opts   `{ op, scheme }` plus schedule options (direction, ringOrder,
 *               chunkCount, maxSegmentBytes, segmentBytes) and `minMax`
 * @returns      N new arrays (rank order) holding the reduced buffer as that rank ends
 * @throws InvalidArgumentError (`inputs`, `inputs[r]`, `op`, `scheme`, ...) before any work
 */
export function ringAllReduce<T extends ReducibleArray>(inputs: readonly T[], opts: RingAllReduceOptions): T[] {
  const count = checkInputs(inputs);
  if (opts === null || typeof opts !== 'object') {
    throw new InvalidArgumentError('options { op, scheme } are required', { field: 'op' });
  }
  assertReduceOp(opts.op);
  assertScheme(opts.scheme);
  const { op, minMax = 'ieee754', ...schedOpts } = opts;
  // Validate minMax eagerly (reduceInto would throw later, after copies were made).
  reduceInto(op, new Float64Array(0), new Float64Array(0), { minMax });
  const N = inputs.length;
  const elementSize = inputs[0]!.BYTES_PER_ELEMENT;
  const schedules: RingSchedule[] = [];
  for (let r = 0; r < N; r++) schedules.push(ringSchedule(r, N, count, { ...schedOpts, elementSize }));
  const bufs = inputs.map(cloneArray);
  const algorithm = schedules[0]!.algorithm;
  if (algorithm === 'local') return bufs;
  if (algorithm === 'recursive-doubling') return recursiveDoubling(bufs, op, minMax);

  const total = schedules[0]!.steps.length;
  for (let i = 0; i < total; i++) {
    // Snapshot every message first (all sends of a step happen before any local update).
    const msgs: (T | null)[] = new Array<T | null>(N).fill(null);
    for (let r = 0; r < N; r++) {
      const st = schedules[r]!.steps[i]!;
      msgs[r] = st.sendCount > 0 ? cloneArray(subarray(bufs[r]!, st.sendOffset, st.sendCount)) : null;
    }
    for (let r = 0; r < N; r++) {
      const st = schedules[r]!.steps[i]!;
      const src = schedules[st.recvFrom]!.steps[i]!;
      if (src.sendTo !== r || src.sendCount !== st.recvCount || src.sendOffset !== st.recvOffset) {
        throw new Error(`internal: inconsistent schedule at step ${i} between ranks ${st.recvFrom} and ${r}`);
      }
      if (st.recvCount === 0) continue;
      const target = subarray(bufs[r]!, st.recvOffset, st.recvCount);
      const msg = msgs[st.recvFrom]!;
      if (st.reduces) reduceInto(op, target, msg, { minMax }); // rbuf[blk] = inbuf (op) rbuf[blk]
      else target.set(msg);
    }
  }
  return bufs;
}

/**
 * The naive reduction `((x_0 op x_1) op x_2) ...` in rank order, for comparison (it is
 * NOT what any ring computes for floats when N > 2). Same validation as ringAllReduce.
 */
export function sequentialReduce<T extends ReducibleArray>(
  inputs: readonly T[],
  op: ReduceOp,
  minMax: MinMaxPolicy = 'ieee754',
): T {
  checkInputs(inputs);
  assertReduceOp(op);
  // acc = acc op x_r, with acc (earlier ranks) as MPI's source operand.
  let acc = cloneArray(inputs[0]!);
  for (let r = 1; r < inputs.length; r++) {
    const next = cloneArray(inputs[r]!);
    reduceInto(op, next, acc, { minMax });
    acc = next;
  }
  return acc;
}
