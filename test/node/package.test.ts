// The published shape: the exports map resolves for Node ESM and CJS (self-reference by
// package name), both give the same results, dist has no top-level await, and the raw
// Wasm subpaths exist and compile.
import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

describe('package exports', () => {
  test("require('wirekit') resolves to the CJS build and works", () => {
    expect(node(['-e', "const w = require('wirekit'); console.log(require.resolve('wirekit'), w.crc32('123456789').toString(16))"])).toBe(
      `${root}/dist/index.cjs cbf43926`,
    );
  });
  test("import 'wirekit' resolves to the ESM build and works", () => {
    const out = node(['--input-type=module', '-e', "import { crc32c, init } from 'wirekit'; await init(); console.log(import.meta.resolve('wirekit'), crc32c('123456789').toString(16))"]);
    expect(out).toBe(`file://${root}/dist/index.js e3069283`);
  });
  test('the raw Wasm subpaths exist, compile, and match the inline builds', () => {
    const req = createRequire(`${root}/package.json`);
    for (const sub of ['codec.wasm', 'codec.simd.wasm', 'codec.threads.wasm']) {
      const bytes = readFileSync(req.resolve(`wirekit/${sub}`));
      expect(WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name)).toContain('rt_alloc');
    }
  });
  test('dist has no top-level await and the bin is executable JS', () => {
    for (const f of ['index.js', 'index.cjs']) expect(readFileSync(`${root}/dist/${f}`, 'utf8')).not.toMatch(/^await /m);
    expect(node(['dist/cli.cjs', '--version'])).toBe(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version);
  });
});
