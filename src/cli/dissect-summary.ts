// `wirekit dissect --summary`: protocol mix, top flows, checksum failures and malformed frames as
// tables (cli-table3), with a progress bar on stderr for big files (cli-progress).
// cli-table3 and cli-progress are imported when a summary is printed, not at CLI start.
import type { SingleBar } from 'cli-progress';
import type { CapturePacket } from '../pcap/reader.js';
import type { Layer } from '../packet/types.js';
import { decodeForDissect } from './dissect-fields.js';

const BIG = 16 * 1024 * 1024;

export interface Summary {
  packets: number;
  bytes: number;
  stacks: Map<string, number>;
  flows: Map<string, { packets: number; bytes: number }>;
  checksumBad: Map<string, number>;
  truncated: number;
  malformed: number;
}

export function emptySummary(): Summary {
  return { packets: 0, bytes: 0, stacks: new Map(), flows: new Map(), checksumBad: new Map(), truncated: 0, malformed: 0 };
}

/** Gathers the summary numbers (exported for tests); `onProgress(fileOffset)` now and then. */
export async function gather(
  packets: AsyncIterable<CapturePacket> | Iterable<CapturePacket>,
  decodeAs?: ReadonlyMap<string, string>,
  onProgress?: (offset: number) => void,
  s: Summary = emptySummary(),
): Promise<Summary> {
  for await (const p of packets) {
    if (onProgress && s.packets % 4096 === 0) onProgress(p.offset);
    s.packets++;
    s.bytes += p.originalLength;
    const dec = decodeForDissect(p, decodeAs);
    const layers: Layer[] = dec?.layers ?? [];
    const stack = layers.length ? layers.map((L) => L.type).join(':') : p.linkType < 0 ? 'custom-block' : `linktype-${p.linkType}`;
    s.stacks.set(stack, (s.stacks.get(stack) ?? 0) + 1);
    if (dec?.truncated) s.truncated++;
    if (dec?.malformed) s.malformed++;
    let ip: { src?: string; dst?: string } | undefined;
    let flow: string | undefined;
    for (const L of layers) {
      if ((L.type === 'ipv4' || L.type === 'ipv6') && !ip) ip = L;
      if ('checksumStatus' in L && L.checksumStatus === 0) s.checksumBad.set(L.type, (s.checksumBad.get(L.type) ?? 0) + 1);
      if ((L.type === 'tcp' || L.type === 'udp') && !flow && ip && L.srcPort !== undefined) {
        const a = `${ip.src}:${L.srcPort}`;
        const b = `${ip.dst}:${L.dstPort}`;
        flow = `${L.type} ${a < b ? `${a} <-> ${b}` : `${b} <-> ${a}`}`;
      }
    }
    if (flow) {
      const f = s.flows.get(flow) ?? { packets: 0, bytes: 0 };
      f.packets++;
      f.bytes += p.originalLength;
      s.flows.set(flow, f);
    }
  }
  return s;
}

/** Prints the summary tables; a damaged tail is shown in the table, then thrown. */
export async function summarize(packets: AsyncIterable<CapturePacket> | Iterable<CapturePacket>, decodeAs: ReadonlyMap<string, string>, fileSize: number): Promise<void> {
  const [{ default: Table }, { SingleBar: Bar, Presets }] = await Promise.all([import('cli-table3'), import('cli-progress')]);
  let bar: SingleBar | undefined;
  if (fileSize >= BIG && process.stderr.isTTY) {
    bar = new Bar({ format: 'dissect [{bar}] {percentage}% {value}/{total} MB', stream: process.stderr }, Presets.shades_classic);
    bar.start(Math.ceil(fileSize / 1e6), 0);
  }
  let error: Error | undefined;
  const s = emptySummary();
  try {
    await gather(packets, decodeAs, (o) => bar?.update(Math.floor(o / 1e6)), s);
  } catch (e) {
    error = e as Error;
  }
  bar?.update(Math.ceil(fileSize / 1e6));
  bar?.stop();
  const out: string[] = [];
  const overview = new Table({ head: ['frames', 'bytes', 'cut short', 'malformed', 'file error'] });
  overview.push([s.packets, s.bytes, s.truncated, s.malformed, error ? error.message : '-']);
  out.push(overview.toString());
  const mix = new Table({ head: ['protocol stack', 'frames', '%'] });
  for (const [k, v] of [...s.stacks].sort((a, b) => b[1] - a[1]).slice(0, 20)) mix.push([k, v, ((100 * v) / Math.max(1, s.packets)).toFixed(1)]);
  out.push(mix.toString());
  const flows = new Table({ head: ['flow (top 10 by frames)', 'frames', 'bytes'] });
  for (const [k, v] of [...s.flows].sort((a, b) => b[1].packets - a[1].packets).slice(0, 10)) flows.push([k, v.packets, v.bytes]);
  out.push(`${s.flows.size} flows`, flows.toString());
  const ck = new Table({ head: ['checksum failures', 'frames'] });
  for (const [k, v] of s.checksumBad) ck.push([k, v]);
  if (s.checksumBad.size === 0) ck.push(['(none)', 0]);
  out.push(ck.toString());
  process.stdout.write(out.join('\n') + '\n');
  if (error) throw error;
}
