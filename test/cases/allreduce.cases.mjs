// AllReduce kernel vectors, hand-worked from IEEE 754 (round to nearest, ties to even).
// Shared by Node, Deno and Chromium. Arrays hold 37 copies of each vector so the Wasm SIMD
// body and its scalar tail both run; views from lib.alloc() force the in-memory Wasm path.
export default function allreduceCases(lib, { assert }) {
  const { equal, deepEqual, throws } = assert;
  const N = 37;
  const bits32 = (a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
  /** A typed array of `type` over a fresh alloc() view, filled with `v`. */
  const mem = (Type, v) => {
    const b = lib.alloc(N * Type.BYTES_PER_ELEMENT);
    return new Type(b.buffer, b.byteOffset, N).fill(v);
  };
  /** Reduces x OP y elementwise over N lanes (plain and in-memory) and returns lane 0, checking all lanes agree. */
  const lane = (Type, op, inout, input, opts) => {
    const results = [];
    for (const make of [(v) => new Type(N).fill(v), (v) => mem(Type, v)]) {
      const a = make(inout);
      lib.reduce(op, a, make(input), opts);
      for (let i = 1; i < N; i++) equal(a[i], a[0], `lane ${i}`);
      results.push(a[0]);
    }
    equal(results[1], results[0], 'in-memory and plain arrays agree');
    return results[0];
  };
  const f16 = { dtype: 'float16' };
  const bf16 = { dtype: 'bfloat16' };
  return [
    ['float32 sum rounds once: 0.1f + 0.2f = 0x3e99999a', () => {
      const a = mem(Float32Array, 0.1);
      lib.reduce('sum', a, mem(Float32Array, 0.2));
      deepEqual(bits32(a), Array(N).fill(0x3e99999a));
    }],
    ['float32 avg: (1 + 2) / 3 = 1 exactly; (1 + 0) / 3 = 0x3eaaaaab (1/3 rounded once)', () => {
      equal(lane(Float32Array, 'avg', 1, 2, { ranks: 3 }), 1);
      equal(lane(Float32Array, 'avg', 1, 0, { ranks: 3 }), Math.fround(1 / 3));
      equal(bits32(Float32Array.of(Math.fround(1 / 3)))[0], 0x3eaaaaab);
    }],
    ['float16 sum ties to even: 1 + 2^-11 = 1 (0x3c00); 0x3c01 + 2^-11 = 0x3c02; 65504 + 16 = Inf', () => {
      equal(lane(Uint16Array, 'sum', 0x3c00, 0x1000, f16), 0x3c00);
      equal(lane(Uint16Array, 'sum', 0x3c01, 0x1000, f16), 0x3c02);
      equal(lane(Uint16Array, 'sum', 0x7bff, 0x4c00, f16), 0x7c00);
      equal(lane(Uint16Array, 'sum', 0x0001, 0x0001, f16), 0x0002); // subnormals: 2^-24 + 2^-24
    }],
    ['float16 / bfloat16 NaN results are the canonical quiet NaN (0x7e00 / 0x7fc0)', () => {
      equal(lane(Uint16Array, 'sum', 0x7c01, 0x3c00, f16), 0x7e00);
      equal(lane(Uint16Array, 'sum', 0x7c00, 0xfc00, f16), 0x7e00); // Inf - Inf
      equal(lane(Uint16Array, 'max', 0xff81, 0x3f80, bf16), 0x7fc0);
    }],
    ['bfloat16 sum ties to even: 1 + 2^-8 = 1 (0x3f80); 0x3f81 + 2^-8 = 0x3f82', () => {
      equal(lane(Uint16Array, 'sum', 0x3f80, 0x3b80, bf16), 0x3f80);
      equal(lane(Uint16Array, 'sum', 0x3f81, 0x3b80, bf16), 0x3f82);
    }],
    ['integers wrap: int32 0x7fffffff + 1 = -2^31; uint32 0xffffffff * 2 = 0xfffffffe; int64 (2^63-1) + 1 = -2^63', () => {
      equal(lane(Int32Array, 'sum', 0x7fffffff, 1), -0x80000000);
      equal(lane(Uint32Array, 'prod', 0xffffffff, 2), 0xfffffffe);
      equal(lane(BigInt64Array, 'sum', 2n ** 63n - 1n, 1n), -(2n ** 63n));
      equal(lane(BigInt64Array, 'min', -5n, 3n), -5n);
    }],
    ['min/max policies: ieee754 propagates NaN and orders -0 < +0; ignore-nan skips one NaN', () => {
      equal(lane(Float32Array, 'max', NaN, 1), NaN);
      equal(lane(Float32Array, 'max', NaN, 1, { minMax: 'ignore-nan' }), 1);
      equal(lane(Float32Array, 'max', -0, 0), 0);
      equal(lane(Float64Array, 'min', 0, -0), -0);
      equal(lane(Float32Array, 'max', 0, -0, { minMax: 'ompi' }), -0); // inout > input ? inout : input
    }],
    ['bad input is a typed error naming the argument, before any element changes', () => {
      const a = new Float32Array([1, 2]);
      throws(() => lib.reduce('sum', a, new Float32Array(3)), { name: 'InvalidArgumentError', field: 'input' });
      throws(() => lib.reduce('avg', a, a), { field: 'ranks' });
      throws(() => lib.reduce('sum', new Uint16Array(2), new Uint16Array(2)), { field: 'inout' });
      deepEqual(a, new Float32Array([1, 2]));
    }],
  ];
}
