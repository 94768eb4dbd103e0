import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { crc32, crc32c, internetChecksum } from '../checksum/index.js';
import { runtimeInfo } from '../runtime/index.js';
import { decodeVarintBig } from '../quic/varint.js';
import { readCapture } from '../pcap/reader.js';
import { writePcap } from '../pcap/writer.js';
import { decodeCapture } from '../packet/capture.js';
import { frames as toFrames, recordHttp } from './demo-capture.js';
import { captureHeaderBlocks, recordHttp2 } from './demo-http2.js';
import { dissectFields } from './dissect-fields.js';
import { summarize } from './dissect-summary.js';

const RFC1071_IPV4_HEADER = '450000730000400040110000c0a80001c0a800c7';

/** `wirekit demo`: real traffic made on loopback, written as pcap by wirekit, dissected and summarised. */
export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('record HTTP over loopback through a proxy, write it as pcap with wirekit, dissect and summarise it')
    .option('-o, --output <file>', 'where to write the capture', join(tmpdir(), 'wirekit-demo.pcap'))
    .action(async (opts: { output: string }) => {
      const info = runtimeInfo();
      const say = (s: string): boolean => process.stdout.write(s + '\n');
      say(`wirekit demo — Wasm build: ${info.build}`);
      const check = new TextEncoder().encode('123456789');
      say(`CRC-32  ("123456789") = 0x${crc32(check).toString(16)} (IEEE check value cbf43926)`);
      say(`CRC-32C ("123456789") = 0x${crc32c(check).toString(16)} (RFC 3720 check value e3069283)`);
      const hdr = Uint8Array.from(RFC1071_IPV4_HEADER.match(/../g)!.map((h) => parseInt(h, 16)));
      say(`IPv4 header checksum of ${RFC1071_IPV4_HEADER} = 0x${internetChecksum(hdr).toString(16)} (expected b861)`);
      for (const hex of ['c2197c5eff14e88c', '9d7f3e7d', '7bbd', '25', '4025']) {
        const b = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
        const d = decodeVarintBig(b);
        say(`QUIC varint ${hex.padEnd(16)} = ${d.value} (${d.length} bytes${d.minimal ? '' : ', non-minimal'})   RFC 9000 A.1`);
      }
      say('');

      say('1. A Node HTTP client and server talk over 127.0.0.1 through a recording proxy (GET /, POST /echo, GET /big),');
      say('   then Node\'s http2 client and server (nghttp2) talk h2c with prior knowledge through the same kind of proxy.');
      const http1 = await recordHttp();
      const h2 = await recordHttp2(3);
      const frames = [...http1, ...toFrames(h2.chunks)];
      const file = writePcap(frames, { linkType: 1, nanosecond: true });
      writeFileSync(opts.output, file);
      say(`2. wirekit's serializer wrote ${frames.length} Ethernet/IPv4/TCP frames (${file.length} bytes) to ${opts.output}`);
      say('   (open it in Wireshark, or run: wirekit dissect ' + opts.output + ' -T fields -e frame.number -e tcp.flags ...)\n');

      say('3. wirekit dissect -T fields (first 12 frames):');
      const fields = ['frame.number', 'frame.len', 'ip.src', 'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.checksum.status', 'ip.checksum.status'];
      const rows = dissectFields(file, fields).split('\n');
      say(rows.slice(0, 13).map((r) => '   ' + r).join('\n') + '\n');

      const cols = decodeCapture(file, { verifyChecksums: true });
      let good = 0;
      for (let i = 0; i < cols.count; i++) if (cols.columns.l4ChecksumStatus[i] === 1 && cols.columns.ipChecksumStatus[i] === 1) good++;
      say(`4. decodeCapture (batch, in Wasm): ${cols.count} frames, ${good} with IPv4 and TCP checksums verified good.`);
      cols.free();

      say('5. wirekit dissect --summary:');
      await summarize(
        (async function* () {
          yield* readCapture(file).packets;
        })(),
        new Map(),
        file.length,
      );
      say('\n6. HTTP/2 header blocks in the capture (TCP reassembly + our HPACK decoder on nghttp2\'s encoding):');
      const blocks = captureHeaderBlocks(file);
      for (const b of blocks) {
        say(`   frame ${b.frame} ${b.srcPort} -> ${b.dstPort} stream ${b.streamId}:`);
        for (const [n, v] of b.headers) say(`     ${n}: ${v}`);
      }
      const want = h2.exchanges.flatMap((x) => [x.request, x.response]);
      const same = JSON.stringify(blocks.map((b) => b.headers)) === JSON.stringify(want);
      say(`   ${same ? 'identical to' : 'DIFFERENT from'} the header lists nghttp2 reported receiving (${want.length} blocks)`);
      if (!same) throw new Error('demo: decoded HTTP/2 headers differ from what nghttp2 received');
      if (good !== frames.length) throw new Error(`demo: ${frames.length - good} frames have bad checksums`);
    });
}
