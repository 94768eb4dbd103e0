// Wasm kernels (baseline and SIMD builds) against the plain-JS reference reduceIntoReference,
// on random data with NaN payloads, signed zeros, infinities and subnormals, for every
// op x dtype x min/max policy; the facade's memory paths; bad input leaves buffers untouched.
import { afterAll, describe, expect, test } from 'vitest';
import * as lib from '../../../src/index.js';
import {
  type DType,
  type MinMaxPolicy,
  type ReduceOp,
  type ReduceOptions,
  type ReducibleArray,
  reduce,
  reduceIntoReference,
} from '../../../src/allreduce/index.js';

afterAll(() => lib.initSync({}));

/** xorshift32: deterministic data independent of the code under test. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

const F32_SPECIALS = [
  0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00123, 0xffbfffff, 0x00000001,
  0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000, 0x3dcccccd, 0x4b800001,
];
const F64_SPECIALS: [number, number][] = [
  [0, 0], [0, 0x80000000], [0, 0x7ff00000], [0, 0xfff00000], [0, 0x7ff80000], [1, 0x7ff00000], [0x1234, 0xfff40000],
  [1, 0], [0xffffffff, 0x000fffff], [0, 0x00100000], [0xffffffff, 0x7fefffff], [0, 0x3ff00000], [0x9999999a, 0x3fb99999],
];
const HALF_SPECIALS = [0, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe55, 0x0001, 0x83ff, 0x0400, 0x7bff, 0x3c00, 0x7f80, 0xff80, 0x7fc0, 0x7f81, 0x0080, 0x7f7f];

/** Random elements of `dtype`, a third special values, a third random bit patterns, a third "nice" numbers. */
function data(dtype: DType, n: number, next: () => number): ReducibleArray {
  const pick = (k: number) => next() % k;
  switch (dtype) {
    case 'float32': {
      const u = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const c = pick(3);
        u[i] = c === 0 ? F32_SPECIALS[pick(F32_SPECIALS.length)]! : c === 1 ? next() : new Uint32Array(new Float32Array([(next() % 2001) / 8 - 125]).buffer)[0]!;
      }
      return new Float32Array(u.buffer);
    }
    case 'float64': {
      const u = new Uint32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const c = pick(3);
        const [lo, hi] = c === 0 ? F64_SPECIALS[pick(F64_SPECIALS.length)]! : c === 1 ? [next(), next()] : [0, 0x40000000 + (next() & 0xfffff)];
        u[2 * i] = lo;
        u[2 * i + 1] = hi;
      }
      return new Float64Array(u.buffer);
    }
    case 'float16':
    case 'bfloat16': {
      const u = new Uint16Array(n);
      for (let i = 0; i < n; i++) u[i] = pick(3) === 0 ? HALF_SPECIALS[pick(HALF_SPECIALS.length)]! : next() & 0xffff;
      return u;
    }
    case 'int32':
      return Int32Array.from({ length: n }, () => (pick(3) === 0 ? [0, -1, 1, 0x7fffffff, -0x80000000][pick(5)]! : next() | 0));
    case 'uint32':
      return Uint32Array.from({ length: n }, () => (pick(3) === 0 ? [0, 1, 0xffffffff, 0x80000000][pick(4)]! : next()));
    case 'int64':
      return BigInt64Array.from({ length: n }, () =>
        pick(3) === 0 ? [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n)][pick(4)]! : BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next())),
      );
  }
}

/** Comparable words: exact bits, except that any float32/float64 NaN compares equal to any NaN. */
function words(a: ReducibleArray, dtype: DType): (number | bigint | string)[] {
  if (dtype === 'float32' || dtype === 'float64') return Array.from(a as Float32Array, (x) => (x !== x ? 'NaN' : Object.is(x, -0) ? '-0' : x));
  return Array.from(a as Int32Array);
}

const FLOATS: DType[] = ['float32', 'float64', 'float16', 'bfloat16'];
const INTS: DType[] = ['int32', 'uint32', 'int64'];
const SIZES = [1, 3, 7, 8, 9, 16, 17, 31, 33, 100, 1029];

