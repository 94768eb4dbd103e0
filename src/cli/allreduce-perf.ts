/**
 * `wirekit allreduce-perf -b 8 -e 128M -f 2 -g N`: nccl-tests' all_reduce_perf, with N
 * worker_threads as the ranks and ONE shared WebAssembly.Memory as the "devices".
 *
 * The owner (main thread) creates the shared memory, allocates every rank's send buffer,
 * receive buffer and inbox in it, and starts N workers that attach to it
 * (`initSync({ memory, attach: true })`). Each worker walks its ringSchedule (schedule.ts)
 * step by step: a send copies the block into the receiver's inbox (memmove inside the shared
 * memory: the data movement), a receive reduces the inbox into the local block with the Wasm
 * kernel (`reduce`, zero-copy: both are views into linear memory) or copies it (all-gather).
 *
 * Synchronisation: one Int32 state word per inbox, in a separate SharedArrayBuffer:
 * 0 = idle, s+1 = armed by its owner for a message from rank s, -1 = full. The receiver arms
 * its inbox at the start of a step, the named sender waits (Atomics.wait) for that, copies,
 * stores -1 and notifies; the receiver waits for -1, consumes, stores 0. Matching by sender
 * makes Open MPI's recursive-doubling fallback (count < N) safe as well as the ring.
 *
 * Output: nccl-tests' table (size, count, type, redop, root, time, algbw, busbw, #wrong for
 * out-of-place and in-place) and its footer. Time is the mean over ranks of each rank's mean
 * iteration time; algbw = bytes / time; busbw = algbw * 2(N-1)/N (nccl-tests PERFORMANCE.md).
 * #wrong: elements (summed over ranks) differing from the exact expected bits after a fresh
 * run; inputs are small integers (rank r, element i: V[(i + r) mod 4]) so every association
 * order gives the same exact result; avg then divides once by N.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import type { Command } from 'commander';
import { alloc, initSync } from '../runtime/core.js';
import { InvalidArgumentError } from '../runtime/errors.js';
import { type Scheme, SCHEMES } from '../allreduce/partition.js';
import { ringSchedule } from '../allreduce/schedule.js';
import { type DType, type ReduceOp, type ReducibleArray, reduceIntoReference } from '../allreduce/reduce.js';
import { reduce } from '../allreduce/kernels.js';
import { busBandwidthFactor } from '../allreduce/cost.js';
import { numberToBfloat16, numberToFloat16 } from '../allreduce/half.js';

/** nccl-tests type names -> dtype and element size. */
const TYPES: Record<string, [DType, number]> = {
  float: ['float32', 4], double: ['float64', 8], int32: ['int32', 4], uint32: ['uint32', 4],
  int64: ['int64', 8], half: ['float16', 2], bfloat16: ['bfloat16', 2],
};
const OPS: ReduceOp[] = ['sum', 'prod', 'max', 'min', 'avg'];
/** Per-op input values V[(i + r) mod 4]: small integers, exact in every dtype and order. */
const VALUES: Record<ReduceOp, number[]> = { sum: [-1, 0, 1, 2], prod: [1, -1, 2, 1], max: [3, -2, 5, 0], min: [3, -2, 5, 0], avg: [-1, 0, 1, 2] };
const WORKER_TAG = 'wirekit:allreduce-perf';

export interface PerfOptions {
  minBytes: number; maxBytes: number; stepFactor: number; ranks: number;
  iters: number; warmup: number; check: boolean; op: ReduceOp; type: string; scheme: Scheme;
}

interface Shared {
  tag: string; memory: WebAssembly.Memory; ctl: SharedArrayBuffer; rank: number; ranks: number;
  send: number[]; recv: number[]; inbox: number[]; dtype: DType; esize: number; op: ReduceOp; scheme: Scheme;
}
interface RunCmd { count: number; iters: number; warmup: number; inPlace: boolean; check: boolean }
interface RunResult { us: number; wrong: number }

/** Parses nccl-tests sizes: "8", "64K", "128M", "1G" (powers of 1024). */
export function parseSize(s: string, field: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)$/.exec(String(s).trim());
  if (!m) throw new InvalidArgumentError(`${field} must be a size like 8, 64K, 128M or 1G, got ${s}`, { field });
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * unit);
}

