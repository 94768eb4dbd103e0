// Property tests for the QUIC codecs: round trips, batch vs single agreement, and
// decodePacketNumber against a literal bigint transcription of RFC 9000 Appendix A.3.
import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import * as lib from '../../src/index.js';

const MAX = (1n << 62n) - 1n;
const varintBig = fc.bigInt({ min: 0n, max: MAX });
/** Values spread over all four lengths (uniform bigints would almost all be 8 bytes). */
const varintAny = fc.oneof(fc.bigInt({ min: 0n, max: 63n }), fc.bigInt({ min: 0n, max: 16383n }), fc.bigInt({ min: 0n, max: (1n << 30n) - 1n }), varintBig);

/** RFC 9000 Appendix A.3, transcribed. */
function decodePacketNumberA3(largestPn: bigint, truncatedPn: bigint, pnNbits: bigint): bigint {
  const expectedPn = largestPn + 1n;
  const pnWin = 1n << pnNbits;
  const pnHwin = pnWin / 2n;
  const pnMask = pnWin - 1n;
  const candidatePn = (expectedPn & ~pnMask) | truncatedPn;
  if (candidatePn <= expectedPn - pnHwin && candidatePn < (1n << 62n) - pnWin) return candidatePn + pnWin;
  if (candidatePn > expectedPn + pnHwin && candidatePn >= pnWin) return candidatePn - pnWin;
  return candidatePn;
}