function combos(): [DType, ReduceOp, MinMaxPolicy][] {
  const out: [DType, ReduceOp, MinMaxPolicy][] = [];
  for (const dt of [...FLOATS, ...INTS]) {
    for (const op of ['sum', 'prod', 'avg', 'min', 'max'] as ReduceOp[]) {
      if (op === 'avg' && INTS.includes(dt)) continue;
      const pols: MinMaxPolicy[] = (op === 'min' || op === 'max') && FLOATS.includes(dt) ? ['ieee754', 'ompi', 'ignore-nan'] : ['ieee754'];
      for (const p of pols) out.push([dt, op, p]);
    }
  }
  return out;
}

/** Copies `a` into a fresh alloc() view of the same type (so reduce() runs Wasm in place). */
function resident<T extends ReducibleArray>(a: T): T {
  const v = lib.alloc(a.byteLength);
  const t = new (a.constructor as new (b: ArrayBufferLike, o: number, n: number) => T)(v.buffer, v.byteOffset, a.length);
  t.set(a as never);
  return t;
}

for (const build of ['baseline', 'simd'] as const) {
  describe(`Wasm ${build} build equals reduceIntoReference`, () => {
    test.each(combos())('%s %s (minMax %s) on specials and random bits, sizes 1..1029 (tails and SIMD body)', (dtype, op, minMax) => {
      lib.initSync({ build, maximumMemory: 16 * 1024 * 1024 });
      expect(lib.runtimeInfo().build).toBe(build);
      const next = rng(dtype.length * 131 + op.length * 7 + minMax.length);
      for (const n of SIZES) {
        const inout = data(dtype, n, next);
        const input = data(dtype, n, next);
        // Ties for min/max (equal values, +0 vs -0) and shared NaNs: copy a few lanes across.
        for (let i = 0; i < n; i += 5) (input as Int32Array)[i] = (inout as Int32Array)[i]!;
        const opts: ReduceOptions = { minMax, ...(dtype === 'float16' || dtype === 'bfloat16' ? { dtype } : {}), ...(op === 'avg' ? { ranks: [1, 3, 7][n % 3]! } : {}) };
        const want = inout.slice();
        reduceIntoReference(op, want, input, opts);
        const a = resident(inout);
        const b = resident(input);
        reduce(op, a, b, opts);
        expect(words(a, dtype), `${dtype} ${op} n=${n}`).toEqual(words(want, dtype));
        expect(words(b, dtype)).toEqual(words(input, dtype)); // input untouched
      }
    });
  });
}

describe('16-bit NaN policy: every NaN result is the canonical quiet NaN', () => {
  test('float16 0x7c01 + 1 = 0x7e00, bfloat16 0xff81 * 2 = 0x7fc0, max(NaN, 1) = canonical NaN', () => {
    lib.initSync({});
    const h = resident(new Uint16Array(Array(20).fill(0x7c01)));
    reduce('sum', h, resident(new Uint16Array(20).fill(0x3c00)), { dtype: 'float16' });
    expect([...new Set(h)]).toEqual([0x7e00]);
    const b = resident(new Uint16Array(20).fill(0xff81));
    reduce('prod', b, resident(new Uint16Array(20).fill(0x4000)), { dtype: 'bfloat16' });
    expect([...new Set(b)]).toEqual([0x7fc0]);
    const m = resident(new Uint16Array(20).fill(0xfe01));
    reduce('max', m, resident(new Uint16Array(20).fill(0x3c00)), { dtype: 'float16' });
    expect([...new Set(m)]).toEqual([0x7e00]);
  });
});

