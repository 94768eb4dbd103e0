// DDP bucketing worked out by hand from reducer.cpp compute_bucket_assignment_by_size.
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../../../src/runtime/errors.js';
import { assignBuckets } from '../../../src/allreduce/index.js';

const MiB = 1024 * 1024;
const f32 = (bytes: number) => ({ numel: bytes / 4, dtype: 'float32' });
// registration order: 0.5 MiB, 0.75 MiB, 10 MiB, 20 MiB, 1 KiB
const model = [f32(MiB / 2), f32((3 * MiB) / 4), f32(10 * MiB), f32(20 * MiB), f32(1024)];

describe('assignBuckets', () => {
  test('rebuilt (default): reverse order, first bucket closes at >= 1 MiB, then 25 MiB cap', () => {
    // order 4 (1 KiB), 3 (20 MiB): 20 MiB + 1 KiB >= 1 MiB -> close; then 2, 1, 0 = 11.25 MiB < 25 MiB: leftover
    const b = assignBuckets(model);
    expect(b.map((x) => x.tensorIndices)).toEqual([[4, 3], [2, 1, 0]]);
    expect(b.map((x) => x.sizeLimit)).toEqual([MiB, 25 * MiB]);
    expect(b[0]!.bytes).toBe(20 * MiB + 1024);
    expect(b[0]!.offsets).toEqual([0, 256]);
  });
  test('cap reached exactly closes the bucket (size >= limit)', () => {
    const t = [f32(MiB), f32(MiB), f32(25 * MiB), f32(MiB)];
    // reverse: 3 (1 MiB >= 1 MiB: close), 2 (25 MiB >= 25: close), 1, 0 leftover
    expect(assignBuckets(t).map((x) => x.tensorIndices)).toEqual([[3], [2], [1, 0]]);
  });
  test('dtype-homogeneous buckets, each dtype with its own limit sequence', () => {
    const t = [f32(2 * MiB), { numel: MiB, dtype: 'float16' }, f32(512), { numel: 10, dtype: 'float16' }];
    // reverse: 3 (f16 20 B), 2 (f32 512 B), 1 (f16 2 MiB -> f16 bucket closes [3,1]), 0 (f32 -> [2,0] closes)
    const b = assignBuckets(t);
    expect(b.map((x) => [x.dtype, x.tensorIndices])).toEqual([['float16', [3, 1]], ['float32', [2, 0]]]);
  });
  test('custom ready order and bucket_cap_mb', () => {
    const b = assignBuckets(model, { readyOrder: [0, 1, 2, 3, 4], bucketCapMB: 5 });
    // 0 (0.5) + 1 (0.75) >= 1 -> close; 2 (10 >= 5) close; 3 (20) close; 4 leftover
    expect(b.map((x) => x.tensorIndices)).toEqual([[0, 1], [2], [3], [4]]);
  });
  test('construction, find_unused_parameters=False: one unlimited bucket per dtype', () => {
    expect(assignBuckets(model, { phase: 'construction' }).map((x) => x.tensorIndices)).toEqual([[0, 1, 2, 3, 4]]);
  });
  test('construction, find_unused_parameters=True: registration order, sorted by min index, reversed', () => {
    // 0+1 = 1.25 MiB >= 1 -> [0,1]; 2+3 = 30 >= 25 -> [2,3]; [4] leftover -> reversed
    const b = assignBuckets(model, { phase: 'construction', findUnusedParameters: true });
    expect(b.map((x) => x.tensorIndices)).toEqual([[4], [2, 3], [0, 1]]);
  });
  test('bad input', () => {
    expect(() => assignBuckets([{ numel: -1, dtype: 'float32' }])).toThrow(InvalidArgumentError);
    expect(() => assignBuckets([{ numel: 1, dtype: 'weird' }])).toThrow(/elementSize/);
    expect(() => assignBuckets(model, { bucketCapMB: 0 })).toThrow(InvalidArgumentError);
    expect(() => assignBuckets(model, { readyOrder: [0, 0, 1, 2, 3] })).toThrow(InvalidArgumentError);
    expect(assignBuckets([])).toEqual([]);
  });
});
