// Reference kernel semantics: single rounding, wrap-around, min/max policies, no partial writes.
import { describe, expect, test } from 'vitest';
import * as fc from 'fast-check';
import { InvalidArgumentError } from '../../../src/runtime/errors.js';
import { type ReduceOp, reduceInto } from '../../../src/allreduce/index.js';

const bits32 = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('reduceInto arithmetic', () => {
  test('float32 sum rounds once: 0.1f + 0.2f = 0x3e99999a (not the float64 sum 0.30000000000000004)', () => {
    const a = new Float32Array([0.1]);
    reduceInto('sum', a, new Float32Array([0.2]));
    expect(bits32(a)).toEqual([0x3e99999a]);
  });
  test('float32 sum/prod equal Math.fround of the exact double result (property)', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true }), fc.float({ noNaN: true }), (x, y) => {
        const s = new Float32Array([y]);
        reduceInto('sum', s, new Float32Array([x]));
        expect(Object.is(s[0], Math.fround(x + y))).toBe(true);
        const p = new Float32Array([y]);
        reduceInto('prod', p, new Float32Array([x]));
        expect(Object.is(p[0], Math.fround(x * y))).toBe(true);
      }),
    );
  });
  test('int32 / uint32 wrap (two\'s complement)', () => {
    const i = new Int32Array([0x7fffffff, -2, 65536]);
    reduceInto('sum', i, new Int32Array([1, -2147483647, 0]));
    expect(Array.from(i)).toEqual([-2147483648, 2147483647, 65536]);
    const j = new Int32Array([65536]);
    reduceInto('prod', j, new Int32Array([65536]));
    expect(Array.from(j)).toEqual([0]);
    const u = new Uint32Array([0xffffffff, 3]);
    reduceInto('sum', u, new Uint32Array([2, 0xffffffff]));
    expect(Array.from(u)).toEqual([1, 2]);
    const v = new Uint32Array([0x80000001]);
    reduceInto('prod', v, new Uint32Array([3]));
    expect(Array.from(v)).toEqual([0x80000003]);
  });
  test('float64 and integer min/max', () => {
    const d = new Float64Array([1, 5, -3]);
    reduceInto('max', d, new Float64Array([2, 4, -3.5]));
    expect(Array.from(d)).toEqual([2, 5, -3]);
    const u = new Uint32Array([0xffffffff, 0]);
    reduceInto('min', u, new Uint32Array([1, 7]));
    expect(Array.from(u)).toEqual([1, 0]);
  });
});

describe('min/max NaN and signed-zero policies (inout, input order matters for "ompi")', () => {
  const run = (op: ReduceOp, inout: number, input: number, minMax?: 'ieee754' | 'ompi' | 'ignore-nan') => {
    const a = new Float32Array([inout]);
    reduceInto(op, a, new Float32Array([input]), minMax ? { minMax } : {});
    return a[0]!;
  };
  test('ieee754 (default): NaN propagates, -0 < +0, commutative', () => {
    expect(run('max', NaN, 1)).toBeNaN();
    expect(run('max', 1, NaN)).toBeNaN();
    expect(Object.is(run('max', -0, 0), 0)).toBe(true);
    expect(Object.is(run('min', 0, -0), -0)).toBe(true);
  });
  test('ompi: inout > input ? inout : input (NaN or tie -> input)', () => {
    expect(run('max', NaN, 1, 'ompi')).toBe(1);
    expect(run('max', 1, NaN, 'ompi')).toBeNaN();
    expect(Object.is(run('max', 0, -0, 'ompi'), -0)).toBe(true);
    expect(Object.is(run('min', -0, 0, 'ompi'), 0)).toBe(true);
  });
  test('ignore-nan: fmaxf/fminf', () => {
    expect(run('max', NaN, 1, 'ignore-nan')).toBe(1);
    expect(run('min', 1, NaN, 'ignore-nan')).toBe(1);
    expect(run('max', NaN, NaN, 'ignore-nan')).toBeNaN();
  });
});

describe('reduceInto bad input never modifies inout', () => {
  test('typed errors naming the argument', () => {
    const a = new Float32Array([1, 2, 3]);
    const cases: [() => void, string][] = [
      [() => reduceInto('avg' as ReduceOp, a, new Float32Array(3)), 'op'],
      [() => reduceInto('sum', a, new Float32Array(2)), 'input'],
      [() => reduceInto('sum', a, new Float64Array(3) as never), 'input'],
      [() => reduceInto('sum', new Int8Array(3) as never, new Int8Array(3) as never), 'inout'],
      [() => reduceInto('sum', a, [1, 2, 3] as never), 'input'],
      [() => reduceInto('max', a, new Float32Array(3), { minMax: 'fancy' as never }), 'minMax'],
    ];
    for (const [f, field] of cases) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect((e as InvalidArgumentError).field).toBe(field);
      }
      expect(Array.from(a)).toEqual([1, 2, 3]);
    }
  });
});
