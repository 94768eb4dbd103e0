// ringAllReduce with the Wasm kernels beyond float32 sum: avg (divide once by N at the end
// of each block), 16-bit floats through { dtype }, int64, and avg's dtype rule.
import { describe, expect, test } from 'vitest';
import { reduceIntoReference, ringAllReduce } from '../../../src/allreduce/index.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('ringAllReduce avg and other dtypes', () => {
  test("'ompi' avg = fround(ring sum / N) on every rank, ring association as in the sum test", () => {
    const N = 5;
    const C = 1003;
    const xs = Array.from({ length: N }, (_, r) => Float32Array.from({ length: C }, (_, i) => Math.fround(Math.sin(i * 7 + r * 13) * 2 ** ((i + r) % 17))));
    const res = ringAllReduce(xs, { op: 'avg', scheme: 'ompi' });
    const late = Math.floor(C / N);
    const split = C % N;
    const want = new Float32Array(C);
    for (let b = 0; b < N; b++) {
      const len = b < split ? late + 1 : late;
      const off = b < split ? b * (late + 1) : b * late + split;
      for (let i = off; i < off + len; i++) {
        let acc = xs[b]![i]!;
        for (let k = 1; k < N; k++) acc = Math.fround(xs[(b + k) % N]![i]! + acc);
        want[i] = Math.fround(acc / N);
      }
    }
    for (const r of res) expect(bits(r)).toEqual(bits(want));
  });
  test('float16 sum of small integers is exact and equal on every rank (any scheme)', () => {
    // 1, 2, -1 as binary16: 0x3c00, 0x4000, 0xbc00; 6 ranks.
    const vals = [0x3c00, 0x4000, 0xbc00];
    const xs = Array.from({ length: 6 }, (_, r) => Uint16Array.from({ length: 77 }, (_, i) => vals[(i + r) % 3]!));
    const want = xs[0]!.slice();
    for (let r = 1; r < 6; r++) reduceIntoReference('sum', want, xs[r]!, { dtype: 'float16' });
    for (const scheme of ['ompi', 'mpich', 'nccl', 'gloo'] as const) {
      for (const r of ringAllReduce(xs, { op: 'sum', scheme, dtype: 'float16' })) expect(Array.from(r)).toEqual(Array.from(want));
    }
    expect(want[0]).toBe(0x4400); // 1+2-1+1+2-1 = 4 (binary16 exponent 17)
  });
  test('int64 sum wraps like BigInt.asIntN(64, .)', () => {
    const xs = [BigInt64Array.of(2n ** 62n, 5n), BigInt64Array.of(2n ** 62n, -7n), BigInt64Array.of(1n, 1n)];
    const [r0] = ringAllReduce(xs, { op: 'sum', scheme: 'ompi' });
    expect(Array.from(r0!)).toEqual([-(2n ** 63n) + 1n, -1n]);
  });
  test('avg on integers and Uint16Array without dtype are typed errors before any work', () => {
    const a = new Int32Array([1, 2, 3]);
    expect(() => ringAllReduce([a, a], { op: 'avg', scheme: 'ompi' })).toThrow(expect.objectContaining({ field: 'inout' }));
    expect(() => ringAllReduce([new Uint16Array(2), new Uint16Array(2)], { op: 'sum', scheme: 'ompi' })).toThrow(expect.objectContaining({ field: 'inputs[0]' }));
    expect(Array.from(a)).toEqual([1, 2, 3]);
  });
});
