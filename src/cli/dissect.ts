/**
 * `wirekit dissect FILE [-T fields -e FIELD ...] [-T json] [--summary] [-d RULE ...]`.
 * `-T fields` prints exactly what `tshark -r FILE -T fields -E header=y -E separator=/t
 * -E occurrence=a -o {ip,tcp,udp}.check_checksum:TRUE -e ...` prints for the supported fields.
 */
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { CaptureParser } from '../pcap/stream.js';
import type { CapturePacket } from '../pcap/reader.js';
import { InvalidArgumentError } from '../runtime/errors.js';
import { checkFields, decodeForDissect, fieldCells, needsChecksums, parseDecodeAs, SUPPORTED_FIELDS } from './dissect-fields.js';
import { summarize } from './dissect-summary.js';
import { fastPathApplies, printFieldsFast } from './dissect-fast.js';
import { Http2Fields, http2Values, isHttp2Field } from './dissect-http2.js';

interface Opts {
  T?: string;
  e: string[];
  E: string[];
  d: string[];
  summary?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function dissectCommand(program: Command): void {
  program
    .command('dissect')
    .description(`decode a pcap/pcapng file like tshark (fields: ${SUPPORTED_FIELDS.length} supported, see -e)`)
    .argument('<file>', 'capture file (pcap or pcapng; the format is sniffed, not taken from the name)')
    .option('-T <format>', 'output format: fields | json')
    .option('-e <field>', 'field to print with -T fields (repeatable; tshark names)', collect, [])
    .option('-E <option>', 'tshark -E options accepted for compatibility: header=y, separator=/t, occurrence=a', collect, [])
    .option('-d <rule>', 'decode as: tcp.port==PORT,http2 | udp.port==PORT,dns (repeatable)', collect, [])
    .option('--summary', 'print a summary table: protocol mix, flows, checksum failures, malformed frames')
    .action(async (file: string, opts: Opts) => {
      for (const e of opts.E) {
        if (!['header=y', 'separator=/t', 'occurrence=a'].includes(e)) {
          throw new InvalidArgumentError(`-E ${e}: only header=y, separator=/t and occurrence=a are supported`, { field: '-E' });
        }
      }
      const decodeAs = parseDecodeAs(opts.d);
      const format = opts.T ?? (opts.summary ? undefined : 'fields');
      if (format !== undefined && opts.summary) throw new InvalidArgumentError('--summary cannot be combined with -T', { field: '--summary' });
      if (format !== undefined && format !== 'fields' && format !== 'json') {
        throw new InvalidArgumentError(`-T ${format}: supported formats are fields and json`, { field: '-T' });
      }
      if (format === 'fields') checkFields(opts.e);
      const size = file === '-' ? 0 : statSync(file).size;
      const packets = fileCapture(file === '-' ? 0 : file);
      try {
        if (format === 'fields' && fastPathApplies(file === '-' ? 0 : file, opts.e, decodeAs)) await printFieldsFast(file, opts.e, needsChecksums(opts.e));
        else if (format === 'fields') printFields(packets, opts.e, decodeAs);
        else if (format === 'json') printJson(packets, decodeAs);
        else await summarize(packets, decodeAs, size);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') return; // the reader went away (| head)
        throw e;
      }
    });
}

/** Packets of a file (or fd 0), read synchronously in 1 MiB chunks: bounded memory, no per-packet promise. */
export function* fileCapture(file: string | number): Generator<CapturePacket, void> {
  const fd = typeof file === 'number' ? file : openSync(file, 'r');
  const chunk = new Uint8Array(1 << 20);
  const parser = new CaptureParser();
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      parser.push(chunk.subarray(0, n));
      for (let p = parser.next(false); p; p = parser.next(false)) yield p;
    }
    for (let p = parser.next(true); p; p = parser.next(true)) yield p;
  } finally {
    if (typeof file !== 'number') closeSync(fd);
  }
}

/** Writes to stdout through a 1 MiB buffer (synchronously: a CLI owns its stdout). */
class Out {
  private buf = '';
  write(s: string): void {
    this.buf += s;
    if (this.buf.length > 1 << 20) this.flush();
  }
  flush(): void {
    if (!this.buf) return;
    const b = Buffer.from(this.buf);
    this.buf = '';
    for (let o = 0; o < b.length; ) {
      try {
        o += writeSync(1, b, o);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      }
    }
  }
}

type Packets = Generator<CapturePacket, unknown>;

/** tshark prints the frames before a damaged tail, then the error: so do we. */
function printFields(packets: Packets, fields: string[], decodeAs: Map<string, string>): void {
  const out = new Out();
  // Read the file header first: a file the format forbids prints nothing (as tshark).
  let r = packets.next();
  out.write(fields.join('\t') + '\n');
  const verify = needsChecksums(fields);
  const h2 = fields.some(isHttp2Field) ? new Http2Fields(decodeAs) : undefined;
  try {
    for (; !r.done; r = packets.next()) {
      const dec = decodeForDissect(r.value, decodeAs, verify);
      out.write(fieldCells(fields, r.value, dec, h2?.segment(r.value, dec)).join('\t') + '\n');
    }
  } finally {
    h2?.dispose();
    out.flush();
  }
}

function printJson(packets: Packets, decodeAs: Map<string, string>): void {
  const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const replacer = (_k: string, v: unknown): unknown => (v instanceof Uint8Array ? hex(v) : v);
  const out = new Out();
  out.write('[');
  let first = true;
  const h2 = new Http2Fields(decodeAs);
  try {
    for (const p of packets) {
      const dec = decodeForDissect(p, decodeAs);
      const seg = h2.segment(p, dec);
      const frame = {
        number: p.number,
        len: p.originalLength,
        cap_len: p.capturedLength,
        time_epoch: `${p.tsSec}.${String(p.tsNsec).padStart(9, '0')}`,
        interface_id: p.interfaceId,
        linkType: p.linkType,
      };
      const obj = { frame, layers: dec?.layers ?? [], payload: dec?.payload, truncated: dec?.truncated ?? false, malformed: dec?.malformed ?? false, ...(seg && { http2: { magic: seg.magic, ...http2Values(seg) } }) };
      out.write((first ? '\n  ' : ',\n  ') + JSON.stringify(obj, replacer));
      first = false;
    }
  } finally {
    h2.dispose();
    out.write('\n]\n');
    out.flush();
  }
}
