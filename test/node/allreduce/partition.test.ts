// Partition tables worked out by hand from each system's source (quoted per case); the
// expected numbers are literals, never produced by our own code.
import { describe, expect, test } from 'vitest';
import * as fc from 'fast-check';
import { InvalidArgumentError } from '../../../src/runtime/errors.js';
import { type Chunk, type Scheme, SCHEMES, glooGeometry, partition } from '../../../src/allreduce/index.js';

const table = (cs: Chunk[]): [number, number][] => cs.map((c) => [c.offset, c.count]);

describe("partition 'ompi' (COLL_BASE_COMPUTE_BLOCKCOUNT)", () => {
  // early = late = COUNT / NUM_BLOCKS; split = COUNT % NUM_BLOCKS; if (split) early++;
  // block_offset = b < split ? b*early : b*late + split; block_count = b < split ? early : late
  test('C=10, N=4: late 2, split 2, early 3', () => {
    expect(table(partition(10, 4, { scheme: 'ompi' }))).toEqual([[0, 3], [3, 3], [6, 2], [8, 2]]);
  });
  test('C=4099, N=8: late 512, split 3, early 513', () => {
    expect(table(partition(4099, 8, { scheme: 'ompi' }))).toEqual([
      [0, 513], [513, 513], [1026, 513], [1539, 512], [2051, 512], [2563, 512], [3075, 512], [3587, 512],
    ]);
  });
  test('C=3, N=5: empty trailing blocks (the ring itself would fall back to recursive doubling)', () => {
    expect(table(partition(3, 5, { scheme: 'ompi' }))).toEqual([[0, 1], [1, 1], [2, 1], [3, 0], [3, 0]]);
  });
  test('C=2^33+5 > 2^31, N=7: late 1227133513, split 6', () => {
    const cs = partition(2 ** 33 + 5, 7, { scheme: 'ompi' });
    expect(cs.map((c) => c.offset)).toEqual([
      0, 1227133514, 2454267028, 3681400542, 4908534056, 6135667570, 7362801084,
    ]);
    expect(cs.map((c) => c.count)).toEqual([...Array(6).fill(1227133514), 1227133513]);
  });
  test('N=1: one block', () => {
    expect(table(partition(5, 1, { scheme: 'ompi' }))).toEqual([[0, 5]]);
  });
});

describe("partition 'mpich' (MPIR_Allreduce_intra_ring)", () => {
  // cnts[i] = (count + nranks - 1) / nranks; if (total_count + cnts[i] > count)
  //   { cnts[i] = count - total_count; break; } else total_count += cnts[i];
  test('C=5, N=4: 2,2,1,0', () => {
    expect(table(partition(5, 4, { scheme: 'mpich' }))).toEqual([[0, 2], [2, 2], [4, 1], [5, 0]]);
  });
  test('C=10, N=4: 3,3,3,1', () => {
    expect(table(partition(10, 4, { scheme: 'mpich' }))).toEqual([[0, 3], [3, 3], [6, 3], [9, 1]]);
  });
  test('C=9, N=4: 3,3,3 then 0 (9+3 > 9 -> 9-9 = 0)', () => {
    expect(table(partition(9, 4, { scheme: 'mpich' }))).toEqual([[0, 3], [3, 3], [6, 3], [9, 0]]);
  });
  test('C=13, N=5: 3,3,3,3,1', () => {
    expect(table(partition(13, 5, { scheme: 'mpich' }))).toEqual([[0, 3], [3, 3], [6, 3], [9, 3], [12, 1]]);
  });
  test('C=1, N=3: 1,0,0 (later blocks stay 0 after the break)', () => {
    expect(table(partition(1, 3, { scheme: 'mpich' }))).toEqual([[0, 1], [1, 0], [1, 0]]);
  });
});

describe("partition 'nccl' (runRing loop, one channel)", () => {
  // loopCount = nranks*chunkCount; for (elemOffset = 0; elemOffset < channelCount; elemOffset += loopCount)
  //   remCount = channelCount - elemOffset;
  //   if (remCount < loopCount) chunkCount = alignUp(divUp(remCount, nranks), 16/sizeof(T));
  //   offset = elemOffset + chunk*chunkCount; nelem = min(chunkCount, remCount - chunk*chunkCount)
  test('C=100, N=4, float, chunkCount=8: three full loops of 8s, then a 4-element tail loop', () => {
    const cs = partition(100, 4, { scheme: 'nccl', chunkCount: 8, elementSize: 4 });
    expect(cs.map((c) => [c.loop, c.block, c.offset, c.count])).toEqual([
      [0, 0, 0, 8], [0, 1, 8, 8], [0, 2, 16, 8], [0, 3, 24, 8],
      [1, 0, 32, 8], [1, 1, 40, 8], [1, 2, 48, 8], [1, 3, 56, 8],
      [2, 0, 64, 8], [2, 1, 72, 8], [2, 2, 80, 8], [2, 3, 88, 8],
      // rem = 4: alignUp(divUp(4,4)=1, 4) = 4 -> chunk 0 gets 4, chunks 1..3 get min(4, 4-4k) <= 0
      [3, 0, 96, 4], [3, 1, 100, 0], [3, 2, 100, 0], [3, 3, 100, 0],
    ]);
  });
  test('C=1000, N=3, float, default chunkCount (2 MiB): one loop, alignUp(334, 4) = 336', () => {
    expect(table(partition(1000, 3, { scheme: 'nccl' }))).toEqual([[0, 336], [336, 336], [672, 328]]);
  });
  test('C=7, N=4, double: 16/sizeof(double) = 2 -> alignUp(2, 2) = 2 -> 2,2,2,1', () => {
    expect(table(partition(7, 4, { scheme: 'nccl', elementSize: 8 }))).toEqual([[0, 2], [2, 2], [4, 2], [6, 1]]);
  });
  test('C=5, N=4, float: alignUp(divUp(5,4)=2, 4) = 4 -> 4,1,0,0', () => {
    expect(table(partition(5, 4, { scheme: 'nccl' }))).toEqual([[0, 4], [4, 1], [5, 0], [5, 0]]);
  });
});

