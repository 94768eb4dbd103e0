// Baseline for `wirekit dissect -T fields` throughput: a careful streaming plain-JS field printer
// (16 MiB readSync chunks, no allocation per packet, bytes formatted into one reused buffer) for
// frame.number ip.src ip.dst tcp.srcport tcp.dstport udp.srcport udp.dstport over classic
// little-endian pcap of Ethernet/IPv4/IPv6/TCP/UDP frames (what the bench file holds).
// Usage: node bench/packet-fields-js.mjs FILE > OUT
import { openSync, readSync, writeSync, closeSync } from 'node:fs';

const CHUNK = 16 << 20;
const file = process.argv[2];
const fd = openSync(file, 'r');
let buf = Buffer.allocUnsafe(CHUNK + 262144 + 16);
const out = Buffer.allocUnsafe(4 << 20);
let o = 0;
const put = (s) => { for (let i = 0; i < s.length; i++) out[o++] = s.charCodeAt(i); };
const flush = () => { writeSync(1, out, 0, o); o = 0; };
const num = (n) => {
  if (n === 0) { out[o++] = 48; return; }
  let d = 1;
  while (d * 10 <= n) d *= 10;
  for (; d >= 1; d = Math.floor(d / 10)) { out[o++] = 48 + Math.floor(n / d) % 10; }
};
const ip4 = (b, p) => { num(b[p]); out[o++] = 46; num(b[p + 1]); out[o++] = 46; num(b[p + 2]); out[o++] = 46; num(b[p + 3]); };
put('frame.number\tip.src\tip.dst\ttcp.srcport\ttcp.dstport\tudp.srcport\tudp.dstport\n');

let have = readSync(fd, buf, 0, CHUNK, null);
let pos = 24;
let frame = 0;
for (;;) {
  if (have - pos < 16 || have - pos < 16 + buf.readUInt32LE(pos + 8)) {
    // Move the partial record to the front and read more.
    buf.copy(buf, 0, pos, have);
    have -= pos;
    pos = 0;
    const n = readSync(fd, buf, have, CHUNK, null);
    if (n === 0) break;
    have += n;
    continue;
  }
  const incl = buf.readUInt32LE(pos + 8);
  const f = pos + 16;
  const end = f + incl;
  pos = end;
  num(++frame);
  out[o++] = 9;
  let t = f + 14 <= end ? (buf[f + 12] << 8) | buf[f + 13] : 0;
  let p = f + 14;
  while ((t === 0x8100 || t === 0x88a8) && p + 4 <= end) { t = (buf[p + 2] << 8) | buf[p + 3]; p += 4; }
  let proto = -1, l4 = 0;
  if (t === 0x0800 && p + 20 <= end) {
    ip4(buf, p + 12); out[o++] = 9; ip4(buf, p + 16); out[o++] = 9;
    const ff = (buf[p + 6] << 8) | buf[p + 7];
    if ((ff & 0x3fff) === 0) { proto = buf[p + 9]; l4 = p + (buf[p] & 15) * 4; }
  } else {
    out[o++] = 9; out[o++] = 9;
    if (t === 0x86dd && p + 40 <= end) { proto = buf[p + 6]; l4 = p + 40; }
  }
  if (proto === 6 && l4 + 4 <= end) { num((buf[l4] << 8) | buf[l4 + 1]); out[o++] = 9; num((buf[l4 + 2] << 8) | buf[l4 + 3]); out[o++] = 9; out[o++] = 9; }
  else if (proto === 17 && l4 + 4 <= end) { out[o++] = 9; out[o++] = 9; num((buf[l4] << 8) | buf[l4 + 1]); out[o++] = 9; num((buf[l4 + 2] << 8) | buf[l4 + 3]); }
  else { out[o++] = 9; out[o++] = 9; out[o++] = 9; }
  out[o++] = 10;
  if (o > out.length - 512) flush();
}
flush();
closeSync(fd);
