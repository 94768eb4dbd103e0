// Schedules checked against the step descriptions in each source (quoted), plus invariants.
import { describe, expect, test } from 'vitest';
import * as fc from 'fast-check';
import { InvalidArgumentError } from '../../../src/runtime/errors.js';
import { type Scheme, SCHEMES, ompiSegmentedPhases, ringSchedule } from '../../../src/allreduce/index.js';

const blocks = (rank: number, ranks: number, count: number, scheme: Scheme, extra = {}) =>
  ringSchedule(rank, ranks, count, { scheme, ...extra }).steps.map((s) => [s.sendBlock, s.recvBlock]);

describe('ring schedules from the sources', () => {
  test('Open MPI N=5 rank 0: "Step k: rank r sends block (r-k) and receives (r-k-1)"; allgather sends r+1-k', () => {
    // coll_base_allreduce.c ring: send block r, then prevblock = (r + n - k + 1) % n for k=2..n-1,
    // last reduce on block r+1; distribution: send_data_from = (r+1-k), recv_data_from = (r-k).
    expect(blocks(0, 5, 100, 'ompi')).toEqual([
      [0, 4], [4, 3], [3, 2], [2, 1],
      [1, 0], [0, 4], [4, 3], [3, 2],
    ]);
    const s = ringSchedule(0, 5, 100, { scheme: 'ompi' });
    expect(s.steps.every((x) => x.sendTo === 1 && x.recvFrom === 4)).toBe(true);
    expect(s.steps.map((x) => x.reduces)).toEqual([true, true, true, true, false, false, false, false]);
    expect(s.steps.map((x) => x.phase)).toEqual([...Array(4).fill('reduce-scatter'), ...Array(4).fill('all-gather')]);
    // C=100, N=5: 20 each; block 4 = [80, 100)
    expect([s.steps[0]!.recvOffset, s.steps[0]!.recvCount]).toEqual([80, 20]);
  });
  test('MPICH N=4 rank 1: send_rank = (r-1-i), recv_rank = (r-2-i); then ring allgatherv', () => {
    expect(blocks(1, 4, 10, 'mpich')).toEqual([[0, 3], [3, 2], [2, 1], [1, 0], [0, 3], [3, 2]]);
    const s = ringSchedule(1, 4, 10, { scheme: 'mpich' });
    // cnts 3,3,3,1: block 3 = [9,10)
    expect([s.steps[0]!.recvOffset, s.steps[0]!.recvCount]).toEqual([9, 1]);
  });
  test('Gloo N=4 rank 1: sends to rank-1, RS sends chunk r+1+i, AG sends chunk r+i', () => {
    const s = ringSchedule(1, 4, 1000, { scheme: 'gloo' });
    expect([s.direction, s.steps[0]!.sendTo, s.steps[0]!.recvFrom]).toEqual([-1, 0, 2]);
    expect(blocks(1, 4, 1000, 'gloo')).toEqual([[2, 3], [3, 0], [0, 1], [1, 2], [2, 3], [3, 0]]);
  });
  test('NCCL ring order (ringIx != rank): step 0 sends chunk ringIx-1 to ring->next', () => {
    // ring order 2 -> 0 -> 3 -> 1 -> 2; rank 3 has ringIx 2, next = 1, prev = 0
    const s = ringSchedule(3, 4, 64, { scheme: 'nccl', ringOrder: [2, 0, 3, 1] });
    expect([s.position, s.steps[0]!.sendTo, s.steps[0]!.recvFrom]).toEqual([2, 1, 0]);
    // j = 2..N-1 recvReduceSend chunk ringIx-j; recvReduceCopySend chunk ringIx; recvCopySend ringIx-j; recv ringIx+1
    expect(s.steps.map((x) => x.sendBlock)).toEqual([1, 0, 3, 2, 1, 0]);
    expect(s.steps.map((x) => x.recvBlock)).toEqual([0, 3, 2, 1, 0, 3]);
  });
  test('NCCL multi-loop: 2(N-1) steps per loop', () => {
    const s = ringSchedule(0, 4, 100, { scheme: 'nccl', chunkCount: 8 });
    expect(s.steps.length).toBe(4 * 6);
    expect(s.steps.map((x) => x.loop)).toEqual([0, 1, 2, 3].flatMap((l) => Array(6).fill(l)));
  });
  test('NCCL Simple slices: sliceSize = max(divUp(nelem, 16*SlicePerChunk)*16, stepSize*StepPerSlice/32)', () => {
    // nelem 336 floats, stepBytes 512 KiB: max(11*16, 131072*2/32 = 8192) = 8192 -> one slice
    const s = ringSchedule(0, 3, 1000, { scheme: 'nccl', slices: true });
    expect(s.steps[0]!.sendBlock).toBe(2);
    expect(s.steps[0]!.slices).toEqual([{ offset: 672, count: 328 }]);
    // stepBytes 64 -> stepSize 16 floats -> 16*2/32 = 1; divUp(336,32)*16 = 176 -> 176 + 160
    const t = ringSchedule(1, 3, 1000, { scheme: 'nccl', slices: { stepBytes: 64 } });
    expect(t.steps[0]!.slices).toEqual([{ offset: 0, count: 176 }, { offset: 176, count: 160 }]);
  });
});

