// The wirekit CLI as a user runs it (dist/cli.cjs), checked against live peers and RFC values.
import { describe, expect, test } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32c as nodeRsCrc32c } from '@node-rs/crc32';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const cli = resolve(__dirname, '../../dist/cli.cjs');
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('wirekit checksum', () => {
  test('CRC-32 / CRC-32C of a 1 MiB + 1 file match node:zlib and @node-rs/crc32; the RFC 1071 sum verifies', () => {
    const data = new Uint8Array(1024 * 1024 + 1).map((_, i) => (i * 7919) & 0xff);
    const file = join(mkdtempSync(join(tmpdir(), 'wk-')), 'data.bin');
    writeFileSync(file, data);
    const r = JSON.parse(run('checksum', '--json', file));
    expect(r.crc32).toBe(zlibCrc32(data));
    expect(r.crc32c).toBe(nodeRsCrc32c(Buffer.from(data)));
    expect(r.bytes).toBe(data.length);
    // Appending the checksum (at an even offset, after a zero pad byte) makes the sum 0xffff.
    const padded = new Uint8Array(data.length + 3);
    padded.set(data);
    padded[data.length + 1] = r.internetChecksum >> 8;
    padded[data.length + 2] = r.internetChecksum & 0xff;
    let s = 0;
    for (let i = 0; i + 1 < padded.length; i += 2) s += (padded[i]! << 8) | padded[i + 1]!;
    if (padded.length % 2) s += padded[padded.length - 1]! << 8;
    while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
    expect(s).toBe(0xffff);
  });
});

describe('wirekit varint', () => {
  test('decodes the RFC 9000 A.1 samples in one string', () => {
    expect(run('varint', 'c2197c5eff14e88c 9d7f3e7d 7bbd 25 4025')).toBe(
      'c2197c5eff14e88c\t151288809941952652\tlength=8\n9d7f3e7d\t494878333\tlength=4\n7bbd\t15293\tlength=2\n25\t37\tlength=1\n4025\t37\tlength=2\tnon-minimal\n',
    );
  });
  test('encodes', () => {
    expect(run('varint', '--encode', '151288809941952652', '37')).toBe('c2197c5eff14e88c\t151288809941952652\tlength=8\n25\t37\tlength=1\n');
  });
  test('a truncated varint is a typed error on stderr and exit code 1', () => {
    const r = spawnSync(process.execPath, [cli, 'varint', '80 00 00'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('wirekit: TruncatedError TRUNCATED: varint at offset 0 needs 4 bytes, 3 available\n');
  });
});

test('wirekit demo runs on its built-in input', () => {
  const out = run('demo');
  expect(out).toContain('= 0xcbf43926');
  expect(out).toContain('= 0xb861');
  expect(out).toContain('151288809941952652');
  expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
});
