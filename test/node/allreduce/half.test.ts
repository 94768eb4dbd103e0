// float16 / bfloat16 conversions, exhaustively over all 65536 bit patterns, against an
// independent conversion written here from the IEEE 754 definition: a pattern's value is
// sign * 2^(e - bias) * (1 + f / 2^frac) (subnormals: 2^(1 - bias) * f / 2^frac); rounding is
// checked at every rounding boundary: each value, the midpoint to its successor (a tie:
// the even neighbour wins), and the float32 just below / just above that midpoint.
// Node 20 has no Float16Array, hence the hand-written definition.
import { afterAll, describe, expect, test } from 'vitest';
import * as lib from '../../../src/index.js';
import {
  bfloat16ToNumber,
  float16ToNumber,
  float32ToHalf,
  halfToFloat32,
  numberToBfloat16,
  numberToFloat16,
} from '../../../src/allreduce/index.js';

afterAll(() => lib.initSync({}));

interface Fmt {
  name: 'float16' | 'bfloat16';
  frac: number;
  bias: number;
  nan: number;
}
const FORMATS: Fmt[] = [
  { name: 'float16', frac: 10, bias: 15, nan: 0x7e00 },
  { name: 'bfloat16', frac: 7, bias: 127, nan: 0x7fc0 },
];

/** IEEE 754 value of a 16-bit pattern (independent of src/allreduce/half.ts). */
function value(h: number, f: Fmt): number {
  const s = h >> 15 ? -1 : 1;
  const e = (h >> f.frac) & ((1 << (15 - f.frac)) - 1);
  const m = h & ((1 << f.frac) - 1);
  if (e === (1 << (15 - f.frac)) - 1) return m === 0 ? s * Infinity : NaN;
  if (e === 0) return s * Math.pow(2, 1 - f.bias) * (m / Math.pow(2, f.frac));
  return s * Math.pow(2, e - f.bias) * (1 + m / Math.pow(2, f.frac));
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number) => ((f32[0] = x), u32[0]!);
const fromBits = (b: number) => ((u32[0] = b >>> 0), f32[0]!);

/** [f32 input, expected 16-bit result] pairs at every rounding boundary of the format. */
function boundaryCases(f: Fmt): [number[], number[]] {
  const xs: number[] = [];
  const want: number[] = [];
  const inf = (0x7fff >> f.frac) << f.frac; // exponent all ones
  for (const sign of [0, 0x8000]) {
    for (let h = 0; h < inf; h++) {
      const v = value(h, f);
      // Successor magnitude: the next pattern; past the largest finite value, the format's
      // next power of two (2^(emax+1)) stands in for infinity when forming the midpoint.
      const next = h + 1 < inf ? value(h + 1, f) : Math.pow(2, f.bias + 1);
      const mid = (v + next) / 2; // exact in float32 (p + 1 <= 24 bits)
      const even = h % 2 === 0 ? h : h + 1;
      const s = sign ? -1 : 1;
      const m = bitsOf(s * mid);
      xs.push(s * v, s * mid, fromBits(m - 1), fromBits(m + 1));
      want.push(sign | h, sign | even, sign | h, sign | (h + 1));
    }
  }
  // Beyond the boundaries: infinities, huge values, every NaN class -> canonical NaN.
  for (const [x, h] of [
    [Infinity, inf], [-Infinity, 0x8000 | inf], [3.4e38, inf], [-3.4e38, 0x8000 | inf],
    [fromBits(0x7fc00000), f.nan], [fromBits(0xffc00000), f.nan], [fromBits(0x7f800001), f.nan], [fromBits(0xff812345), f.nan],
    [1e-45, 0], [-1e-45, 0x8000],
  ] as [number, number][]) {
    if (f.name === 'bfloat16' && Math.abs(x) === 1e-45) continue; // a bfloat16 subnormal range reaches float32's
    xs.push(x);
    want.push(h);
  }
  return [xs, want];
}

for (const f of FORMATS) {
  describe(`${f.name}: all 65536 patterns`, () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    test('reference decode (half.ts) equals the IEEE definition for every pattern', () => {
      const dec = f.name === 'float16' ? float16ToNumber : bfloat16ToNumber;
      for (let h = 0; h < 65536; h++) expect(Object.is(dec(h), value(h, f)) || (isNaN(dec(h)) && isNaN(value(h, f))), `0x${h.toString(16)}`).toBe(true);
    });
    test('reference encode (half.ts) rounds to nearest even at every boundary', () => {
      const enc = f.name === 'float16' ? numberToFloat16 : numberToBfloat16;
      const [xs, want] = boundaryCases(f);
      expect(xs.map(enc)).toEqual(want);
    });
    for (const build of ['baseline', 'simd'] as const) {
      test(`Wasm ${build}: widening is exact (NaN payload bits kept) for every pattern`, () => {
        lib.initSync({ build });
        const got = new Uint32Array(halfToFloat32(all, f.name).buffer);
        for (let h = 0; h < 65536; h++) {
          const v = value(h, f);
          // A NaN widens with its sign and payload moved to the top of the float32 fraction.
          const want = v !== v ? ((h & 0x8000) << 16) | 0x7f800000 | ((h & ((1 << f.frac) - 1)) << (23 - f.frac)) : bitsOf(v);
          if (got[h] !== want >>> 0) expect(`0x${h.toString(16)} -> 0x${got[h]!.toString(16)}`).toBe(`0x${h.toString(16)} -> 0x${(want >>> 0).toString(16)}`);
        }
      });
      test(`Wasm ${build}: narrowing rounds to nearest even at every boundary; NaN -> 0x${f.nan.toString(16)}`, () => {
        lib.initSync({ build });
        const [xs, want] = boundaryCases(f);
        const got = Array.from(float32ToHalf(Float32Array.from(xs), f.name));
        const bad = got.flatMap((g, i) => (g === want[i] ? [] : [`0x${bitsOf(xs[i]!).toString(16)} -> 0x${g.toString(16)} (want 0x${want[i]!.toString(16)})`]));
        expect(bad.slice(0, 5)).toEqual([]);
        expect(xs.length).toBeGreaterThan(4 * 2 * 30000);
      });
      test(`Wasm ${build}: narrow(widen(h)) == h for every non-NaN pattern`, () => {
        lib.initSync({ build });
        const back = float32ToHalf(halfToFloat32(all, f.name), f.name);
        for (let h = 0; h < 65536; h++) expect(back[h]).toBe(value(h, f) !== value(h, f) ? f.nan : h);
      });
    }
  });
}

describe('conversion bad input', () => {
  test('typed errors naming the argument', () => {
    expect(() => halfToFloat32(new Uint16Array(1), 'float8' as never)).toThrow(expect.objectContaining({ field: 'dtype' }));
    expect(() => halfToFloat32([1] as never, 'float16')).toThrow(expect.objectContaining({ field: 'bits' }));
    expect(() => float32ToHalf(new Float64Array(1) as never, 'bfloat16')).toThrow(expect.objectContaining({ field: 'values' }));
  });
});
