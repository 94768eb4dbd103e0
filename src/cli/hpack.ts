/**
 * `wirekit hpack BLOCK...`: decodes HPACK header blocks given in hex, in order, through one
 * decoder (one connection direction, so dynamic-table references across blocks resolve).
 * `--encode name=value...` encodes one header list instead (`name=value`; a leading `!` marks a
 * field sensitive).
 */
import type { Command } from 'commander';
import { HpackDecoder } from '../hpack/decoder.js';
import { HpackEncoder, type HeaderInput } from '../hpack/encoder.js';
import { InvalidArgumentError } from '../runtime/errors.js';

interface Opts {
  encode?: boolean;
  json?: boolean;
  tableSize?: string;
  huffman?: 'auto' | 'always' | 'never';
}

export function hpackCommand(program: Command): void {
  program
    .command('hpack')
    .description('decode HPACK header blocks (hex, one argument per block, one shared context), or encode name=value fields with --encode')
    .argument('<items...>', 'hex header blocks, or name=value fields with --encode (prefix ! for never-indexed)')
    .option('--encode', 'encode the fields into one header block')
    .option('--table-size <octets>', 'SETTINGS_HEADER_TABLE_SIZE (default 4096)')
    .option('--huffman <mode>', "encoder Huffman mode: 'auto', 'always' or 'never'", 'auto')
    .option('--json', 'print JSON')
    .action((items: string[], opts: Opts) => {
      const maxTableSize = opts.tableSize === undefined ? 4096 : Number(opts.tableSize);
      if (opts.encode) {
        const enc = new HpackEncoder({ maxTableSize, huffman: opts.huffman ?? 'auto' });
        const fields: HeaderInput[] = items.map((it) => {
          const sensitive = it.startsWith('!');
          const body = sensitive ? it.slice(1) : it;
          const eq = body.indexOf('=', body.startsWith(':') ? 1 : 0);
          if (eq < 0) throw new InvalidArgumentError(`expected name=value, got ${it}`, { field: 'items' });
          return { name: body.slice(0, eq), value: body.slice(eq + 1), sensitive };
        });
        const hex = Array.from(enc.encode(fields), (b) => b.toString(16).padStart(2, '0')).join('');
        process.stdout.write(opts.json ? JSON.stringify({ hex, length: hex.length / 2 }) + '\n' : hex + '\n');
        return;
      }
      const dec = new HpackDecoder({ maxTableSize });
      const blocks = items.map((h, i) => {
        const clean = h.replace(/[\s:]/g, '');
        if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new InvalidArgumentError(`block ${i}: not hex`, { field: 'items' });
        return dec.decode(Uint8Array.from(clean.match(/../g) ?? [], (x) => parseInt(x, 16)));
      });
      if (opts.json) process.stdout.write(JSON.stringify({ blocks, table: dec.table(), tableSize: dec.tableSize }) + '\n');
      else {
        blocks.forEach((fields, i) => {
          if (blocks.length > 1) process.stdout.write(`# block ${i}\n`);
          for (const f of fields) process.stdout.write(`${f.name}: ${f.value}${f.sensitive ? '\t(never indexed)' : ''}\n`);
        });
      }
    });
}
