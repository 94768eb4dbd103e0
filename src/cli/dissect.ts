/**
 * `wirekit dissect FILE [-T fields -e FIELD ...] [-T json] [--summary] [-d RULE ...]`.
 * `-T fields` prints exactly what `tshark -r FILE -T fields -E header=y -E separator=/t
 * -E occurrence=a -o {ip,tcp,udp}.check_checksum:TRUE -e ...` prints for the supported fields.
 */
import { createReadStream, statSync } from 'node:fs';
import type { Command } from 'commander';
import { streamCapture } from '../pcap/stream.js';
import type { CapturePacket } from '../pcap/reader.js';
import { InvalidArgumentError } from '../runtime/errors.js';
import { checkFields, decodeForDissect, fieldCells, parseDecodeAs, SUPPORTED_FIELDS } from './dissect-fields.js';
import { summarize } from './dissect-summary.js';

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
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(0); // reader went away (| head)
        throw e;
      });
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
      const packets = streamCapture(createReadStream(file === '-' ? '/dev/stdin' : file, { highWaterMark: 1 << 20 }));
      if (format === 'fields') await printFields(packets, opts.e, decodeAs);
      else if (format === 'json') await printJson(packets, decodeAs);
      else await summarize(packets, decodeAs, size);
    });
}

/** Writes through a 1 MiB buffer, honouring back-pressure. */
class Out {
  private buf = '';
  async write(s: string): Promise<void> {
    this.buf += s;
    if (this.buf.length > 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.buf) return;
    const ok = process.stdout.write(this.buf);
    this.buf = '';
    if (!ok) await new Promise((r) => process.stdout.once('drain', r));
  }
}

type Packets = AsyncGenerator<CapturePacket, unknown>;

/** tshark prints the frames before a damaged tail, then the error: so do we. */
async function printFields(packets: Packets, fields: string[], decodeAs: Map<string, string>): Promise<void> {
  const out = new Out();
  // Read the file header first: a file the format forbids prints nothing (as tshark).
  let r = await packets.next();
  await out.write(fields.join('\t') + '\n');
  try {
    for (; !r.done; r = await packets.next()) await out.write(fieldCells(fields, r.value, decodeForDissect(r.value, decodeAs)).join('\t') + '\n');
  } finally {
    await out.flush();
  }
}

async function printJson(packets: Packets, decodeAs: Map<string, string>): Promise<void> {
  const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const replacer = (_k: string, v: unknown): unknown => (v instanceof Uint8Array ? hex(v) : v);
  const out = new Out();
  await out.write('[');
  let first = true;
  try {
    for await (const p of packets) {
      const dec = decodeForDissect(p, decodeAs);
      const frame = {
        number: p.number,
        len: p.originalLength,
        cap_len: p.capturedLength,
        time_epoch: `${p.tsSec}.${String(p.tsNsec).padStart(9, '0')}`,
        interface_id: p.interfaceId,
        linkType: p.linkType,
      };
      const obj = { frame, layers: dec?.layers ?? [], payload: dec?.payload, truncated: dec?.truncated ?? false, malformed: dec?.malformed ?? false };
      await out.write((first ? '\n  ' : ',\n  ') + JSON.stringify(obj, replacer));
      first = false;
    }
  } finally {
    await out.write('\n]\n');
    await out.flush();
  }
}