describe('Open MPI special cases', () => {
  test('count < N: recursive doubling (N=6: extra 2 ranks fold into their odd neighbours)', () => {
    // adjsize = 4, extra_ranks = 2: even ranks < 4 send to rank+1 and get the result back;
    // rank 5 (newrank 3) exchanges with newremote 2 -> rank 4, then newremote 1 -> rank 3.
    const r0 = ringSchedule(0, 6, 3, { scheme: 'ompi' });
    expect(r0.algorithm).toBe('recursive-doubling');
    expect(r0.steps.map((s) => [s.phase, s.sendTo, s.recvFrom])).toEqual([['rd-pre', 1, -1], ['rd-post', -1, 1]]);
    const r5 = ringSchedule(5, 6, 3, { scheme: 'ompi' });
    expect(r5.steps.map((s) => [s.phase, s.sendTo])).toEqual([['rd-exchange', 4], ['rd-exchange', 3]]);
    const r1 = ringSchedule(1, 6, 3, { scheme: 'ompi' });
    expect(r1.steps.map((s) => [s.phase, s.sendTo, s.recvFrom])).toEqual([
      ['rd-pre', -1, 0], ['rd-exchange', 3, 3], ['rd-exchange', 4, 4], ['rd-post', 0, -1],
    ]);
  });
  test('segmented ring (algorithm 5): segcount 10 floats for segsize 40, N=3, C=100 -> 3 phases', () => {
    // num_phases = 100 / 30 = 3; 100 % 30 = 10 >= 3 but not > 15 -> stays 3
    expect(ompiSegmentedPhases(100, 3, 4, 40)).toBe(3);
    // C=100 < N*segcount=300 for segsize 400 -> plain ring (0 phases)
    expect(ompiSegmentedPhases(100, 3, 4, 400)).toBe(0);
    // 116 % 30 = 26 >= 3 and > 15 -> 4 phases
    expect(ompiSegmentedPhases(116, 3, 4, 40)).toBe(4);
    const s = ringSchedule(0, 3, 100, { scheme: 'ompi', segmentBytes: 40 });
    expect(s.steps.length).toBe(3 * 2 + 2);
    // block 0 = 34 elements (early), split into 3 phases: 12, 11, 11
    const sends0 = s.steps.filter((x) => x.phase === 'reduce-scatter' && x.sendBlock === 0);
    expect(sends0.map((x) => [x.sendOffset, x.sendCount])).toEqual([[0, 12], [12, 11], [23, 11]]);
  });
  test('N=1 is local', () => {
    expect(ringSchedule(0, 1, 10).algorithm).toBe('local');
  });
});

describe('schedule invariants (property)', () => {
  test('sends match the peer receive; every block reduced N-1 times per loop; owner gets all', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Scheme>(...SCHEMES),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.constantFrom<1 | -1>(1, -1),
        fc.boolean(),
        (scheme, N, count, direction, shuffle) => {
          if (scheme === 'ompi' && count < N) return;
          const ringOrder = Array.from({ length: N }, (_, i) => i);
          if (shuffle) ringOrder.reverse();
          const sch = Array.from({ length: N }, (_, r) =>
            ringSchedule(r, N, count, { scheme, direction, ringOrder, chunkCount: 37, maxSegmentBytes: 64 }),
          );
          const steps = sch[0]!.steps.length;
          expect(steps % (2 * (N - 1))).toBe(0);
          const reducedBlocks = new Map<string, number>();
          for (let i = 0; i < steps; i++) {
            for (let r = 0; r < N; r++) {
              const st = sch[r]!.steps[i]!;
              const peer = sch[st.sendTo]!.steps[i]!;
              expect(peer.recvFrom).toBe(r);
              expect([peer.recvOffset, peer.recvCount, peer.recvBlock]).toEqual([st.sendOffset, st.sendCount, st.sendBlock]);
              if (st.reduces) {
                const k = `${st.loop}:${st.recvBlock}`;
                reducedBlocks.set(k, (reducedBlocks.get(k) ?? 0) + 1);
              }
            }
          }
          for (const n of reducedBlocks.values()) expect(n).toBe(N - 1);
        },
      ),
      { numRuns: 300 },
    );
  });
  test('1024 ranks plan fine (smoke)', () => {
    const s = ringSchedule(517, 1024, 2 ** 40, { scheme: 'ompi' });
    expect(s.steps.length).toBe(2046);
    expect(s.steps.reduce((a, x) => a + x.sendCount, 0)).toBe(2 * 2 ** 40 - 2 * Math.floor(2 ** 40 / 1024));
  });
});

describe('schedule bad input', () => {
  test('typed errors naming the argument', () => {
    const field = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        return (e as InvalidArgumentError).field;
      }
      return undefined;
    };
    expect(field(() => ringSchedule(4, 4, 10))).toBe('rank');
    expect(field(() => ringSchedule(0, 0, 10))).toBe('ranks');
    expect(field(() => ringSchedule(0, 4, -3))).toBe('count');
    expect(field(() => ringSchedule(0, 4, 10, { direction: 2 as 1 }))).toBe('direction');
    expect(field(() => ringSchedule(0, 3, 10, { ringOrder: [0, 0, 1] }))).toBe('ringOrder');
    expect(field(() => ringSchedule(0, 3, 10, { scheme: 'x' as Scheme }))).toBe('scheme');
  });
});
