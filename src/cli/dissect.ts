/**
 * `wirekit dissect FILE [-T fields -e FIELD ...] [-T json] [--summary] [-d RULE ...]`.
 * `-T fields` prints exactly what `tshark -r FILE -T fields -E header=y -E separator=/t
 * -E occurrence=a -o {ip,tcp,udp}.check_checksum:TRUE -e ...` prints for the supported fields.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { readCapture } from '../pcap/reader.js';
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
    .action((file: string, opts: Opts) => {
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
      if (format !== undefined && format !== 'fields' && format !== 'json') {
        throw new InvalidArgumentError(`-T ${format}: supported formats are fields and json`, { field: '-T' });
      }
      if (format === 'fields') checkFields(opts.e);
      const bytes = new Uint8Array(readFileSync(file));
      const cap = readCapture(bytes);
      if (format === 'fields') printFields(cap.packets, opts.e, decodeAs);
      else if (format === 'json') printJson(cap.packets, decodeAs);
      if (opts.summary) summarize(cap, decodeAs, statSync(file).size);
      if (cap.error) throw cap.error;
    });
}

function printFields(packets: ReturnType<typeof readCapture>['packets'], fields: string[], decodeAs: Map<string, string>): void {
  let buf = fields.join('\t') + '\n';
  for (const p of packets) {
    buf += fieldCells(fields, p, decodeForDissect(p, decodeAs)).join('\t') + '\n';
    if (buf.length > 1 << 20) {
      process.stdout.write(buf);
      buf = '';
    }
  }
  process.stdout.write(buf);
}

function printJson(packets: ReturnType<typeof readCapture>['packets'], decodeAs: Map<string, string>): void {
  const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const replacer = (_k: string, v: unknown): unknown => (v instanceof Uint8Array ? hex(v) : v);
  process.stdout.write('[\n');
  packets.forEach((p, i) => {
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
    process.stdout.write('  ' + JSON.stringify(obj, replacer) + (i + 1 < packets.length ? ',\n' : '\n'));
  });
  process.stdout.write(']\n');
}
