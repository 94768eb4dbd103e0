// pcapng: the SHB's trailing Block Total Length is checked like every other block's, and
// timestamps at sub-nanosecond / binary resolutions truncate to nanoseconds (never round up).
import { describe, expect, test } from 'vitest';
import * as lib from '../../src/index.js';

const u32 = (v: number): number[] => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return [...b]; };
const u16 = (v: number): number[] => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return [...b]; };
const shb = (trailer = 28): number[] => [...u32(0x0a0d0d0a), ...u32(28), ...u32(0x1a2b3c4d), ...u16(1), ...u16(0), ...u32(0xffffffff), ...u32(0xffffffff), ...u32(trailer)];
const idb = (opts: number[] = []): number[] => { const len = 20 + opts.length; return [...u32(1), ...u32(len), ...u16(1), ...u16(0), ...u32(65535), ...opts, ...u32(len)]; };
const epb = (ts: bigint, data: number[]): number[] => {
  const pad = (4 - (data.length % 4)) % 4;
  const len = 32 + data.length + pad;
  return [...u32(6), ...u32(len), ...u32(0), ...u32(Number(ts >> 32n)), ...u32(Number(ts & 0xffffffffn)), ...u32(data.length), ...u32(data.length), ...data, ...new Array(pad).fill(0), ...u32(len)];
};
const tsresol = (v: number): number[] => [...u16(9), ...u16(1), v, 0, 0, 0, ...u16(0), ...u16(0)];
const pkt = new Array(14).fill(0xaa);

async function streamAll(bytes: Uint8Array): Promise<{ n: number; error?: unknown }> {
  let n = 0;
  try {
    const source = (async function* () {
      yield bytes;
    })();
    for await (const _ of lib.streamCapture(source)) n++;
  } catch (error) {
    return { n, error };
  }
  return { n };
}

describe('pcapng SHB trailing length', () => {
  test('matching trailer parses', async () => {
    const bytes = Uint8Array.from([...shb(), ...idb(), ...epb(1000000n, pkt)]);
    const c = lib.readCapture(bytes);
    expect(c.error).toBeUndefined();
    expect(c.packets.length).toBe(1);
    expect((await streamAll(bytes)).error).toBeUndefined();
  });
  test('mismatched trailer is MalformedError (readCapture and streamCapture)', async () => {
    const bytes = Uint8Array.from([...shb(99), ...idb(), ...epb(1000000n, pkt)]);
    const c = lib.readCapture(bytes);
    expect(c.packets.length).toBe(0);
    expect(c.error).toBeInstanceOf(lib.MalformedError);
    expect(c.error!.message).toMatch(/trailing length/);
    const s = await streamAll(bytes);
    expect(s.n).toBe(0);
    expect(s.error).toBeInstanceOf(lib.MalformedError);
  });
  test('mismatched trailer on a second SHB', () => {
    const bytes = Uint8Array.from([...shb(), ...idb(), ...epb(1n, pkt), ...shb(32), ...idb(), ...epb(2n, pkt)]);
    const c = lib.readCapture(bytes);
    expect(c.packets.length).toBe(1);
    expect(c.error).toBeInstanceOf(lib.MalformedError);
  });
});

describe('pcapng timestamp resolution', () => {
  const one = (res: number, ts: bigint): [number, number] => {
    const c = lib.readCapture(Uint8Array.from([...shb(), ...idb(tsresol(res)), ...epb(ts, pkt)]));
    expect(c.error).toBeUndefined();
    return [c.packets[0]!.tsSec, c.packets[0]!.tsNsec];
  };
  test('picoseconds truncate (10^12 - 1 ps = 0.999999999 s)', () => {
    expect(one(12, 10n ** 12n - 1n)).toEqual([0, 999999999]);
    expect(one(12, 10n ** 12n + 999n)).toEqual([1, 0]);
    expect(one(12, 1234n * 10n ** 12n + 567891234567n)).toEqual([1234, 567891234]);
  });
  test('binary 2^-31 truncates', () => {
    expect(one(0x9f, 2n ** 31n - 1n)).toEqual([0, 999999999]); // (2^31-1)/2^31 s = 0.99999999953...
    expect(one(0x9f, 2n ** 31n + 1n)).toEqual([1, 0]); // 0.46 ns
    expect(one(0x9f, 5n * 2n ** 31n + 2n ** 30n)).toEqual([5, 500000000]);
  });
  test('decimal resolutions dividing 1e9 are exact', () => {
    expect(one(9, 1999999999n)).toEqual([1, 999999999]);
    expect(one(6, 1700000000123456n)).toEqual([1700000000, 123456000]);
    expect(one(0, 42n)).toEqual([42, 0]);
    expect(one(9, 2n ** 64n - 1n)).toEqual([18446744073, 709551615]);
  });
  test('huge resolutions use exact powers', () => {
    expect(one(19, 15n * 10n ** 18n + 7n)).toEqual([1, 500000000]);
    expect(one(23, 2n ** 64n - 1n)).toEqual([0, 184467]);
    expect(one(0xff, 0x300000n << 32n)).toEqual([0, 0]);
  });
  test('nanoseconds never reach 1e9', () => {
    for (const res of [10, 11, 12, 15, 0x8a, 0x9f, 0xa0]) {
      const per = res & 0x80 ? 2n ** BigInt(res & 0x7f) : 10n ** BigInt(res);
      for (const ts of [per - 1n, 2n * per - 1n, 1700000000n * per - 1n].filter((t) => t < 2n ** 64n)) {
        const [sec, ns] = one(res, ts);
        expect(ns).toBeLessThan(1e9);
        expect(sec).toBe(Number(ts / per));
        expect(ns).toBe(Number(((ts % per) * 1000000000n) / per));
      }
    }
  });
});
