// decodeCapture (batch, in Wasm) against tshark 4.0's ground truth: for every capture, every
// outermost-layer field the columns hold is compared with the first occurrence in pcap-truth.
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lib from '../../src/index.js';
import { corpusDir, corpusPresent } from './corpus.js';

const pcapDir = join(corpusDir, 'pcap');
const truthDir = join(corpusDir, 'pcap-truth');
const files = corpusPresent ? readdirSync(pcapDir).sort() : [];
const ip4 = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const hx = (n: number, w: number): string => '0x' + n.toString(16).padStart(w, '0');
const totals = { compared: 0, frames: 0 };

type Cols = lib.Columns;
/** [tshark field, layer present?, our value] for row i. */
function facts(c: Cols, i: number, bytes: Uint8Array): Array<[string, boolean, string]> {
  const v4 = c.ipVersion[i] === 4 && c.etherType[i] === 0x0800 && c.l3Offset[i]! >= 0;
  const v6 = c.ipVersion[i] === 6;
  const proto = c.ipProtocol[i]!;
  const clean = (c.status[i]! & (lib.PacketStatus.TRUNCATED | lib.PacketStatus.MALFORMED)) === 0;
  const hasL4 = c.l4Offset[i]! >= 0;
  const tcp = hasL4 && proto === 6 && c.tcpHeaderLength[i]! > 0;
  const udp = hasL4 && proto === 17 && (c.status[i]! & lib.PacketStatus.TRUNCATED) === 0;
  const a6 = (o: number): string => lib.formatIpv6(bytes, c.frameOffset[i]! + c.l3Offset[i]! + o);
  return [
    ['frame.len', true, String(c.originalLength[i])],
    ['frame.cap_len', true, String(c.capturedLength[i])],
    ['ip.src', v4, ip4(c.src4[i]!)],
    ['ip.dst', v4, ip4(c.dst4[i]!)],
    ['ip.ttl', v4, String(c.ttl[i])],
    ['ip.proto', v4, String(proto)],
    ['ip.flags', v4, hx(c.ipFlags[i]!, 2)],
    ['ip.frag_offset', v4, String(c.fragmentOffset[i])],
    ['ip.len', v4, String(c.ipLength[i])],
    ['ip.checksum.status', v4 && c.ipChecksumStatus[i] !== 2, String(c.ipChecksumStatus[i])],
    ['ipv6.src', v6, v6 ? a6(8) : ''],
    ['ipv6.dst', v6, v6 ? a6(24) : ''],
    ['ipv6.plen', v6, String(c.ipLength[i])],
    ['ipv6.hlim', v6, String(c.ttl[i])],
    ['tcp.srcport', tcp, String(c.srcPort[i])],
    ['tcp.dstport', tcp, String(c.dstPort[i])],
    ['tcp.seq_raw', tcp, String(c.seq[i])],
    ['tcp.ack_raw', tcp, String(c.ack[i])],
    ['tcp.hdr_len', tcp, String(c.tcpHeaderLength[i])],
    ['tcp.flags', tcp, hx(c.tcpFlags[i]!, 4)],
    ['tcp.window_size_value', tcp, String(c.windowSize[i])],
    ['tcp.checksum.status', tcp && c.l4ChecksumStatus[i] !== 2, String(c.l4ChecksumStatus[i])],
    ['tcp.options.mss_val', tcp && c.mss[i] !== 0, String(c.mss[i])],
    ['tcp.options.wscale.shift', tcp && c.windowScale[i] !== 255, String(c.windowScale[i])],
    ['udp.srcport', udp, String(c.srcPort[i])],
    ['udp.dstport', udp, String(c.dstPort[i])],
    ['udp.length', udp, String(c.udpLength[i])],
    ['udp.checksum.status', udp && c.l4ChecksumStatus[i] !== 2, String(c.l4ChecksumStatus[i])],
    ['icmp.type', hasL4 && clean && proto === 1, String(c.icmpType[i])],
    ['icmpv6.type', hasL4 && clean && proto === 58, String(c.icmpType[i])],
  ];
}

describe.skipIf(!corpusPresent)('decodeCapture columns vs tshark (outermost layer, first occurrence)', () => {
  for (const f of files) {
    const name = f.replace(/\.[^.]+$/, '');
    const tsv = join(truthDir, `${name}.tsv`);
    if (!existsSync(tsv)) continue;
    test(f, () => {
      const bytes = new Uint8Array(readFileSync(join(pcapDir, f)));
      const lines = readFileSync(tsv, 'utf8').split('\n').filter(Boolean);
      const hdr = lines[0]!.split('\t');
      const r = lib.decodeCapture(bytes, { verifyChecksums: true });
      const rows = lines.slice(1).map((l) => l.split('\t'));
      // pcapng custom blocks are not packets: skip tshark's rows for them.
      const real = rows.filter((row) => row[hdr.indexOf('frame.protocols')] !== 'data' || row[hdr.indexOf('frame.time_epoch')] !== '');
      expect(r.count).toBe(real.length);
      const bad: string[] = [];
      for (let i = 0; i < r.count; i++) {
        totals.frames++;
        const row = real[i]!;
        for (const [field, present, ours] of facts(r.columns, i, bytes)) {
          if (!present) continue;
          const cell = row[hdr.indexOf(field)]!;
          const first = cell.split(',')[0]!;
          // tshark holds IP fragments for reassembly; TCP/UDP are then not shown for this frame.
          if (cell === '' && (r.columns.status[i]! & lib.PacketStatus.FRAGMENT) !== 0) continue;
          totals.compared++;
          if (first !== ours) bad.push(`frame ${i + 1} ${field}: wasm ${ours}, tshark ${cell.slice(0, 60)}`);
        }
      }
      r.free();
      expect(bad).toEqual([]);
    });
  }
  test('totals', () => console.log(`decodeCapture: ${totals.compared} cells over ${totals.frames} frames equal tshark's`));
});
