import type { Command } from 'commander';
import { crc32, crc32c, internetChecksum } from '../checksum/index.js';
import { runtimeInfo } from '../runtime/index.js';
import { decodeVarintBig } from '../quic/varint.js';

const RFC1071_IPV4_HEADER = '450000730000400040110000c0a80001c0a800c7';

/** `wirekit demo`: the codecs on built-in real input. */
export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('run the codecs on built-in real input')
    .action(() => {
      const info = runtimeInfo();
      const out: string[] = [];
      out.push(`wirekit demo — Wasm build: ${info.build}`);
      const check = new TextEncoder().encode('123456789');
      out.push(`CRC-32  ("123456789")  = 0x${crc32(check).toString(16)}   (IEEE check value cbf43926)`);
      out.push(`CRC-32C ("123456789")  = 0x${crc32c(check).toString(16)}   (RFC 3720 check value e3069283)`);
      const hdr = Uint8Array.from(RFC1071_IPV4_HEADER.match(/../g)!.map((h) => parseInt(h, 16)));
      out.push(`IPv4 header checksum of ${RFC1071_IPV4_HEADER} = 0x${internetChecksum(hdr).toString(16)} (expected b861)`);
      for (const hex of ['c2197c5eff14e88c', '9d7f3e7d', '7bbd', '25', '4025']) {
        const b = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
        const d = decodeVarintBig(b);
        out.push(`QUIC varint ${hex.padEnd(16)} = ${d.value} (${d.length} bytes${d.minimal ? '' : ', non-minimal'})   RFC 9000 A.1`);
      }
      process.stdout.write(out.join('\n') + '\n');
    });
}
