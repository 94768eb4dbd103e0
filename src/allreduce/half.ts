/**
 * Reference (plain JS, exact) conversions between JS numbers and the two 16-bit float
 * formats, written from the IEEE 754 definition (binary16) and the bfloat16 layout
 * (binary32 truncated to its top 16 bits: 1 sign, 8 exponent, 7 fraction bits).
 *
 * Decoding is exact. Encoding rounds once, to nearest, ties to even, from any JS number
 * (binary64): overflow gives +-Infinity, underflow gives subnormals or a signed zero.
 * Every NaN encodes to the canonical quiet NaN: 0x7e00 (binary16), 0x7fc0 (bfloat16) —
 * sign and payload are not kept, so results do not depend on the engine's NaN choices.
 *
 * These are the oracle for the Wasm conversions in assembly/allreduce/half.ts.
 */

/** Layout of a small binary float format. */
interface Format {
  /** Fraction (trailing significand) bits. */
  frac: number;
  /** Exponent bias; the exponent field is 2*bias+1 for Inf/NaN. */
  bias: number;
  /** Canonical quiet NaN bits. */
  nan: number;
}

const F16: Format = { frac: 10, bias: 15, nan: 0x7e00 };
const BF16: Format = { frac: 7, bias: 127, nan: 0x7fc0 };

/** Canonical quiet NaN bit patterns. */
export const FLOAT16_NAN = 0x7e00;
export const BFLOAT16_NAN = 0x7fc0;

function decode(h: number, f: Format): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h & 0x7fff) >>> f.frac;
  const m = h & ((1 << f.frac) - 1);
  if (e === 2 * f.bias + 1) return m ? NaN : sign * Infinity;
  if (e === 0) return sign * m * 2 ** (1 - f.bias - f.frac); // subnormal or zero (keeps -0)
  return sign * ((1 << f.frac) + m) * 2 ** (e - f.bias - f.frac);
}

/** Rounds a non-negative q (< 2^52) to an integer, ties to even. */
function roundHalfEven(q: number): number {
  const fl = Math.floor(q);
  const d = q - fl; // exact: q has at most 52 fractional... fl is q's integer part
  if (d > 0.5) return fl + 1;
  if (d < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}

function encode(x: number, f: Format): number {
  if (x !== x) return f.nan;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  const emax = f.bias; // largest unbiased exponent of a finite value
  const emin = 1 - f.bias;
  // Largest finite value is (2 - 2^-frac) * 2^emax; halfway to the next power of two rounds up.
  if (a >= (2 - 2 ** (-f.frac - 1)) * 2 ** emax) return sign | ((2 * f.bias + 1) << f.frac);
  if (a < 2 ** emin) {
    // Subnormal range: a fixed-point grid of 2^(emin - frac); 2^frac means the smallest normal.
    return sign | roundHalfEven(a / 2 ** (emin - f.frac));
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  let q = roundHalfEven(a / 2 ** (e - f.frac)); // in [2^frac, 2^(frac+1)]
  if (q === 2 ** (f.frac + 1)) {
    q /= 2;
    e++;
  }
  return sign | ((e + f.bias) << f.frac) | (q - 2 ** f.frac);
}

/** The value of a binary16 bit pattern (0..0xffff). */
export function float16ToNumber(bits: number): number {
  return decode(bits, F16);
}
/** The binary16 bits nearest to `x` (ties to even); NaN -> 0x7e00. */
export function numberToFloat16(x: number): number {
  return encode(x, F16);
}
/** The value of a bfloat16 bit pattern (0..0xffff). */
export function bfloat16ToNumber(bits: number): number {
  return decode(bits, BF16);
}
/** The bfloat16 bits nearest to `x` (ties to even); NaN -> 0x7fc0. */
export function numberToBfloat16(x: number): number {
  return encode(x, BF16);
}
