// Traffic, nccl-tests bus bandwidth and the alpha-beta-gamma model (expected values by hand).
import { describe, expect, test } from 'vitest';
import * as fc from 'fast-check';
import { InvalidArgumentError } from '../../../src/runtime/errors.js';
import {
  busBandwidth,
  busBandwidthFactor,
  bytesPerRank,
  estimateTime,
  recommendAlgorithm,
} from '../../../src/allreduce/index.js';

describe('bytesPerRank (exact)', () => {
  test('Open MPI N=3, C=1000 float: blocks 334/333/333 -> 5336 / 5332 / 5332 bytes sent', () => {
    // rank r sends every block but r+1 in the reduce-scatter and every block but r+2 in the all-gather
    expect([0, 1, 2].map((rank) => bytesPerRank(1000, 3, 4, { rank }).sent)).toEqual([5336, 5332, 5332]);
    expect(bytesPerRank(1000, 3, 4, { rank: 0 })).toEqual({
      sent: 5336, received: 5332, reduceScatterSent: 2668, allGatherSent: 2668, messages: 4,
    });
  });
  test('N | C gives exactly 2(N-1)/N * S', () => {
    expect(bytesPerRank(8_000_000, 8, 4).sent).toBe((2 * 7 * 8_000_000 * 4) / 8);
  });
  test('recursive doubling fallback (N=6, C=3 floats)', () => {
    expect(bytesPerRank(3, 6, 4, { rank: 0 }).sent).toBe(12); // pre-step send only
    expect(bytesPerRank(3, 6, 4, { rank: 1 }).sent).toBe(36); // 2 exchanges + post
    expect(bytesPerRank(3, 6, 4, { rank: 1 }).received).toBe(36); // pre + 2 exchanges
  });
  test('approaches 2(N-1)/N * S within one block per phase (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 64, max: 10_000_000 }), (N, C) => {
        const t = bytesPerRank(C, N, 4, { rank: N - 1 });
        const ideal = (2 * (N - 1) * C * 4) / N;
        expect(Math.abs(t.sent - ideal)).toBeLessThanOrEqual(2 * 4);
      }),
    );
  });
});

describe('busBandwidth = algbw * factor (nccl-tests PERFORMANCE.md)', () => {
  test('factors', () => {
    expect(busBandwidthFactor(8, 'allreduce')).toBe(1.75); // 2(n-1)/n
    expect(busBandwidthFactor(4, 'reducescatter')).toBe(0.75); // (n-1)/n
    expect(busBandwidthFactor(4, 'allgather')).toBe(0.75);
    expect(busBandwidthFactor(4, 'alltoall')).toBe(0.75);
    expect(busBandwidthFactor(4, 'broadcast')).toBe(1);
    expect(busBandwidthFactor(4, 'reduce')).toBe(1);
    expect(busBandwidthFactor(1, 'allreduce')).toBe(0);
  });
  test('values', () => {
    expect(busBandwidth(100, 8, 'allreduce')).toBe(175);
    expect(busBandwidth(40, 2, 'allreduce')).toBe(40);
  });
  test('bad input', () => {
    expect(() => busBandwidth(-1, 8, 'allreduce')).toThrow(InvalidArgumentError);
    expect(() => busBandwidth(1, 0, 'allreduce')).toThrow(InvalidArgumentError);
    expect(() => busBandwidth(1, 4, 'gather' as 'reduce')).toThrow(InvalidArgumentError);
  });
});

describe('estimateTime (Thakur, Rabenseifner & Gropp 2005)', () => {
  const base = { bytes: 1e6, alpha: 1e-6, beta: 1e-9, gamma: 0 };
  test('closed forms, p = 4', () => {
    expect(estimateTime({ ...base, ranks: 4, algorithm: 'ring' })).toBeCloseTo(6e-6 + 1.5e-3, 15);
    expect(estimateTime({ ...base, ranks: 4, algorithm: 'recursive-doubling' })).toBeCloseTo(2 * (1e-6 + 1e-3), 15);
    expect(estimateTime({ ...base, ranks: 4, algorithm: 'rabenseifner' })).toBeCloseTo(4e-6 + 1.5e-3, 15);
    expect(estimateTime({ ...base, ranks: 4, algorithm: 'tree' })).toBeCloseTo(4 * (1e-6 + 1e-3), 15);
  });
  test('gamma term: ring reduces (p-1)/p of the bytes', () => {
    expect(estimateTime({ bytes: 1000, ranks: 4, alpha: 0, beta: 0, gamma: 1, algorithm: 'ring' })).toBe(750);
  });
  test('one rank costs nothing', () => {
    expect(estimateTime({ ...base, ranks: 1, algorithm: 'ring' })).toBe(0);
  });
  test('recommendation: small messages -> recursive doubling, large at p=6 -> ring', () => {
    expect(recommendAlgorithm({ ...base, bytes: 8, ranks: 64 }).algorithm).toBe('recursive-doubling');
    expect(recommendAlgorithm({ ...base, bytes: 1e9, ranks: 6 }).algorithm).toBe('ring');
    expect(recommendAlgorithm({ ...base, bytes: 1e9, ranks: 8 }).algorithm).toBe('rabenseifner');
    expect(recommendAlgorithm({ ...base, bytes: 1e9, ranks: 8, candidates: ['ring', 'tree'] }).algorithm).toBe('ring');
  });
  test('bad input names the field', () => {
    for (const [p, f] of [
      [{ ...base, ranks: 0, algorithm: 'ring' }, 'ranks'],
      [{ ...base, ranks: 4, alpha: -1, algorithm: 'ring' }, 'alpha'],
      [{ ...base, ranks: 4, bytes: NaN, algorithm: 'ring' }, 'bytes'],
      [{ ...base, ranks: 4, algorithm: 'star' }, 'algorithm'],
    ] as const) {
      try {
        estimateTime(p as never);
        expect.unreachable();
      } catch (e) {
        expect((e as InvalidArgumentError).field).toBe(f);
      }
    }
  });
});