function typedView(dtype: DType, buf: ArrayBufferLike, byteOffset: number, count: number): ReducibleArray {
  switch (dtype) {
    case 'float32': return new Float32Array(buf, byteOffset, count);
    case 'float64': return new Float64Array(buf, byteOffset, count);
    case 'int32': return new Int32Array(buf, byteOffset, count);
    case 'uint32': return new Uint32Array(buf, byteOffset, count);
    case 'int64': return new BigInt64Array(buf, byteOffset, count);
    default: return new Uint16Array(buf, byteOffset, count);
  }
}

/** Rank `rank`'s input: element i = V[(i + rank) mod 4] in the dtype. */
function fill(a: ReducibleArray, dtype: DType, op: ReduceOp, rank: number): void {
  const enc = encoder(dtype);
  const v = VALUES[op].map(enc);
  for (let i = 0; i < a.length; i++) (a as unknown as unknown[])[i] = v[(i + rank) & 3];
}

function encoder(dtype: DType): (x: number) => number | bigint {
  if (dtype === 'int64') return BigInt;
  if (dtype === 'float16') return numberToFloat16; // small integers: exact
  if (dtype === 'bfloat16') return numberToBfloat16;
  return (x) => x;
}

/** Expected result bits per residue i mod 4, via the reference (exact: small integers). */
function expected(dtype: DType, op: ReduceOp, ranks: number): ReducibleArray {
  const mk = () => typedView(dtype, new ArrayBuffer(32), 0, 4);
  const half = dtype === 'float16' || dtype === 'bfloat16' ? { dtype } : {};
  const acc = mk();
  fill(acc, dtype, op, 0);
  const stepOp = op === 'avg' ? 'sum' : op;
  for (let r = 1; r < ranks; r++) {
    const x = mk();
    fill(x, dtype, op, r);
    reduceIntoReference(stepOp, acc, x, half);
  }
  if (op === 'avg' && ranks > 1) {
    const negZero = mk();
    (negZero as Float32Array).fill(-0);
    if ('dtype' in half) (negZero as Uint16Array).fill(0x8000);
    reduceIntoReference('avg', acc, negZero, { ...half, ranks });
  }
  return acc;
}

// ---- worker side ---------------------------------------------------------------------

function waitFor(st: Int32Array, i: number, want: number): void {
  for (let v = Atomics.load(st, i); v !== want; v = Atomics.load(st, i)) Atomics.wait(st, i, v, 1000);
}
function put(st: Int32Array, i: number, v: number): void {
  Atomics.store(st, i, v);
  Atomics.notify(st, i);
}

/** Sense-reversing barrier over words [base, base+1] (count, generation). */
function barrier(st: Int32Array, base: number, n: number): void {
  const gen = Atomics.load(st, base + 1);
  if (Atomics.add(st, base, 1) === n - 1) {
    Atomics.store(st, base, 0);
    put(st, base + 1, gen + 1);
  } else waitFor(st, base + 1, gen + 1);
}

