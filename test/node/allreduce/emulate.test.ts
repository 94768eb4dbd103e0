// Ring emulation: association order, agreement across ranks, integer exactness, errors.
import { describe, expect, test } from 'vitest';
import * as fc from 'fast-check';
import { InvalidArgumentError } from '../../../src/runtime/errors.js';
import { type Scheme, SCHEMES, partition, ringAllReduce, sequentialReduce } from '../../../src/allreduce/index.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
/** Deterministic mixed-magnitude float32 inputs (independent of the code under test). */
function inputs(N: number, C: number, seed: number): Float32Array[] {
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
  return Array.from({ length: N }, () =>
    Float32Array.from({ length: C }, () => (rnd() < 0.5 ? -1 : 1) * (1 + rnd()) * 2 ** Math.floor(rnd() * 40 - 20)),
  );
}

describe("ringAllReduce 'ompi' association order", () => {
  test('block b: acc = x_b; acc = fround(x_{b+k} + acc) for k = 1..N-1 (coll_base ring), all ranks equal', () => {
    for (const [N, C] of [[3, 1000], [4, 10], [5, 4099], [8, 4099], [7, 7]] as const) {
      const xs = inputs(N, C, N * 7919 + C);
      const res = ringAllReduce(xs, { op: 'sum', scheme: 'ompi' });
      // early/late blocks written out: late = floor(C/N), split = C % N
      const late = Math.floor(C / N);
      const split = C % N;
      const expected = new Float32Array(C);
      for (let b = 0; b < N; b++) {
        const len = b < split ? late + 1 : late;
        const off = b < split ? b * (late + 1) : b * late + split;
        for (let i = off; i < off + len; i++) {
          let acc = xs[b]![i]!;
          for (let k = 1; k < N; k++) acc = Math.fround(xs[(b + k) % N]![i]! + acc);
          expected[i] = acc;
        }
      }
      for (let r = 0; r < N; r++) expect(bits(res[r]!)).toEqual(bits(expected));
    }
  });
  test('differs from the naive rank-order sum somewhere (so the bit-exact test can fail)', () => {
    const xs = inputs(8, 4099, 1);
    const res = ringAllReduce(xs, { op: 'sum', scheme: 'ompi' });
    const naive = bits(sequentialReduce(xs, 'sum'));
    expect(bits(res[0]!).filter((b, i) => b !== naive[i]).length).toBeGreaterThan(0);
  });
  test('segmented ring (algorithm 5) is bit-identical to the plain ring', () => {
    const xs = inputs(5, 3001, 3);
    const a = ringAllReduce(xs, { op: 'sum', scheme: 'ompi' });
    const b = ringAllReduce(xs, { op: 'sum', scheme: 'ompi', segmentBytes: 64 });
    expect(b.map(bits)).toEqual(a.map(bits));
  });
  test('count < N uses recursive doubling: ((x0+x1)+(x2+x3)) + (x4+x5) for N=6', () => {
    const xs = inputs(6, 3, 11);
    const res = ringAllReduce(xs, { op: 'sum', scheme: 'ompi' });
    const f = Math.fround;
    const e = Float32Array.from({ length: 3 }, (_, i) => {
      const x = xs.map((v) => v[i]!);
      return f(f(f(x[1]! + x[0]!) + f(x[2]! + x[3]!)) + f(x[4]! + x[5]!));
    });
    for (const r of res) expect(bits(r)).toEqual(bits(e));
  });
  test('N = 1 copies', () => {
    const x = new Float32Array([1, 2]);
    const [r] = ringAllReduce([x], { op: 'sum', scheme: 'ompi' });
    expect(r).toEqual(x);
    expect(r).not.toBe(x);
  });
});

