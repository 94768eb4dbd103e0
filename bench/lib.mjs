// Shared bench helpers: tinybench suites where every task body runs `reps` calls so the
// per-iteration timer overhead (tens of ns) is amortised; results as ns per call, GB/s and
// ratios against the best peer measured in the same process.
import { Bench } from 'tinybench';
import { createRequire } from 'node:module';
import os from 'node:os';

const peerRequire = createRequire(new URL('./peers/', import.meta.url));

/** A native bench-only peer from bench/peers (npm run bench:peers), or null if not installed. */
export function nativePeer(name) {
  try {
    return peerRequire(name);
  } catch {
    return null;
  }
}

export let sink = 0;

/**
 * Runs one comparison. `cases` = [{ impl, size, peer: boolean, fn: () => number, bytes? }]:
 * every case of one size runs interleaved in one Bench. Returns rows with ns/call and GB/s.
 */
export async function compare(title, cases, { time = 400, warmupTime = 150 } = {}) {
  const rows = [];
  const sizes = [...new Set(cases.map((c) => c.size))];
  for (const size of sizes) {
    const group = cases.filter((c) => c.size === size);
    const bench = new Bench({ time, warmupTime, warmupIterations: 10, iterations: 20 });
    for (const c of group) {
      // Calibrate: enough calls per iteration for ~20 µs of work.
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < 5) (sink ^= c.fn()), n++;
      const perCall = 5e6 / n; // ns
      const reps = Math.max(1, Math.round(20_000 / perCall));
      c.reps = reps;
      bench.add(`${c.impl} @ ${size}`, () => {
        let s = 0;
        for (let i = 0; i < reps; i++) s ^= c.fn();
        sink ^= s;
      });
    }
    await bench.run();
    for (const c of group) {
      const t = bench.getTask(`${c.impl} @ ${size}`);
      const ns = (t.result.latency.p50 * 1e6) / c.reps;
      rows.push({ title, impl: c.impl, size, peer: !!c.peer, ns, gbs: c.bytes ? c.bytes / ns : undefined, unit: c.unit });
    }
  }
  for (const size of sizes) {
    const group = rows.filter((r) => r.size === size);
    const best = Math.min(...group.filter((r) => r.peer).map((r) => r.ns));
    for (const r of group) r.ratio = best / r.ns; // > 1: faster than the best peer
  }
  return rows;
}

export function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, V8 ${process.versions.v8}`;
}

/** Markdown table: one row per implementation, one column per size, "GB/s (ratio×)". */
export function table(rows, { metric = 'gbs' } = {}) {
  const sizes = [...new Set(rows.map((r) => r.size))];
  const impls = [...new Set(rows.map((r) => r.impl))];
  let out = `| implementation | ${sizes.join(' | ')} |\n|---|${sizes.map(() => '---:').join('|')}|\n`;
  for (const impl of impls) {
    const cells = sizes.map((s) => {
      const r = rows.find((x) => x.impl === impl && x.size === s);
      if (!r) return '';
      const v = metric === 'gbs' && r.gbs !== undefined ? `${r.gbs.toFixed(2)} GB/s` : `${r.ns.toFixed(r.ns < 10 ? 2 : 1)} ns`;
      return `${v} (${r.ratio.toFixed(2)}×)`;
    });
    out += `| ${impl}${rows.find((r) => r.impl === impl)?.peer ? ' *(peer)*' : ''} | ${cells.join(' | ')} |\n`;
  }
  return out;
}
