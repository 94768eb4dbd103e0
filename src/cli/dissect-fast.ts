/**
 * Fast path of `wirekit dissect -T fields` for classic pcap and outer-header fields: frames are
 * read straight into Wasm memory in 16 MiB chunks, decoded in batch (decodeCapture's kernel), and
 * printed from the columns as bytes. A frame whose tshark output could involve more than its
 * outer headers (tunnels, ICMP errors, fragments, anything cut short or malformed, non-IP but
 * ARP/LLC) goes through the full per-packet decoder instead, so the output stays identical.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { pcapChunkDecoder } from '../packet/capture.js';
import { formatIpv6 } from '../packet/context.js';
import { decodeForDissect, fieldCells } from './dissect-fields.js';
import { pcapRecordLength } from '../pcap/reader.js';
import { captureHeader } from '../pcap/reader.js';

/** Fields the fast path prints from the columns (index = the code `row` switches on). */
const FAST = [
  'frame.number', 'frame.len', 'frame.cap_len', 'ip.src', 'ip.dst', 'ip.proto', 'ip.ttl', 'ip.len', 'ipv6.src', 'ipv6.dst', 'ipv6.plen',
  'ipv6.hlim', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags', 'tcp.window_size_value',
  'udp.srcport', 'udp.dstport', 'udp.length',
];
export const FAST_FIELDS = new Set(FAST);
/** UDP ports whose payload tshark decodes into more headers (VXLAN, GENEVE, Teredo). */
const TUNNEL_PORTS = new Set([4789, 6081, 3544]);
const CHUNK = 16 << 20;