describe('ringAllReduce properties', () => {
  test('integer ops: every rank ends with the exact (wrapping) reduction, any scheme/order/direction', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Scheme>(...SCHEMES),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom('sum', 'prod', 'min', 'max' as const),
        fc.constantFrom<1 | -1>(1, -1),
        fc.integer(),
        (scheme, N, C, op, direction, seed) => {
          let s = seed >>> 0;
          const xs = Array.from({ length: N }, () =>
            Int32Array.from({ length: C }, () => (s = (Math.imul(s, 747796405) + 2891336453) | 0)),
          );
          const ringOrder = Array.from({ length: N }, (_, i) => (i * 5 + 2) % N);
          const ok = N === 1 || new Set(ringOrder).size === N;
          const res = ringAllReduce(xs, { op, scheme, direction, chunkCount: 5, maxSegmentBytes: 16, ...(ok ? { ringOrder } : {}) });
          const exp = Int32Array.from({ length: C }, (_, i) => {
            let acc = xs[0]![i]!;
            for (let r = 1; r < N; r++) {
              const v = xs[r]![i]!;
              acc = op === 'sum' ? (acc + v) | 0 : op === 'prod' ? Math.imul(acc, v) : op === 'min' ? Math.min(acc, v) : Math.max(acc, v);
            }
            return acc;
          });
          for (const r of res) expect(Array.from(r)).toEqual(Array.from(exp));
        },
      ),
      { numRuns: 300 },
    );
  });
  test('float32: all ranks agree bitwise for ompi, mpich, nccl, gloo (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom<Scheme>(...SCHEMES), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 500 }), fc.integer(), (scheme, N, C, seed) => {
        const res = ringAllReduce(inputs(N, C, seed), { op: 'sum', scheme, chunkCount: 12 });
        for (const r of res) expect(bits(r)).toEqual(bits(res[0]!));
      }),
      { numRuns: 150 },
    );
  });
  test("'mpich' association starts at rank c+1 for block c", () => {
    const xs = inputs(4, 10, 5);
    const [r0] = ringAllReduce(xs, { op: 'sum', scheme: 'mpich' });
    const cs = partition(10, 4, { scheme: 'mpich' });
    for (const c of cs) {
      for (let i = c.offset; i < c.offset + c.count; i++) {
        let acc = xs[(c.block + 1) % 4]![i]!;
        for (let k = 2; k <= 4; k++) acc = Math.fround(xs[(c.block + k) % 4]![i]! + acc);
        expect(Object.is(r0![i], acc)).toBe(true);
      }
    }
  });
  test('inputs are not modified', () => {
    const xs = inputs(3, 50, 9);
    const copy = xs.map((x) => x.slice());
    ringAllReduce(xs, { op: 'sum', scheme: 'gloo' });
    expect(xs).toEqual(copy);
  });
});

describe('ringAllReduce bad input', () => {
  test('typed errors naming the argument, inputs untouched', () => {
    const a = new Float32Array([1, 2]);
    const cases: [() => unknown, string][] = [
      [() => ringAllReduce([], { op: 'sum', scheme: 'ompi' }), 'inputs'],
      [() => ringAllReduce([a, new Float32Array(3)], { op: 'sum', scheme: 'ompi' }), 'inputs[1]'],
      [() => ringAllReduce([a, new Float64Array(2)] as never, { op: 'sum', scheme: 'ompi' }), 'inputs[1]'],
      [() => ringAllReduce([a, new Uint8Array(2)] as never, { op: 'sum', scheme: 'ompi' }), 'inputs[1]'],
      [() => ringAllReduce([a, a], { op: 'avg' as never, scheme: 'ompi' }), 'op'],
      [() => ringAllReduce([a, a], { op: 'sum', scheme: 'horovod' as never }), 'scheme'],
      [() => ringAllReduce([a, a], { op: 'max', scheme: 'ompi', minMax: 'x' as never }), 'minMax'],
      [() => ringAllReduce([a, a], { op: 'sum', scheme: 'ompi', ringOrder: [0, 0] }), 'ringOrder'],
    ];
    for (const [f, field] of cases) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect((e as InvalidArgumentError).field).toBe(field);
      }
      expect(Array.from(a)).toEqual([1, 2]);
    }
  });
});