describe("partition 'gloo' (gloo::allreduce ring)", () => {
  // maxSegmentBytes = e*max(1, maxSegmentSize/e); numSegments = roundUp(max(ceil(S/maxSegmentBytes), 2N), N);
  // numSegmentsPerRank = numSegments/N; segmentBytes = roundUp(ceil(S/numSegments), e)
  test('C=1000 floats, N=3, 1 MiB segments: 6 segments of 668 B, chunks 334, 334, 332', () => {
    expect(glooGeometry(1000, 3, 4)).toEqual({ maxSegmentBytes: 1048576, numSegments: 6, segmentsPerRank: 2, segmentBytes: 668 });
    expect(table(partition(1000, 3, { scheme: 'gloo' }))).toEqual([[0, 334], [334, 334], [668, 332]]);
  });
  test('C=100 floats, N=2, maxSegmentSize 64: ceil(400/64)=7 -> roundUp(7,2)=8 segments of 52 B', () => {
    expect(glooGeometry(100, 2, 4, 64)).toEqual({ maxSegmentBytes: 64, numSegments: 8, segmentsPerRank: 4, segmentBytes: 52 });
    expect(table(partition(100, 2, { scheme: 'gloo', maxSegmentBytes: 64 }))).toEqual([[0, 52], [52, 48]]);
  });
  test('C=3 floats, N=4: 8 segments of 4 B, chunk 3 empty', () => {
    // S=12: numSegments = roundUp(max(1, 8), 4) = 8, spr=2, segmentBytes = roundUp(ceil(12/8)=2, 4) = 4
    expect(table(partition(3, 4, { scheme: 'gloo' }))).toEqual([[0, 2], [2, 1], [3, 0], [3, 0]]);
  });
});

describe('partition invariants (property)', () => {
  test('chunks tile [0, count) in order for every scheme; N chunks per loop', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Scheme>(...SCHEMES),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(1, 2, 4, 8),
        fc.integer({ min: 1, max: 64 }),
        (scheme, count, ranks, elementSize, chunkCount) => {
          const cs = partition(count, ranks, { scheme, elementSize, chunkCount, maxSegmentBytes: 64 });
          expect(cs.length % ranks).toBe(0);
          let next = 0;
          cs.forEach((c, i) => {
            expect(c.block).toBe(i % ranks);
            expect(c.count).toBeGreaterThanOrEqual(0);
            if (c.count > 0) expect(c.offset).toBe(next);
            next += c.count;
            expect(c.offset).toBeLessThanOrEqual(count);
          });
          expect(next).toBe(count);
        },
      ),
      { numRuns: 400 },
    );
  });
  test("'ompi' block sizes differ by at most one, larger ones first", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 1024 }), (count, ranks) => {
        const cs = partition(count, ranks, { scheme: 'ompi' });
        for (let i = 1; i < cs.length; i++) {
          expect(cs[i - 1]!.count - cs[i]!.count).toBeGreaterThanOrEqual(0);
          expect(cs[0]!.count - cs[i]!.count).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});

describe('partition bad input', () => {
  const bad = (f: () => unknown, field: string): void => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).field).toBe(field);
  };
  test('typed errors naming the argument', () => {
    bad(() => partition(-1, 4, { scheme: 'ompi' }), 'count');
    bad(() => partition(1.5, 4, { scheme: 'ompi' }), 'count');
    bad(() => partition(2 ** 53, 4, { scheme: 'ompi' }), 'count');
    bad(() => partition(10, 0, { scheme: 'ompi' }), 'ranks');
    bad(() => partition(10, 2.5, { scheme: 'ompi' }), 'ranks');
    bad(() => partition(10, 4, { scheme: 'openmpi' as Scheme }), 'scheme');
    bad(() => partition(10, 4, { scheme: 'nccl', chunkCount: 0 }), 'chunkCount');
    bad(() => partition(10, 4, { scheme: 'gloo', elementSize: 0 }), 'elementSize');
    bad(() => partition(2 ** 52, 4, { scheme: 'gloo', elementSize: 4 }), 'count');
  });
});