function workerMain(w: Shared): void {
  initSync({ memory: w.memory, attach: true });
  const st = new Int32Array(w.ctl);
  const BAR = w.ranks; // words [0, N) inbox states, [N, N+2) barrier
  const buf = w.memory.buffer;
  const u8 = new Uint8Array(buf);
  const half = w.dtype === 'float16' || w.dtype === 'bfloat16' ? { dtype: w.dtype as 'float16' | 'bfloat16' } : {};
  const me = w.rank;
  const e = w.esize;

  const allreduce = (count: number, base: number): void => {
    const sched = ringSchedule(me, w.ranks, count, { scheme: w.scheme, elementSize: e });
    const N = w.ranks;
    for (const s of sched.steps) {
      const recv = s.recvFrom >= 0 && s.recvCount > 0;
      if (recv) put(st, me, s.recvFrom + 1); // arm my inbox for this sender
      if (s.sendTo >= 0 && s.sendCount > 0) {
        waitFor(st, s.sendTo, me + 1);
        const from = base + s.sendOffset * e;
        u8.copyWithin(w.inbox[s.sendTo]!, from, from + s.sendCount * e);
        put(st, s.sendTo, -1);
      }
      if (recv) {
        waitFor(st, me, -1);
        const target = typedView(w.dtype, buf, base + s.recvOffset * e, s.recvCount);
        const msg = typedView(w.dtype, buf, w.inbox[me]!, s.recvCount);
        if (!s.reduces) target.set(msg as never);
        else if (w.op !== 'avg') reduce(w.op, target, msg, half);
        // avg: sum, except the reduce-scatter step that completes a block, which divides by N once.
        else if (sched.algorithm === 'ring' && s.step === N - 2) reduce('avg', target, msg, { ...half, ranks: N });
        else reduce('sum', target, msg, half);
        put(st, me, 0);
      }
    }
    if (w.op === 'avg' && sched.algorithm === 'recursive-doubling') {
      const a = typedView(w.dtype, buf, base, count);
      const negZero = typedView(w.dtype, buf, w.inbox[me]!, count);
      if ('dtype' in half) (negZero as Uint16Array).fill(0x8000);
      else (negZero as Float32Array).fill(-0);
      reduce('avg', a, negZero, { ...half, ranks: N }); // (x + -0) / N = x / N, every x
    }
  };

  const run = (c: RunCmd): RunResult => {
    const bytes = c.count * e;
    const send = typedView(w.dtype, buf, w.send[me]!, c.count);
    const recvBase = c.inPlace ? w.send[me]! : w.recv[me]!;
    const recvView = typedView(w.dtype, buf, recvBase, c.count);
    const once = () => {
      if (!c.inPlace) u8.copyWithin(w.recv[me]!, w.send[me]!, w.send[me]! + bytes);
      allreduce(c.count, recvBase);
    };
    fill(send, w.dtype, w.op, me);
    for (let i = 0; i < c.warmup; i++) once();
    barrier(st, BAR, w.ranks);
    const t0 = performance.now();
    for (let i = 0; i < c.iters; i++) once();
    const us = ((performance.now() - t0) * 1000) / Math.max(1, c.iters);
    let wrong = 0;
    if (c.check) {
      fill(send, w.dtype, w.op, me);
      barrier(st, BAR, w.ranks);
      once();
      const want = expected(w.dtype, w.op, w.ranks) as unknown as ArrayLike<number>;
      const got = recvView as unknown as ArrayLike<number>;
      for (let i = 0; i < c.count; i++) if (!Object.is(got[i], want[i & 3])) wrong++;
    }
    barrier(st, BAR, w.ranks);
    return { us, wrong };
  };

  parentPort!.on('message', (c: RunCmd | 'exit') => {
    if (c === 'exit') process.exit(0);
    parentPort!.postMessage(run(c));
  });
  parentPort!.postMessage('ready');
}

/** Call at the top of the CLI entry: runs the worker loop and returns true inside a perf worker. */
export function runIfAllreduceWorker(): boolean {
  if (isMainThread || (workerData as Shared | undefined)?.tag !== WORKER_TAG) return false;
  workerMain(workerData as Shared);
  return true;
}

// ---- main thread ---------------------------------------------------------------------

/** nccl-tests' time column: %7.0f from 10 ms, %7.1f from 100 us, else %7.2f (us). */
function timeStr(us: number): string {
  return us >= 10000 ? us.toFixed(0).padStart(7) : us >= 100 ? us.toFixed(1).padStart(7) : us.toFixed(2).padStart(7);
}

function checkOptions(o: PerfOptions): void {
  const int = (v: number, field: string, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new InvalidArgumentError(`${field} must be an integer in [${min}, ${max}], got ${v}`, { field });
  };
  int(o.ranks, 'ngpus', 1, 64);
  int(o.minBytes, 'minbytes', 0, 2 ** 30);
  int(o.maxBytes, 'maxbytes', o.minBytes, 2 ** 30);
  int(o.stepFactor, 'stepfactor', 2, 1024);
  int(o.iters, 'iters', 1, 1e6);
  int(o.warmup, 'warmup_iters', 0, 1e6);
  if (!(o.type in TYPES)) throw new InvalidArgumentError(`datatype must be one of ${Object.keys(TYPES).join(', ')}, got ${o.type}`, { field: 'datatype' });
  if (!OPS.includes(o.op)) throw new InvalidArgumentError(`op must be one of ${OPS.join(', ')}, got ${o.op}`, { field: 'op' });
  const dt = TYPES[o.type]![0];
  if (o.op === 'avg' && (dt === 'int32' || dt === 'uint32' || dt === 'int64')) {
    throw new InvalidArgumentError(`op avg needs a float datatype, got ${o.type}`, { field: 'op' });
  }
  if (!SCHEMES.includes(o.scheme)) throw new InvalidArgumentError(`scheme must be one of ${SCHEMES.join(', ')}, got ${o.scheme}`, { field: 'scheme' });
}