/** True when the file is a classic pcap and every field is a fast one. */
export function fastPathApplies(file: string | number, fields: readonly string[], decodeAs: ReadonlyMap<string, string>): boolean {
  if (decodeAs.size > 0 || typeof file === 'number' || !fields.every((f) => FAST_FIELDS.has(f))) return false;
  const fd = openSync(file, 'r');
  const b = new Uint8Array(4);
  const n = readSync(fd, b, 0, 4, 0);
  closeSync(fd);
  const m = n === 4 ? new DataView(b.buffer).getUint32(0) : 0;
  return [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(m);
}

class ByteOut {
  private b = Buffer.allocUnsafe(4 << 20);
  o = 0;
  str(s: string): void {
    if (this.o + s.length * 3 > this.b.length - 64) this.flush();
    if (s.length * 3 > this.b.length) this.b = Buffer.allocUnsafe(s.length * 3 + 64);
    this.o += this.b.write(s, this.o);
  }
  byte(c: number): void {
    this.b[this.o++] = c;
  }
  num(n: number): void {
    // Digits written backwards into place: no string per number.
    let d = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) d++;
    let o = (this.o += d);
    do {
      this.b[--o] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }
  hex(n: number, w: number): void {
    this.b[this.o++] = 48;
    this.b[this.o++] = 120;
    for (let k = w - 1; k >= 0; k--) this.b[this.o++] = HEX[(n >>> (4 * k)) & 15]!;
  }
  ip4(a: number): void {
    this.num(a >>> 24);
    this.b[this.o++] = 46;
    this.num((a >>> 16) & 255);
    this.b[this.o++] = 46;
    this.num((a >>> 8) & 255);
    this.b[this.o++] = 46;
    this.num(a & 255);
  }
  room(): void {
    if (this.o > this.b.length - 4096) this.flush();
  }
  flush(): void {
    for (let o = 0; o < this.o; ) o += writeSync(1, this.b, o, this.o - o);
    this.o = 0;
  }
}
const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Prints `-T fields` for a classic pcap file; throws the file's damage after the good rows. */
export function printFieldsFast(file: string, fields: readonly string[], verify: boolean): void {
  const fd = openSync(file, 'r');
  const out = new ByteOut();
  const head = new Uint8Array(24);
  readSync(fd, head, 0, 24, 0);
  const cap = captureHeader(head); // typed error before any output for a forbidden file
  const dec = pcapChunkDecoder(head, CHUNK);
  const c = dec.columns;
  out.str(fields.join('\t') + '\n');
  const codes = Int32Array.from(fields, (f) => FAST.indexOf(f));
  let have = 0;
  let from = 24;
  let base = 0; // file offset of input[0]
  let number = 0;
  let eof = false;
  try {
    for (;;) {
      if (!eof) {
        const n = readSync(fd, dec.input, have, dec.input.length - have, null);
        if (n === 0) eof = true;
        have += n;
      }
      const input = dec.input;
      const r = dec.decode(have, from, verify);
      for (let i = 0; i < r.rows; i++) {
        number++;
        row(out, fields, codes, c, i, input, number);
        out.room();
      }
      if (r.stop >= have && eof) break;
      if (r.damaged || (eof && r.stop < have)) {
        // Let the whole-buffer rules name the damage (same message as readCapture).
        const dv = new DataView(input.buffer, input.byteOffset, have);
        pcapRecordLength(dv, r.stop, have, cap, number, base);
        break;
      }
      // Keep the partial record for the next chunk.
      input.copyWithin(0, r.stop, have);
      base += r.stop;
      have -= r.stop;
      from = 0;
      if (have === input.length) throw new Error('record larger than the chunk');
    }
  } finally {
    out.flush();
    dec.free();
    closeSync(fd);
  }
}

type Cols = ReturnType<typeof pcapChunkDecoder>['columns'];

function simple(c: Cols, i: number): boolean {
  if (c.status[i] !== 0 || c.linkType[i] !== 1) return false;
  const v = c.ipVersion[i]!;
  const et = c.etherType[i]!;
  if (v === 0) return et === 0x0806 || et === 0x8035 || et <= 1500;
  if (!((v === 4 && et === 0x0800) || (v === 6 && et === 0x86dd)) || c.l4Offset[i]! < 0) return false;
  const p = c.ipProtocol[i];
  if (p === 6) return true;
  return p === 17 && !TUNNEL_PORTS.has(c.srcPort[i]!) && !TUNNEL_PORTS.has(c.dstPort[i]!);
}

function row(out: ByteOut, fields: readonly string[], codes: Int32Array, c: Cols, i: number, input: Uint8Array, number: number): void {
  if (!simple(c, i)) {
    const off = c.frameOffset[i]!;
    const p = {
      number,
      linkType: c.linkType[i]!,
      interfaceId: 0,
      tsSec: 0,
      tsNsec: 0,
      originalLength: c.originalLength[i]!,
      capturedLength: c.capturedLength[i]!,
      offset: off,
      data: input.subarray(off, off + c.capturedLength[i]!),
    };
    out.str(fieldCells(fields, p, decodeForDissect(p, undefined, false)).join('\t'));
    out.byte(10);
    return;
  }
  const v = c.ipVersion[i]!;
  const p = c.ipProtocol[i];
  for (let k = 0; k < codes.length; k++) {
    if (k) out.byte(9);
    switch (codes[k]) {
      case 0: // frame.number
        out.num(number); break;
      case 1: // frame.len
        out.num(c.originalLength[i]!); break;
      case 2: // frame.cap_len
        out.num(c.capturedLength[i]!); break;
      case 3: // ip.src
        if (v === 4) out.ip4(c.src4[i]!); break;
      case 4: // ip.dst
        if (v === 4) out.ip4(c.dst4[i]!); break;
      case 5: // ip.proto
        if (v === 4) out.num(p!); break;
      case 6: // ip.ttl
        if (v === 4) out.num(c.ttl[i]!); break;
      case 7: // ip.len
        if (v === 4) out.num(c.ipLength[i]!); break;
      case 8: // ipv6.src
        if (v === 6) out.str(formatIpv6(input, c.frameOffset[i]! + c.l3Offset[i]! + 8)); break;
      case 9: // ipv6.dst
        if (v === 6) out.str(formatIpv6(input, c.frameOffset[i]! + c.l3Offset[i]! + 24)); break;
      case 10: // ipv6.plen
        if (v === 6) out.num(c.ipLength[i]!); break;
      case 11: // ipv6.hlim
        if (v === 6) out.num(c.ttl[i]!); break;
      case 12: // tcp.srcport
        if (p === 6) out.num(c.srcPort[i]!); break;
      case 13: // tcp.dstport
        if (p === 6) out.num(c.dstPort[i]!); break;
      case 14: // tcp.seq_raw
        if (p === 6) out.num(c.seq[i]!); break;
      case 15: // tcp.ack_raw
        if (p === 6) out.num(c.ack[i]!); break;
      case 16: // tcp.hdr_len
        if (p === 6) out.num(c.tcpHeaderLength[i]!); break;
      case 17: // tcp.flags
        if (p === 6) out.hex(c.tcpFlags[i]!, 4); break;
      case 18: // tcp.window_size_value
        if (p === 6) out.num(c.windowSize[i]!); break;
      case 19: // udp.srcport
        if (p === 17) out.num(c.srcPort[i]!); break;
      case 20: // udp.dstport
        if (p === 17) out.num(c.dstPort[i]!); break;
      case 21: // udp.length
        if (p === 17) out.num(c.udpLength[i]!); break;
    }
  }
  out.byte(10);
}
