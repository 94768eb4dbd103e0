import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { Crc32Stream } from '../checksum/crc32.js';
import { onesComplementSum } from '../checksum/inet.js';

/** `wirekit checksum FILE...`: CRC-32, CRC-32C and the RFC 1071 checksum of files, streamed. */
export function checksumCommand(program: Command): void {
  program
    .command('checksum')
    .description('CRC-32, CRC-32C and RFC 1071 Internet checksum of files (streamed; "-" is stdin)')
    .argument('<files...>', 'files to read')
    .option('--json', 'print one JSON object per file')
    .action(async (files: string[], opts: { json?: boolean }) => {
      for (const file of files) {
        const r = await checksumFile(file);
        if (opts.json) process.stdout.write(JSON.stringify({ file, ...r }) + '\n');
        else process.stdout.write(`crc32=${hex8(r.crc32)} crc32c=${hex8(r.crc32c)} inet=${hex4(r.internetChecksum)} bytes=${r.bytes}  ${file}\n`);
      }
    });
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** Streams a file once, computing all three checksums. */
export async function checksumFile(file: string): Promise<{ bytes: number; crc32: number; crc32c: number; internetChecksum: number }> {
  const a = new Crc32Stream('crc32');
  const c = new Crc32Stream('crc32c');
  let sum = 0;
  let odd: number | undefined; // a byte carried over so every piece summed has even length
  const stream = file === '-' ? process.stdin : createReadStream(file);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    a.update(chunk);
    c.update(chunk);
    let piece: Uint8Array = chunk;
    if (odd !== undefined) {
      const joined = new Uint8Array(chunk.length + 1);
      joined[0] = odd;
      joined.set(chunk, 1);
      piece = joined;
      odd = undefined;
    }
    if (piece.length % 2 === 1) {
      odd = piece[piece.length - 1];
      piece = piece.subarray(0, piece.length - 1);
    }
    sum = onesComplementSum(piece, sum);
  }
  if (odd !== undefined) sum = onesComplementSum(Uint8Array.of(odd), sum);
  return { bytes: a.length, crc32: a.digest(), crc32c: c.digest(), internetChecksum: ~sum & 0xffff };
}
