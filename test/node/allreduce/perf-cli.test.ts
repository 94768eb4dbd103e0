// `wirekit allreduce-perf` (dist/cli.cjs, built by `npm test` first): N worker threads over one
// shared Wasm memory print nccl-tests' all_reduce_perf table with #wrong = 0.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseSize } from '../../../src/cli/allreduce-perf.js';

const cli = resolve(__dirname, '../../../dist/cli.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'allreduce-perf', ...args], { encoding: 'utf8', timeout: 120_000 });

/** Data rows: 13 columns (size count type redop root, then time algbw busbw #wrong twice). */
function rows(stdout: string): string[][] {
  return stdout.split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.trim().split(/\s+/));
}

describe('allreduce-perf', () => {
  test.each([
    ['3', 'float', 'sum', 4, 8],
    ['8', 'half', 'avg', 2, 8], // 8 threads on a 2-core machine: oversubscribed
    ['5', 'int64', 'max', 8, 8],
  ] as const)('-g %s -d %s -o %s: nccl-tests table, one row per size, #wrong 0 out-of-place and in-place', (g, d, o, esize, minBytes) => {
    const r = run('-b', String(minBytes), '-e', '64K', '-f', '4', '-g', g, '-n', '2', '-w', '1', '-d', d, '-o', o);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`# nThread 1 nGpus ${g} minBytes ${minBytes} maxBytes 65536 step: 4(factor) warmup iters: 1 iters: 2 agg iters: 1 validation: 1 graph: 0`);
    expect(lines.filter((l) => /^#  Rank +\d+ Group  0 Pid/.test(l))).toHaveLength(Number(g));
    expect(r.stdout).toMatch(/^# +out-of-place +in-place/m);
    expect(r.stdout).toMatch(/^# +size +count +type +redop +root +time +algbw +busbw +#wrong +time +algbw +busbw +#wrong$/m);
    const table = rows(r.stdout);
    const sizes = [8, 32, 128, 512, 2048, 8192, 32768];
    expect(table.map((c) => Number(c[0]))).toEqual(sizes.map((s) => Math.floor(s / esize) * esize));
    for (const c of table) {
      expect(c).toHaveLength(13);
      expect(Number(c[1])).toBe(Number(c[0]) / esize);
      expect([c[2], c[3], c[4]]).toEqual([d, o, '-1']);
      expect([c[8], c[12]]).toEqual(['0', '0']);
      for (const i of [5, 6, 7, 9, 10, 11]) expect(Number.isFinite(Number(c[i]))).toBe(true);
    }
    expect(r.stdout).toMatch(/^# Out of bounds values : 0 OK$/m);
    expect(r.stdout).toMatch(/^# Avg bus bandwidth    : [\d.e+-]+ $/m);
  }, 120_000);

  test('bad options: typed error naming the option, exit code 1', () => {
    for (const [args, field] of [[['-g', '0'], 'ngpus'], [['-d', 'fp8'], 'datatype'], [['-o', 'avg', '-d', 'int32'], 'op'], [['-b', '1X'], 'minbytes']] as const) {
      const r = run('-b', '8', '-e', '1K', ...args);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^wirekit: InvalidArgumentError INVALID_ARGUMENT: /);
      expect(r.stderr).toContain(field);
    }
  });

  test('sizes parse as nccl-tests does (powers of 1024)', () => {
    expect([parseSize('8', 'b'), parseSize('64K', 'b'), parseSize('128M', 'b'), parseSize('1G', 'b')]).toEqual([8, 65536, 128 * 2 ** 20, 2 ** 30]);
    expect(() => parseSize('12Q', 'maxbytes')).toThrow(expect.objectContaining({ field: 'maxbytes' }));
  });
});