describe('facade memory paths (same bits as the reference)', () => {
  const ref = (op: ReduceOp, a: Float32Array, b: Float32Array) => {
    const w = a.slice();
    reduceIntoReference(op, w, b);
    return Array.from(new Uint32Array(w.buffer));
  };
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
  test('plain arrays larger than the 64 KiB scratch stream through it in chunks', () => {
    lib.initSync({ maximumMemory: 2 * 1024 * 1024 });
    const next = rng(5);
    const a = data('float32', 300_001, next) as Float32Array;
    const b = data('float32', 300_001, next) as Float32Array;
    const want = ref('prod', a, b);
    reduce('prod', a, b);
    expect(bits(a).map((x, i) => (isNaNBits(x) && isNaNBits(want[i]!) ? 0 : x))).toEqual(want.map((x) => (isNaNBits(x) ? 0 : x)));
  });
  test('mixed residency: alloc() inout with a plain input and the reverse', () => {
    lib.initSync({ maximumMemory: 4 * 1024 * 1024 });
    const a = Float32Array.from({ length: 40_000 }, (_, i) => i * 0.25);
    const b = Float32Array.from({ length: 40_000 }, (_, i) => 1 - i);
    const want = ref('sum', a, b);
    const ra = resident(a);
    reduce('sum', ra, b.slice());
    expect(bits(ra)).toEqual(want);
    const pa = a.slice();
    reduce('sum', pa, resident(b));
    expect(bits(pa)).toEqual(want);
  });
  test('inout and input the same array: x + x, in memory and not', () => {
    lib.initSync({});
    const x = Float32Array.from({ length: 1000 }, (_, i) => i / 3);
    const want = ref('sum', x, x);
    const p = x.slice();
    reduce('sum', p, p);
    expect(bits(p)).toEqual(want);
    const r = resident(x);
    reduce('sum', r, r);
    expect(bits(r)).toEqual(want);
  });
  test('small plain arrays (JS path) and resident ones (Wasm) agree bit for bit', () => {
    lib.initSync({});
    const next = rng(77);
    for (const n of [1, 5, 32, 256]) {
      const a = data('float32', n, next) as Float32Array;
      const b = data('float32', n, next) as Float32Array;
      const js = a.slice();
      reduce('sum', js, b);
      const w = resident(a);
      reduce('sum', w, resident(b));
      expect(words(w, 'float32')).toEqual(words(js, 'float32'));
    }
  });
});

function isNaNBits(u: number): boolean {
  return (u & 0x7fffffff) > 0x7f800000;
}

describe('bad input: typed errors naming the argument, buffers untouched', () => {
  test.each<[string, () => void, string]>([
    ['unknown op', () => reduce('mean' as ReduceOp, A(), A()), 'op'],
    ['length mismatch', () => reduce('sum', A(), new Float32Array(3)), 'input'],
    ['dtype mismatch', () => reduce('sum', A(), new Float64Array(4) as never), 'input'],
    ['unsupported array type', () => reduce('sum', new Int8Array(4) as never, new Int8Array(4) as never), 'inout'],
    ['Uint16Array without dtype', () => reduce('sum', new Uint16Array(4), new Uint16Array(4)), 'inout'],
    ['unknown 16-bit dtype', () => reduce('sum', new Uint16Array(4), new Uint16Array(4), { dtype: 'float8' as never }), 'dtype'],
    ['dtype option on a Float32Array', () => reduce('sum', A(), A(), { dtype: 'float16' }), 'dtype'],
    ['unknown minMax', () => reduce('max', A(), A(), { minMax: 'nan-first' as never }), 'minMax'],
    ['avg on int32 (integer average would wrap and truncate)', () => reduce('avg', new Int32Array(4), new Int32Array(4), { ranks: 2 }), 'inout'],
    ['avg without ranks', () => reduce('avg', A(), A()), 'ranks'],
    ['avg with ranks 0', () => reduce('avg', A(), A(), { ranks: 0 }), 'ranks'],
    ['options not an object', () => reduce('sum', A(), A(), 5 as never), 'options'],
  ])('%s -> field %s', (_name, f, field) => {
    expect(f).toThrow(expect.objectContaining({ name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT', field }));
  });
  test('partial overlap is rejected and neither buffer changes, in memory or not', () => {
    lib.initSync({});
    for (const buf of [new Float32Array(2000), resident(new Float32Array(2000))]) {
      buf.forEach((_, i) => (buf[i] = i));
      const before = Array.from(buf);
      expect(() => reduce('sum', buf.subarray(0, 1000), buf.subarray(500, 1500))).toThrow(expect.objectContaining({ field: 'input' }));
      expect(Array.from(buf)).toEqual(before);
      // An error after validation of a big resident pair also leaves it untouched.
      expect(() => reduce('avg', buf.subarray(0, 1000), buf.subarray(1000, 2000), { ranks: 2 ** 25 })).toThrow(expect.objectContaining({ field: 'ranks' }));
      expect(Array.from(buf)).toEqual(before);
    }
  });
});

function A(): Float32Array {
  return new Float32Array([1, 2, 3, 4]);
}