/**
 * Runs the benchmark and writes nccl-tests' report through `out`. Resolves to the number
 * of wrong elements summed over every size and mode (0 = all correct).
 * @throws InvalidArgumentError (`ngpus`, `minbytes`, `maxbytes`, `stepfactor`, `datatype`, `op`, ...)
 */
export async function allReducePerf(o: PerfOptions, out: (line: string) => void): Promise<number> {
  checkOptions(o);
  const [dtype, esize] = TYPES[o.type]!;
  const N = o.ranks;
  const maxCount = Math.floor(o.maxBytes / esize);
  const maxBytes = maxCount * esize;
  const inboxBytes = Math.max(64, Math.ceil(maxCount / N) * esize + 64) + 8 * esize * N;
  const need = N * (2 * maxBytes + inboxBytes + 64) + (4 << 20);
  const pages = Math.ceil(need / 65536);
  if (pages > 65536) {
    throw new InvalidArgumentError(`-e ${o.maxBytes} with -g ${N} needs ${need} bytes of shared memory, more than Wasm's 4 GiB`, { field: 'maxbytes' });
  }
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  initSync({ memory });
  const addr = (n: number) => alloc(n).byteOffset;
  const send = Array.from({ length: N }, () => addr(maxBytes));
  const recv = Array.from({ length: N }, () => addr(maxBytes));
  const inbox = Array.from({ length: N }, () => addr(inboxBytes));
  const ctl = new SharedArrayBuffer(4 * (N + 2));
  const self = fileURLToPath(import.meta.url);
  const workers = send.map((_, rank) => {
    const data: Shared = { tag: WORKER_TAG, memory, ctl, rank, ranks: N, send, recv, inbox, dtype, esize, op: o.op, scheme: o.scheme };
    return new Worker(self, { workerData: data });
  });
  const next = (w: Worker) =>
    new Promise<unknown>((res, rej) => {
      const onErr = (e: Error) => rej(e);
      w.once('error', onErr);
      w.once('message', (m) => {
        w.off('error', onErr);
        res(m);
      });
    });
  try {
    await Promise.all(workers.map(next)); // 'ready'
    out(`# nThread 1 nGpus ${N} minBytes ${o.minBytes} maxBytes ${o.maxBytes} step: ${o.stepFactor}(factor) warmup iters: ${o.warmup} iters: ${o.iters} agg iters: 1 validation: ${o.check ? 1 : 0} graph: 0`);
    out('#');
    out('# Using devices');
    for (let r = 0; r < N; r++) {
      out(`#  Rank ${String(r).padStart(2)} Group  0 Pid ${String(process.pid).padStart(6)} on ${os.hostname().slice(0, 10).padStart(10)} device ${String(r).padStart(2)} [worker_thread] wirekit Wasm threads build, shared memory`);
    }
    out('#');
    const f = (a: string[]) => a.map((s, i) => (i < 5 ? s.padStart([10, 12, 8, 6, 6][i]!) : s)).join('  ');
    out(`# ${f(['', '', '', '', ''])}           out-of-place                       in-place          `);
    out(`# ${f(['size', 'count', 'type', 'redop', 'root'])}  ${'time'.padStart(7)}  ${'algbw'.padStart(6)}  ${'busbw'.padStart(6)} #wrong  ${'time'.padStart(7)}  ${'algbw'.padStart(6)}  ${'busbw'.padStart(6)} #wrong`);
    out(`# ${f(['(B)', '(elements)', '', '', ''])}  ${'(us)'.padStart(7)}  ${'(GB/s)'.padStart(6)}  ${'(GB/s)'.padStart(6)}         ${'(us)'.padStart(7)}  ${'(GB/s)'.padStart(6)}  ${'(GB/s)'.padStart(6)}       `);
    let totalWrong = 0;
    let bwSum = 0;
    let bwCount = 0;
    for (let size = o.minBytes; size <= o.maxBytes; size = Math.max(size * o.stepFactor, size + 1)) {
      const count = Math.floor(size / esize);
      const bytes = count * esize;
      let line = `${String(bytes).padStart(12)}  ${String(count).padStart(12)}  ${o.type.padStart(8)}  ${o.op.padStart(6)}  ${String(-1).padStart(6)}`;
      for (const inPlace of [false, true]) {
        const cmd: RunCmd = { count, iters: o.iters, warmup: o.warmup, inPlace, check: o.check };
        const res = (await Promise.all(workers.map((w) => (w.postMessage(cmd), next(w))))) as RunResult[];
        const us = res.reduce((a, r) => a + r.us, 0) / N;
        const wrong = res.reduce((a, r) => a + r.wrong, 0);
        const algbw = us > 0 ? bytes / (us * 1000) : 0; // GB/s = bytes / ns
        const busbw = algbw * busBandwidthFactor(N, 'allreduce');
        bwSum += busbw;
        bwCount++;
        totalWrong += wrong;
        line += `  ${timeStr(us)}  ${algbw.toFixed(2).padStart(6)}  ${busbw.toFixed(2).padStart(6)}  ${o.check ? String(wrong).padStart(5) : '  N/A'}`;
      }
      out(line);
      if (size === 0) break;
    }
    out(`# Out of bounds values : ${totalWrong} ${totalWrong ? 'FAILED' : 'OK'}`);
    out(`# Avg bus bandwidth    : ${Number((bwSum / Math.max(1, bwCount)).toPrecision(6))} `);
    out('#');
    return totalWrong;
  } finally {
    for (const w of workers) w.postMessage('exit');
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Registers `wirekit allreduce-perf` (nccl-tests all_reduce_perf options). */
export function allreducePerfCommand(program: Command): void {
  program
    .command('allreduce-perf')
    .description('ring allreduce among N worker threads over one shared Wasm memory; nccl-tests all_reduce_perf output')
    .option('-b, --minbytes <size>', 'smallest buffer (8, 64K, 128M, 1G)', '32M')
    .option('-e, --maxbytes <size>', 'largest buffer', '32M')
    .option('-f, --stepfactor <n>', 'multiply the size by this between rows', '2')
    .option('-g, --ngpus <n>', 'ranks (worker threads)', '1')
    .option('-n, --iters <n>', 'timed iterations per size', '20')
    .option('-w, --warmup_iters <n>', 'warmup iterations per size', '5')
    .option('-c, --check <0|1>', 'check results (#wrong)', '1')
    .option('-o, --op <op>', 'sum, prod, min, max, avg', 'sum')
    .option('-d, --datatype <type>', 'float, double, int32, uint32, int64, half, bfloat16', 'float')
    .option('--scheme <scheme>', 'block partition / ring order: ompi, mpich, nccl, gloo', 'ompi')
    .action(async (a: Record<string, string>) => {
      const num = (v: string | undefined, field: string) => {
        const n = Number(v);
        if (!Number.isInteger(n)) throw new InvalidArgumentError(`${field} must be an integer, got ${v}`, { field });
        return n;
      };
      const wrong = await allReducePerf(
        {
          minBytes: parseSize(a.minbytes!, 'minbytes'), maxBytes: parseSize(a.maxbytes!, 'maxbytes'),
          stepFactor: num(a.stepfactor, 'stepfactor'), ranks: num(a.ngpus, 'ngpus'), iters: num(a.iters, 'iters'),
          warmup: num(a.warmup_iters, 'warmup_iters'), check: a.check !== '0', op: a.op as ReduceOp, type: a.datatype!,
          scheme: a.scheme as Scheme,
        },
        (line) => process.stdout.write(line + '\n'),
      );
      if (wrong) process.exitCode = 1;
    });
}
