// The runtime's contracts: bounded memory, the view rule, shared memory and workers,
// recovery after errors and traps.
import { describe, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { resolve } from 'node:path';
import * as lib from '../../src/index.js';
import { guard, wasm } from '../../src/runtime/core.js';

const dist = resolve(__dirname, '../../dist/index.cjs');

describe('memory stays bounded', () => {
  test('a million calls later, memory and heap are what they were after the first thousand', () => {
    lib.initSync({ maximumMemory: 32 * 1024 * 1024 });
    const small = new Uint8Array(64).fill(7);
    const mid = new Uint8Array(70_000).fill(9);
    const run = (n: number) => {
      for (let i = 0; i < n; i++) {
        lib.crc32(small);
        lib.internetChecksum(i % 1000 === 0 ? mid : small);
        if (i % 10_000 === 0) lib.free(lib.alloc(1 + (i % 5000)));
      }
    };
    run(1000);
    const after1k = lib.runtimeInfo();
    run(1_000_000);
    const after1m = lib.runtimeInfo();
    expect(after1m.memoryBytes).toBe(after1k.memoryBytes);
    expect(after1m.heapBytes).toBe(after1k.heapBytes);
    expect(after1m.liveAllocations).toBe(0);
  });

  test('inputs larger than the whole memory stream through a bounded scratch area', () => {
    lib.initSync({ maximumMemory: 2 * 1024 * 1024 });
    const b = new Uint8Array(8 * 1024 * 1024).fill(0xa5);
    expect(lib.crc32(b)).toBe(zlibCrc32(b));
    expect(lib.runtimeInfo().memoryBytes).toBe(2 * 1024 * 1024);
  });

  test('allocating past the maximum is a typed OUT_OF_MEMORY error and the heap stays usable', () => {
    lib.initSync({ maximumMemory: 4 * 1024 * 1024 });
    const keep = lib.alloc(1000);
    keep.fill(1);
    expect(() => lib.alloc(8 * 1024 * 1024)).toThrow(expect.objectContaining({ code: 'OUT_OF_MEMORY', needed: 8 * 1024 * 1024 }));
    const views = [];
    for (;;) {
      try {
        views.push(lib.alloc(256 * 1024));
      } catch (e) {
        expect((e as lib.WirekitError).code).toBe('OUT_OF_MEMORY');
        break;
      }
    }
    for (const v of views) lib.free(v);
    expect(lib.alloc(256 * 1024).byteLength).toBe(256 * 1024);
    expect(keep.every((x) => x === 1)).toBe(true);
    expect(lib.crc32('123456789')).toBe(0xcbf43926);
  });
});

describe('the view rule', () => {
  test('default memory never grows, so alloc() views never detach', () => {
    lib.initSync({ maximumMemory: 16 * 1024 * 1024 });
    const v = lib.alloc(16);
    const before = lib.runtimeInfo().memoryBytes;
    const more = [];
    for (let i = 0; i < 10; i++) more.push(lib.alloc(1024 * 1024));
    expect(lib.runtimeInfo().memoryBytes).toBe(before);
    expect(v.byteLength).toBe(16);
  });

  test('growable memory: a view detached by growth is rejected with DETACHED_VIEW, never read as empty', () => {
    lib.initSync({ initialMemory: 1024 * 1024, maximumMemory: 64 * 1024 * 1024 });
    const v = lib.alloc(9);
    v.set(new TextEncoder().encode('123456789'));
    expect(lib.crc32(v)).toBe(0xcbf43926);
    const big = lib.alloc(8 * 1024 * 1024); // grows memory, detaching v
    expect(v.byteLength).toBe(0);
    expect(() => lib.crc32(v)).toThrow(expect.objectContaining({ code: 'DETACHED_VIEW' }));
    lib.free(v); // a detached view still knows its address: its block is released
    expect(lib.runtimeInfo().liveAllocations).toBe(1);
    big.fill(3);
    expect(lib.crc32(big)).toBe(zlibCrc32(Buffer.alloc(big.length, 3)));
  });
});

describe('shared memory (threads build)', () => {
  test('a shared memory selects the threads build; growth keeps old views valid', () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 1024, shared: true });
    lib.initSync({ memory });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'threads', shared: true });
    const v = lib.alloc(9);
    v.set(new TextEncoder().encode('123456789'));
    lib.alloc(16 * 1024 * 1024); // grows the shared memory
    expect(v.byteLength).toBe(9);
    expect(lib.crc32(v)).toBe(0xcbf43926);
  });

  test('two worker threads attached to one shared memory checksum disjoint halves in place', async () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 256, shared: true });
    lib.initSync({ memory });
    const data = lib.alloc(2 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
    const half = data.length / 2;
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const lib = require(workerData.dist);
      lib.initSync({ memory: workerData.memory, attach: true });
      const view = new Uint8Array(workerData.memory.buffer, workerData.ptr, workerData.len);
      parentPort.postMessage({ crc: lib.crc32(view), build: lib.runtimeInfo().build });`;
    const run = (ptr: number, len: number) =>
      new Promise<{ crc: number; build: string }>((res, rej) => {
        const w = new Worker(code, { eval: true, workerData: { dist, memory, ptr, len } });
        w.once('message', (m) => {
          res(m);
          void w.terminate();
        });
        w.once('error', rej);
      });
    const [a, b] = await Promise.all([run(data.byteOffset, half), run(data.byteOffset + half, half)]);
    expect(a.build).toBe('threads');
    expect(a.crc).toBe(zlibCrc32(data.subarray(0, half)));
    expect(b.crc).toBe(zlibCrc32(data.subarray(half)));
    expect(lib.crc32Combine(a.crc, b.crc, half)).toBe(zlibCrc32(data));
  });
});

describe('recovery', () => {
  test('after a real trap (out-of-bounds kernel read) the instance is replaced and the next call works', () => {
    lib.initSync({ maximumMemory: 8 * 1024 * 1024 });
    const w = wasm<{ ck_inet_sum(p: number, n: number, i: number): number }>();
    expect(() => guard(() => w.ck_inet_sum(0xfffffff0, 4096, 0))).toThrow(expect.objectContaining({ code: 'WASM_TRAP', name: 'RuntimeError' }));
    expect(lib.crc32('123456789')).toBe(0xcbf43926);
    expect(lib.runtimeInfo().liveAllocations).toBe(0);
  });

  test('init with a precompiled module (build chosen by the caller)', async () => {
    const module = await WebAssembly.compile(lib.wasmBytes('baseline') as BufferSource);
    await lib.init({ module, build: 'baseline' });
    expect(lib.runtimeInfo().build).toBe('baseline');
    expect(lib.crc32c('123456789')).toBe(0xe3069283);
    expect(lib.internetChecksum(new Uint8Array([0, 1, 0xf2, 3, 0xf4, 0xf5, 0xf6, 0xf7]))).toBe(0x220d);
  });

  test('bad options are InvalidArgumentErrors naming the option, thrown before anything changes', () => {
    lib.initSync({ maximumMemory: 8 * 1024 * 1024 });
    const keep = lib.alloc(4);
    const bad: Array<[lib.InitOptions, string]> = [
      [{ maximumMemory: 100 }, 'maximumMemory'],
      [{ maximumMemory: 2 ** 32 }, 'maximumMemory'],
      [{ initialMemory: Number.NaN }, 'initialMemory'],
      [{ initialMemory: -5 }, 'initialMemory'],
      [{ initialMemory: 64 * 1024 * 1024, maximumMemory: 1024 * 1024 }, 'initialMemory'],
      [{ build: 'bogus' as never }, 'build'],
      [{ build: 'threads' }, 'build'],
      [{ scratch: new Uint8Array(16) }, 'scratch'],
      [{ attach: true }, 'attach'],
      [{ memory: {} as never }, 'memory'],
    ];
    for (const [o, field] of bad) {
      let err: unknown;
      try {
        lib.initSync(o);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(o)).toBeInstanceOf(lib.InvalidArgumentError);
      expect((err as lib.WirekitError).field).toBe(field);
    }
    expect(() => lib.alloc(-1)).toThrow(expect.objectContaining({ field: 'byteLength' }));
    lib.free(keep); // still the same instance: nothing was replaced by a failed init
  });

  test('errors are WirekitErrors; the range error is also a RangeError', () => {
    const e = new lib.WirekitRangeError('x', { field: 'value' });
    expect(e).toBeInstanceOf(RangeError);
    expect(e).toBeInstanceOf(lib.WirekitError);
    expect(new lib.TruncatedError('t')).toBeInstanceOf(lib.WirekitError);
    expect(new lib.TruncatedError('t')).not.toBeInstanceOf(lib.MalformedError);
    expect(new Error('plain')).not.toBeInstanceOf(lib.WirekitError);
    expect(() => lib.decodeVarint(Uint8Array.of(0xc0, 0x20, 0, 0, 0, 0, 0, 0))).toThrow(RangeError);
  });
});

describe('the view rule with growable memory (review findings)', () => {
  test('codec calls do not grow memory: scratch is reserved at init', () => {
    lib.initSync({ initialMemory: 1024 * 1024, maximumMemory: 64 * 1024 * 1024 });
    const v = lib.alloc(9);
    const before = lib.runtimeInfo().memoryBytes;
    lib.decodeVarints(new Uint8Array(100));
    lib.crc32(new Uint8Array(200_000));
    expect(lib.runtimeInfo().memoryBytes).toBe(before);
    expect(v.length).toBe(9);
  });

  test('subarrays and other typed arrays detached by growth are DETACHED_VIEW errors, never empty reads', () => {
    lib.initSync({ initialMemory: 1024 * 1024, maximumMemory: 64 * 1024 * 1024 });
    const v = lib.alloc(64);
    const sub = v.subarray(8, 16);
    const f64 = new Float64Array(v.buffer, v.byteOffset, 8);
    lib.alloc(8 * 1024 * 1024); // grows
    expect(() => lib.crc32(sub)).toThrow(expect.objectContaining({ code: 'DETACHED_VIEW' }));
    expect(() => lib.internetChecksum(sub)).toThrow(expect.objectContaining({ code: 'DETACHED_VIEW' }));
    expect(() => lib.decodeVarints(sub)).toThrow(expect.objectContaining({ code: 'DETACHED_VIEW' }));
    expect(() => lib.encodeVarints(f64)).toThrow(expect.objectContaining({ code: 'DETACHED_VIEW' }));
  });
});

describe('attached instances', () => {
  test('an attached instance reads small views of the shared memory in place, and rejects scratch outside it', async () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 256, shared: true });
    lib.initSync({ memory });
    const v = lib.alloc(9);
    v.set(new TextEncoder().encode('123456789'));
    const scratchRegion = lib.alloc(4096);
    const code = `
      const { parentPort, workerData: d } = require('node:worker_threads');
      const lib = require(d.dist);
      const out = {};
      try { lib.initSync({ memory: d.memory, attach: true, scratch: new Uint8Array(4096) }); } catch (e) { out.badScratch = e.field; }
      try { lib.initSync({ memory: d.memory, attach: true, scratch: new Uint8Array(d.memory.buffer, 0, 4096) }); } catch (e) { out.lowScratch = e.field; }
      lib.initSync({ memory: d.memory, attach: true });
      out.inPlace = lib.crc32(new Uint8Array(d.memory.buffer, d.ptr, 9));
      lib.initSync({ memory: d.memory, attach: true, scratch: new Uint8Array(d.memory.buffer, d.scratch, 4096) });
      out.copied = lib.crc32c(new TextEncoder().encode('123456789'));
      parentPort.postMessage(out);`;
    const out = await new Promise<Record<string, unknown>>((res, rej) => {
      const w = new Worker(code, { eval: true, workerData: { dist, memory, ptr: v.byteOffset, scratch: scratchRegion.byteOffset } });
      w.once('message', (m) => {
        res(m);
        void w.terminate();
      });
      w.once('error', rej);
    });
    expect(out).toEqual({ badScratch: 'scratch', lowScratch: 'scratch', inPlace: 0xcbf43926, copied: 0xe3069283 });
    expect(lib.crc32('123456789')).toBe(0xcbf43926); // the owner's tables are intact
  });
});

test('stateful codecs made on a replaced instance fail clearly instead of using stale memory', () => {
  lib.initSync({ maximumMemory: 16 * 1024 * 1024 });
  const dec = new lib.HpackDecoder();
  const enc = new lib.HpackEncoder();
  expect(dec.decode(enc.encode([{ name: ':method', value: 'GET' }]))).toEqual([{ name: ':method', value: 'GET', sensitive: false }]);
  lib.initSync({ maximumMemory: 16 * 1024 * 1024 }); // replaces the instance
  expect(() => dec.decode(Uint8Array.of(0x82))).toThrow(expect.objectContaining({ code: 'NOT_INITIALIZED', field: 'this' }));
  expect(() => enc.encode([])).toThrow(expect.objectContaining({ code: 'NOT_INITIALIZED' }));
  expect(new lib.HpackDecoder().decode(Uint8Array.of(0x82))).toEqual([{ name: ':method', value: 'GET', sensitive: false }]);
});
