import type { Command } from 'commander';
import { decodeVarintBig, encodeVarint } from '../quic/varint.js';
import { InvalidArgumentError } from '../runtime/errors.js';

/** `wirekit varint HEX...`: decode QUIC varints (RFC 9000 §16); `--encode N...` encodes. */
export function varintCommand(program: Command): void {
  program
    .command('varint')
    .description('decode QUIC variable-length integers from hex (all varints in the string, in order), or encode with --encode')
    .argument('<values...>', 'hex bytes (spaces/colons allowed), or decimal values with --encode')
    .option('--encode', 'encode the decimal values instead')
    .option('--json', 'print JSON')
    .action((values: string[], opts: { encode?: boolean; json?: boolean }) => {
      const rows = opts.encode ? values.map(encodeRow) : decodeAll(values.join(''));
      if (opts.json) process.stdout.write(JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
      else for (const r of rows) process.stdout.write(`${r.hex}\t${r.value}\tlength=${r.length}${r.minimal ? '' : '\tnon-minimal'}\n`);
    });
}

function hexOf(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function encodeRow(v: string) {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`not a decimal integer: ${v}`, { field: 'values' });
  const bytes = encodeVarint(BigInt(v));
  return { hex: hexOf(bytes), value: BigInt(v), length: bytes.length, minimal: true };
}

function decodeAll(text: string) {
  const clean = text.replace(/[\s:]/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new InvalidArgumentError(`not hex bytes: ${text}`, { field: 'values' });
  const bytes = Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
  const rows = [];
  for (let off = 0; off < bytes.length; ) {
    const d = decodeVarintBig(bytes, off);
    rows.push({ hex: hexOf(bytes.subarray(off, off + d.length)), value: d.value, length: d.length, minimal: d.minimal });
    off += d.length;
  }
  return rows;
}
