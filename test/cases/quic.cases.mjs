// QUIC varint (RFC 9000 §16, A.1) and packet number (§17.1, A.2, A.3) vectors from the shared
// corpus (quic-vectors.json, read at run time: never copied here), plus the error contract.
// Shared by Node, Deno and Chromium.
export default function quicCases(lib, { assert, corpus }) {
  const { equal, ok, throws, hex, deepEqual } = assert;
  const load = () => corpus('quic-vectors.json');
  const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
  const cat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let k = 0;
    for (const p of parts) out.set(p, k), (k += p.length);
    return out;
  };
  const label = (v) => `${v.source}: ${v.hex === '' ? '(empty)' : v.hex}`;

  /** Every check that applies to one well-formed varint `bytes` holding `value`. */
  function checkDecode(bytes, value, length, minimal, what) {
    const big = lib.decodeVarintBig(bytes);
    equal(big.value, value, `${what} decodeVarintBig value`);
    equal(big.length, length, `${what} length`);
    equal(big.minimal, minimal, `${what} minimal`);
    // At an offset, inside a larger buffer.
    equal(lib.decodeVarintBig(cat(hex('ff'), bytes, hex('00')), 1).value, value, `${what} at offset 1`);
    deepEqual(Array.from(lib.decodeVarintsBig(cat(bytes, bytes))), [value, value], `${what} batch bigint`);
    if (value <= SAFE) {
      deepEqual(lib.decodeVarint(bytes), { value: Number(value), length, minimal }, `${what} decodeVarint`);
      deepEqual(Array.from(lib.decodeVarints(cat(hex('05'), bytes))), [5, Number(value)], `${what} batch`);
    } else {
      throws(() => lib.decodeVarint(bytes), { name: 'WirekitRangeError', code: 'RANGE', offset: 0 }, `${what} number API`);
      throws(() => lib.decodeVarint(cat(hex('0000'), bytes), 2), { code: 'RANGE', offset: 2 }, `${what} number API at offset 2`);
      throws(() => lib.decodeVarints(cat(hex('0000'), bytes)), { code: 'RANGE', offset: 2 }, `${what} batch number API`);
    }
  }

  return [
    ['RFC 9000 A.1 sample varints decode (value, length, minimal), number API refuses > 2^53-1', async () => {
      const v = await load();
      for (const d of v.varint.decode) checkDecode(hex(d.hex), BigInt(d.value), d.length, d.minimal, label(d));
      equal(v.varint.decode.length, 5);
    }],
    ['RFC 9000 A.1 + §16 table: minimal encodings (0, 63, 64, 16383, 16384, 2^30-1, 2^30, 2^53-1, 2^53, 2^62-1) and round trips', async () => {
      const v = await load();
      for (const e of v.varint.minimalEncode) {
        const what = `${e.source}: ${e.value}`;
        const value = BigInt(e.value);
        const bytes = hex(e.hex);
        equal(toHex(lib.encodeVarint(value)), e.hex, `${what} bigint encode`);
        equal(lib.varintLength(value), bytes.length, `${what} varintLength`);
        if (e.length !== undefined) equal(bytes.length, e.length, `${what} vector length`);
        if (e.exceedsSafeInteger !== undefined) equal(value > SAFE, e.exceedsSafeInteger, `${what} exceedsSafeInteger`);
        if (value <= SAFE) {
          equal(toHex(lib.encodeVarint(Number(value))), e.hex, `${what} number encode`);
          equal(toHex(lib.encodeVarints([Number(value), 1])), e.hex + '01', `${what} batch encode`);
        } else {
          throws(() => lib.encodeVarint(Number(value)), { code: 'RANGE', field: 'value' }, `${what} as an (inexact) number`);
        }
        const out = new Uint8Array(bytes.length + 3).fill(0xee);
        equal(lib.encodeVarint(value, out, 2), bytes.length, `${what} bytes written`);
        equal(toHex(out), 'eeee' + e.hex + 'ee', `${what} written at offset 2`);
        equal(toHex(lib.encodeVarints(BigUint64Array.of(value, 0n))), e.hex + '00', `${what} batch bigint encode`);
        checkDecode(bytes, value, bytes.length, true, what);
      }
    }],
    ['RFC 9000 A.1 + derived: non-minimal encodings decode, are reported, and are reproduced by a forced length', async () => {
      const v = await load();
      for (const d of v.varint.nonMinimalDecode) {
        const bytes = hex(d.hex);
        checkDecode(bytes, BigInt(d.value), d.length, false, label(d));
        equal(toHex(lib.encodeVarint(Number(d.value), { length: d.length })), d.hex, `${label(d)} forced length`);
        const out = new Uint8Array(d.length);
        equal(lib.encodeVarint(BigInt(d.value), out, 0, { length: d.length }), d.length);
        equal(toHex(out), d.hex);
      }
    }],
    ['RFC 9000 §16 ranges: each length\'s maximum and maximum + 1', async () => {
      const v = await load();
      const lengths = Object.values(v.varint.lengthByPrefix);
      for (const [i, r] of v.varint.ranges.entries()) {
        equal(r.length, lengths[i]);
        const max = BigInt(r.max);
        equal(lib.varintLength(max), r.length, `max ${r.max}`);
        equal(lib.encodeVarint(max)[0] >> 6, i, `prefix of ${r.max}`);
        if (i < 3) equal(lib.varintLength(max + 1n), lengths[i + 1], `${r.max}+1`);
        else throws(() => lib.varintLength(max + 1n), { code: 'RANGE' });
      }
      equal(BigInt(v.varint.maxValue), lib.VARINT_MAX);
    }],
    ['derived truncations ("", 40, 80, 800000, c0, c0000000000000): TruncatedError with offset/needed/available', async () => {
      const v = await load();
      for (const t of v.varint.truncatedDecodeErrors) {
        const bytes = hex(t.hex);
        const err = { name: 'TruncatedError', code: 'TRUNCATED', offset: 0, needed: t.needBytes, available: t.haveBytes };
        throws(() => lib.decodeVarint(bytes), err, label(t));
        throws(() => lib.decodeVarintBig(bytes), err, label(t));
        // After a complete varint: offsets are the truncated varint's, in every API.
        const after = cat(hex('4025'), bytes);
        const at2 = { ...err, offset: 2 };
        throws(() => lib.decodeVarint(after, 2), at2, `${label(t)} at offset 2`);
        if (bytes.length > 0) {
          throws(() => lib.decodeVarints(after), at2, `${label(t)} batch`);
          throws(() => lib.decodeVarintsBig(after), at2, `${label(t)} batch bigint`);
        }
      }
      equal(lib.decodeVarints(new Uint8Array(0)).length, 0, 'empty batch input is zero values');
    }],
    ['derived encode range errors (2^62, 2^64-1, -1) are WirekitRangeError', async () => {
      const v = await load();
      for (const e of v.varint.encodeRangeErrors) {
        const value = BigInt(e.value);
        throws(() => lib.encodeVarint(value), { name: 'WirekitRangeError', code: 'RANGE', field: 'value' }, e.value);
        throws(() => lib.varintLength(value), { code: 'RANGE' }, e.value);
        if (value >= 0n) throws(() => lib.encodeVarints(BigUint64Array.of(1n, value)), { code: 'RANGE', offset: 1 }, `${e.value} batch`);
        else throws(() => lib.encodeVarints([1, Number(value)]), { code: 'RANGE', offset: 1 }, `${e.value} batch`);
      }
    }],
    ['RFC 9000 A.2 packet number encoding examples (0xac5c02 -> 2 bytes 5c02, 0xace8fe -> 3 bytes)', async () => {
      const v = await load();
      for (const e of v.packetNumber.encodeSize) {
        const full = BigInt(e.fullPn);
        const acked = BigInt(e.largestAcked);
        equal(Number(full - acked), e.numUnacked, `${e.fullPn} numUnacked`);
        equal(lib.packetNumberLength(full, acked), e.pnLengthBytes, `${e.fullPn} length (bigint)`);
        equal(lib.packetNumberLength(Number(full), Number(acked)), e.pnLengthBytes, `${e.fullPn} length (number)`);
        deepEqual(lib.encodePacketNumber(Number(full), acked), { truncated: Number(BigInt(e.truncatedPn)), length: e.pnLengthBytes }, e.fullPn);
        // The receiver (largest received = largest acked) recovers the full number.
        equal(lib.decodePacketNumber(acked, BigInt(e.truncatedPn), 8 * e.pnLengthBytes), Number(full), `${e.fullPn} decodes back`);
      }
    }],
    ['RFC 9000 A.3 packet number decoding example and derived wrap/bound cases (incl. 2^62-1, no packet yet)', async () => {
      const v = await load();
      for (const d of v.packetNumber.decode) {
        const largest = d.largestPn === null ? null : BigInt(d.largestPn);
        const expected = BigInt(d.expectedPn);
        const what = `${d.source}: largest ${d.largestPn}, ${d.pnNbits}-bit ${d.truncatedPn}`;
        equal(lib.decodePacketNumberBig(largest, BigInt(d.truncatedPn), d.pnNbits), expected, what);
        if (expected <= SAFE) {
          const l = largest === null ? undefined : largest <= SAFE ? Number(largest) : largest;
          equal(lib.decodePacketNumber(l, Number(BigInt(d.truncatedPn)), d.pnNbits), Number(expected), `${what} (number)`);
        } else {
          throws(() => lib.decodePacketNumber(largest, BigInt(d.truncatedPn), d.pnNbits), { code: 'RANGE' }, `${what} (number)`);
        }
      }
    }],
    ['RFC 9000 §17.1 vs A.2 at powers of two: 2^(8L-1) unacked packets take L+1 bytes (prose), 2^31 is refused', () => {
      const cases = [[127, 1], [128, 2], [32767, 2], [32768, 3], [2 ** 23 - 1, 3], [2 ** 23, 4], [2 ** 31 - 1, 4]];
      for (const [n, len] of cases) {
        equal(lib.packetNumberLength(1000 + n, 1000), len, `${n} unacked`);
        equal(lib.packetNumberLength(BigInt(n - 1)), len, `${n} unacked, nothing acked`);
      }
      throws(() => lib.packetNumberLength(2 ** 31 + 5, 5), { code: 'RANGE', field: 'fullPn' });
      // The chosen length always decodes back at the edge of the window.
      for (const [n] of cases) {
        const { truncated, length } = lib.encodePacketNumber(5000 + n, 5000);
        equal(lib.decodePacketNumber(5000, truncated, 8 * length), 5000 + n, `${n} unacked round trip`);
      }
    }],
    ['RFC 9001 A.5: packet number 654360564 sent as the 3-byte field 00bff4 (49140)', async () => {
      const v = await load();
      const f = v.v1.shortHeaderChaCha20.fields;
      equal(f.fullPacketNumber, 654360564);
      equal(f.truncatedPacketNumber, 49140);
      equal(lib.decodePacketNumber(f.fullPacketNumber - 1, f.truncatedPacketNumber, 8 * f.pnLength), f.fullPacketNumber);
      deepEqual(lib.encodePacketNumber(f.fullPacketNumber, f.fullPacketNumber - 70000), { truncated: 49140, length: 3 });
    }],
    ['batch decode across internal chunk boundaries and through alloc() views equals single decodes', () => {
      // 8-byte varints at odd offsets straddle every 16 KiB chunk boundary.
      const parts = [];
      for (let i = 0; i < 12000; i++) parts.push(lib.encodeVarint(i % 5 === 0 ? 2 ** 40 + i : i * 37, i % 3 === 0 ? { length: 8 } : undefined));
      const bytes = cat(hex('25'), ...parts);
      const expected = [37];
      for (let p = 1; p < bytes.length; ) {
        const d = lib.decodeVarint(bytes, p);
        expected.push(d.value);
        p += d.length;
      }
      const got = lib.decodeVarints(bytes);
      equal(got.length, expected.length);
      ok(got.every((x, i) => x === expected[i]), 'decodeVarints matches decodeVarint');
      const big = lib.decodeVarintsBig(bytes);
      ok(big.every((x, i) => x === BigInt(expected[i])), 'decodeVarintsBig matches');
      equal(toHex(lib.encodeVarints(got)).length, toHex(lib.encodeVarints(expected)).length);
      // In linear memory: read in place, written in place.
      const input = lib.alloc(bytes.length);
      input.set(bytes);
      const mem = lib.alloc(8 * expected.length);
      const out = new Float64Array(mem.buffer, mem.byteOffset, expected.length);
      const r = lib.decodeVarints(input, out);
      equal(r.length, expected.length);
      equal(r.buffer, out.buffer);
      ok(r.every((x, i) => x === expected[i]), 'in-memory decode');
      const enc = lib.alloc(bytes.length);
      const w = lib.encodeVarints(out, enc);
      equal(w.length, toHex(lib.encodeVarints(expected)).length / 2);
      deepEqual(Array.from(lib.decodeVarints(w)), expected, 'in-memory encode round trip');
      const outOwned = new Float64Array(expected.length + 5);
      equal(lib.decodeVarints(input, outOwned).length, expected.length, 'into a JS-owned out');
      lib.free(input);
      lib.free(mem);
      lib.free(enc);
    }],
    ['bad arguments and outputs are typed errors; the module stays usable after each', () => {
      const ok37 = () => equal(lib.decodeVarints(hex('4025 25'))[1], 37, 'usable after the error');
      const e = [
        [() => lib.decodeVarint([0x25]), { name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT', field: 'bytes' }],
        [() => lib.decodeVarint(hex('25'), 2), { code: 'INVALID_ARGUMENT', field: 'offset' }],
        [() => lib.decodeVarint(hex('25'), -1), { code: 'INVALID_ARGUMENT', field: 'offset' }],
        [() => lib.decodeVarint(hex('25'), 0.5), { code: 'INVALID_ARGUMENT', field: 'offset' }],
        [() => lib.decodeVarint(hex('25'), 1), { code: 'TRUNCATED', offset: 1, needed: 1, available: 0 }],
        [() => lib.decodeVarintBig('25'), { code: 'INVALID_ARGUMENT', field: 'bytes' }],
        [() => lib.encodeVarint(1.5), { name: 'InvalidArgumentError', field: 'value' }],
        [() => lib.encodeVarint(NaN), { name: 'InvalidArgumentError', field: 'value' }],
        [() => lib.encodeVarint('7'), { name: 'InvalidArgumentError', field: 'value' }],
        [() => lib.encodeVarint(-1), { name: 'WirekitRangeError', field: 'value' }],
        [() => lib.encodeVarint(2 ** 60), { name: 'WirekitRangeError', field: 'value' }],
        [() => lib.encodeVarint(64, { length: 1 }), { name: 'WirekitRangeError', field: 'length' }],
        [() => lib.encodeVarint(1, { length: 3 }), { name: 'InvalidArgumentError', field: 'length' }],
        [() => lib.encodeVarint(16384, new Uint8Array(5), 2), { name: 'OutputTooSmallError', code: 'OUTPUT_TOO_SMALL', offset: 2, needed: 4, available: 3 }],
        [() => lib.encodeVarint(1, new Uint8Array(2), 3), { code: 'INVALID_ARGUMENT', field: 'offset' }],
        [() => lib.encodeVarint(1, 'x'), { code: 'INVALID_ARGUMENT', field: 'out' }],
        [() => lib.varintLength(2n ** 62n), { code: 'RANGE' }],
        [() => lib.decodeVarints('4025'), { code: 'INVALID_ARGUMENT', field: 'bytes' }],
        [() => lib.decodeVarints(hex('25'), new Uint32Array(2)), { code: 'INVALID_ARGUMENT', field: 'out' }],
        [() => lib.decodeVarints(hex('25 25 4025'), new Float64Array(2)), { name: 'OutputTooSmallError', needed: 3, available: 2 }],
        [() => lib.decodeVarintsBig(hex('25 25'), new BigUint64Array(1)), { name: 'OutputTooSmallError', needed: 2, available: 1 }],
        [() => lib.decodeVarints(hex('25 c020000000000000')), { code: 'RANGE', offset: 1 }],
        [() => lib.encodeVarints([1, 2.5]), { name: 'InvalidArgumentError', offset: 1, field: 'values[1]' }],
        [() => lib.encodeVarints([1, NaN]), { name: 'InvalidArgumentError', offset: 1 }],
        [() => lib.encodeVarints(Float64Array.of(1, 2, -3)), { name: 'WirekitRangeError', offset: 2 }],
        [() => lib.encodeVarints([2 ** 53]), { name: 'WirekitRangeError', offset: 0 }],
        [() => lib.encodeVarints([1n]), { code: 'INVALID_ARGUMENT', field: 'values' }],
        [() => lib.encodeVarints(BigInt64Array.of(1n)), { code: 'INVALID_ARGUMENT', field: 'values' }],
        [() => lib.encodeVarints(42), { code: 'INVALID_ARGUMENT', field: 'values' }],
        [() => lib.encodeVarints([1, 100, 20000], new Uint8Array(6)), { name: 'OutputTooSmallError', needed: 7, available: 6 }],
        [() => lib.encodeVarints([1], [0]), { code: 'INVALID_ARGUMENT', field: 'out' }],
        [() => lib.packetNumberLength(10, 10), { name: 'InvalidArgumentError', field: 'fullPn' }],
        [() => lib.packetNumberLength(1.5), { name: 'InvalidArgumentError', field: 'fullPn' }],
        [() => lib.packetNumberLength(2n ** 62n), { name: 'WirekitRangeError', field: 'fullPn' }],
        [() => lib.packetNumberLength(5, -1), { name: 'WirekitRangeError', field: 'largestAcked' }],
        [() => lib.encodePacketNumber('5'), { name: 'InvalidArgumentError', field: 'fullPn' }],
        [() => lib.decodePacketNumber(0, 0, 12), { name: 'InvalidArgumentError', field: 'pnNbits' }],
        [() => lib.decodePacketNumber(0, 256, 8), { name: 'InvalidArgumentError', field: 'truncatedPn' }],
        [() => lib.decodePacketNumber(0, -1, 8), { name: 'InvalidArgumentError', field: 'truncatedPn' }],
        [() => lib.decodePacketNumber(2 ** 53 - 2, 0, 8), { code: 'RANGE', field: 'largestPn' }],
        [() => lib.decodePacketNumberBig(2n ** 62n - 1n, 0, 8), { code: 'RANGE', field: 'truncatedPn' }],
        [() => lib.decodePacketNumberBig(2n ** 62n, 0, 8), { code: 'RANGE', field: 'largestPn' }],
      ];
      for (const [i, [fn, expected]] of e.entries()) {
        throws(fn, expected, `negative case #${i}`);
        ok37();
      }
      equal(lib.decodePacketNumber(2 ** 53 - 2, 0xff, 8), 2 ** 53 - 1, 'number path next to 2^53');
      equal(lib.decodePacketNumberBig(2 ** 53 - 2, 0, 8), 2n ** 53n, 'the same as a bigint');
    }],
  ];
}