describe('QUIC varint properties', () => {
  test('bigint round trip over [0, 2^62-1], minimal and forced lengths', () => {
    fc.assert(
      fc.property(varintAny, fc.constantFrom<lib.VarintLength | undefined>(undefined, 1, 2, 4, 8), (v, forced) => {
        const min = lib.varintLength(v);
        if (forced !== undefined && forced < min) {
          expect(() => lib.encodeVarint(v, { length: forced })).toThrow(lib.WirekitRangeError);
          return;
        }
        const bytes = lib.encodeVarint(v, forced ? { length: forced } : undefined);
        expect(bytes.length).toBe(forced ?? min);
        const d = lib.decodeVarintBig(bytes);
        expect(d.value).toBe(v);
        expect(d.length).toBe(bytes.length);
        expect(d.minimal).toBe(bytes.length === min);
        if (v <= BigInt(Number.MAX_SAFE_INTEGER)) expect(lib.decodeVarint(bytes).value).toBe(Number(v));
        else expect(() => lib.decodeVarint(bytes)).toThrow(lib.WirekitRangeError);
      }),
      { numRuns: 5000 },
    );
  });

  test('batch decode/encode agree with single decode/encode (bigint and number APIs)', () => {
    fc.assert(
      fc.property(fc.array(varintAny, { maxLength: 300 }), (values) => {
        const single = values.map((v) => lib.encodeVarint(v));
        const joined = new Uint8Array(single.reduce((n, b) => n + b.length, 0));
        let k = 0;
        for (const b of single) joined.set(b, k), (k += b.length);
        expect(lib.encodeVarints(BigUint64Array.from(values))).toEqual(joined);
        expect(Array.from(lib.decodeVarintsBig(joined))).toEqual(values);
        const firstBig = values.findIndex((v) => v > BigInt(Number.MAX_SAFE_INTEGER));
        if (firstBig < 0) {
          expect(Array.from(lib.decodeVarints(joined))).toEqual(values.map(Number));
          expect(lib.encodeVarints(values.map(Number))).toEqual(joined);
        } else {
          const offset = single.slice(0, firstBig).reduce((n, b) => n + b.length, 0);
          expect(() => lib.decodeVarints(joined)).toThrow(expect.objectContaining({ code: 'RANGE', offset }));
        }
        // Any cut inside the last varint is a TruncatedError at its offset.
        if (values.length > 0 && single.at(-1)!.length > 1) {
          const last = joined.length - single.at(-1)!.length;
          expect(() => lib.decodeVarintsBig(joined.subarray(0, joined.length - 1))).toThrow(
            expect.objectContaining({ code: 'TRUNCATED', offset: last, needed: single.at(-1)!.length, available: single.at(-1)!.length - 1 }),
          );
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('batch decode of random bytes agrees with a single-decode loop, errors included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40000 }), (bytes) => {
        const expected: bigint[] = [];
        let error: unknown;
        for (let p = 0; p < bytes.length; ) {
          try {
            const d = lib.decodeVarintBig(bytes, p);
            expected.push(d.value);
            p += d.length;
          } catch (e) {
            error = e;
            break;
          }
        }
        if (error) expect(() => lib.decodeVarintsBig(bytes)).toThrow(expect.objectContaining({ code: 'TRUNCATED', offset: (error as lib.WirekitError).offset }));
        else expect(Array.from(lib.decodeVarintsBig(bytes))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  test('decodePacketNumber = RFC 9000 A.3 on random inputs (number and bigint APIs)', () => {
    fc.assert(
      fc.property(fc.oneof(varintBig, fc.bigInt({ min: 0n, max: 1n << 20n }), fc.bigInt({ min: MAX - (1n << 33n), max: MAX }), fc.bigInt({ min: (1n << 53n) - (1n << 33n), max: (1n << 53n) + 10n })), fc.constantFrom(8, 16, 24, 32), fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), (largest, bits, t0) => {
        const t = t0 & ((1n << BigInt(bits)) - 1n);
        const ref = decodePacketNumberA3(largest, t, BigInt(bits));
        const arg = largest <= BigInt(Number.MAX_SAFE_INTEGER) && largest % 2n === 0n ? Number(largest) : largest;
        if (ref > MAX) {
          expect(() => lib.decodePacketNumberBig(arg, t, bits)).toThrow(lib.WirekitRangeError);
          return;
        }
        expect(lib.decodePacketNumberBig(arg, Number(t), bits)).toBe(ref);
        if (ref <= BigInt(Number.MAX_SAFE_INTEGER)) expect(lib.decodePacketNumber(arg, t, bits)).toBe(Number(ref));
        else expect(() => lib.decodePacketNumber(arg, t, bits)).toThrow(lib.WirekitRangeError);
      }),
      { numRuns: 20000 },
    );
  });

  test('encodePacketNumber output decodes back at the receiver (largest received = largest acked)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX - (1n << 31n) }), fc.bigInt({ min: 1n, max: (1n << 31n) - 1n }), (acked, gap) => {
        const full = acked + gap;
        const { truncated, length } = lib.encodePacketNumber(full, acked);
        expect(lib.decodePacketNumberBig(acked, truncated, 8 * length)).toBe(full);
      }),
      { numRuns: 5000 },
    );
  });

  test('the module stays usable after every kind of error, and memory does not grow', () => {
    const before = lib.runtimeInfo();
    for (let i = 0; i < 2000; i++) {
      expect(() => lib.decodeVarints(Uint8Array.of(0x25, 0xc0))).toThrow(lib.TruncatedError);
      expect(() => lib.decodeVarints(Uint8Array.of(0xff, 0, 0, 0, 0, 0, 0, 0))).toThrow(lib.WirekitRangeError);
      expect(() => lib.encodeVarints([1, -1])).toThrow(lib.WirekitRangeError);
      expect(() => lib.encodeVarints([1, 2, 3], new Uint8Array(2))).toThrow(lib.OutputTooSmallError);
      expect(lib.decodeVarints(lib.encodeVarints([i, 2 ** 40 + i]))).toEqual(Float64Array.of(i, 2 ** 40 + i));
    }
    const after = lib.runtimeInfo();
    expect(after.liveAllocations).toBe(before.liveAllocations);
    expect(after.memoryBytes).toBe(before.memoryBytes);
  });
});
