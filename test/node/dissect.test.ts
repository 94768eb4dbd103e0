// `wirekit dissect -T fields` against tshark 4.0's output (shared corpus pcap-truth/*.tsv), cell by
// cell, for every capture and all 46 requested fields; refusals against tshark's .error.txt.
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture } from '../../src/pcap/index.js';
import { decodeForDissect, dissectFields, fieldCells, parseDecodeAs, SUPPORTED_FIELDS } from '../../src/cli/dissect-fields.js';
import { corpusDir, corpusPresent } from './corpus.js';

interface Rule {
  capture: string;
  rule: string;
  fields: string[];
  reason: string;
}
const rules: Rule[] = readFileSync(join(__dirname, 'dissect.exceptions.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [capture, rule, fields, reason] = l.split('\t');
    return { capture: capture!, rule: rule!, fields: fields!.split(','), reason: reason! };
  });

/** Extra tshark options used for a capture by the corpus README. */
const DECODE_AS: Record<string, string[]> = { 'ndpi-http2': ['tcp.port==29518,http2'] };

const pcapDir = join(corpusDir, 'pcap');
const truthDir = join(corpusDir, 'pcap-truth');
const files = corpusPresent ? readdirSync(pcapDir).sort() : [];
const totals = { cells: 0, match: 0, excepted: 0 };

describe.skipIf(!corpusPresent)('dissect -T fields vs tshark, every capture', () => {
  test('the ground truth uses exactly the supported fields, in order', () => {
    const hdr = readFileSync(join(truthDir, 'gp-test_dns.tsv'), 'utf8').split('\n')[0]!.split('\t').slice(0, 46);
    expect(hdr).toEqual(SUPPORTED_FIELDS);
  });

  for (const f of files) {
    const name = f.replace(/\.[^.]+$/, '');
    const tsv = join(truthDir, `${name}.tsv`);
    const err = join(truthDir, `${name}.error.txt`);
    if (existsSync(err)) {
      test(`${f}: refused like tshark`, () => {
        const why = /\((.*)\)\s*$/.exec(readFileSync(err, 'utf8'))![1]!;
        const bytes = new Uint8Array(readFileSync(join(pcapDir, f)));
        expect(() => readCapture(bytes)).toThrow(why);
        try {
          readCapture(bytes);
        } catch (e) {
          expect((e as { code: string }).code).toMatch(/^(MALFORMED|TRUNCATED)$/);
        }
      });
      continue;
    }
    test(`${f}: every cell equals tshark's or is a listed exception`, () => {
      const bytes = new Uint8Array(readFileSync(join(pcapDir, f)));
      const lines = readFileSync(tsv, 'utf8').split('\n').filter(Boolean);
      const fields = SUPPORTED_FIELDS;
      const decodeAs = parseDecodeAs(DECODE_AS[name] ?? []);
      const out = dissectFields(bytes, fields, decodeAs).split('\n');
      expect(out[0]).toBe(lines[0]!.split('\t').slice(0, 46).join('\t'));
      expect(out.length - 2).toBe(lines.length - 1);
      const cap = readCapture(bytes);
      const bad: string[] = [];
      for (let i = 1; i < lines.length; i++) {
        const want = lines[i]!.split('\t');
        const got = out[i]!.split('\t');
        for (let j = 0; j < fields.length; j++) {
          totals.cells++;
          if (got[j] === want[j]) {
            totals.match++;
            continue;
          }
          const pkt = cap.packets[i - 1]!;
          if (excepted(name, fields[j]!, got[j]!, pkt)) {
            totals.excepted++;
            continue;
          }
          bad.push(`frame ${i} ${fields[j]}: wirekit "${got[j]!.slice(0, 120)}" tshark "${want[j]!.slice(0, 120)}"`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  test('match rate over all captures (reported)', () => {
    if (totals.cells === 0) return;
    console.log(
      `tshark cells: ${totals.match}/${totals.cells} equal (${((100 * totals.match) / totals.cells).toFixed(3)}%), ` +
        `${totals.excepted} excepted by test/node/dissect.exceptions.tsv`,
    );
    expect(totals.match + totals.excepted).toBe(totals.cells);
  });
});

function excepted(capture: string, field: string, got: string, pkt: ReturnType<typeof readCapture>['packets'][number]): boolean {
  for (const r of rules) {
    if (r.capture !== capture || !r.fields.some((p) => field.startsWith(p))) continue;
    if (r.rule === 'last-fragment') {
      const dec = decodeForDissect(pkt);
      const ip = dec?.layers.find((L) => L.type === 'ipv4' || L.type === 'ipv6');
      let last = false;
      if (ip?.type === 'ipv4') last = (ip.flags! & 1) === 0 && ip.fragmentOffset! > 0;
      if (ip?.type === 'ipv6') {
        const fr = ip.extensions.find((x) => x.kind === 44);
        last = !!fr && !fr.more && fr.fragmentOffset! > 0;
      }
      if (last && got === '') return true;
    }
  }
  return false;
}

test('unknown field: error lists the supported ones', () => {
  expect(() => dissectFields(new Uint8Array(24), ['ip.bogus'])).toThrow(/unknown field "ip.bogus"; supported fields: frame.number frame.len/);
});

test('decode-as syntax (tshark -d)', () => {
  expect([...parseDecodeAs(['tcp.port==29518,http2', 'udp.port==5300,dns'])]).toEqual([
    ['tcp:29518', 'http2'],
    ['udp:5300', 'dns'],
  ]);
  expect(() => parseDecodeAs(['tcp.port=1,http2'])).toThrow(/bad decode-as rule/);
  expect(() => parseDecodeAs(['udp.port==53,smtp'])).toThrow(/unsupported protocol/);
});

test('fieldCells joins occurrences with "," (VXLAN: outer then inner)', () => {
  if (!corpusPresent) return;
  const cap = readCapture(new Uint8Array(readFileSync(join(pcapDir, 'td-vxlan.pcap'))));
  const p = cap.packets[0]!;
  // tshark: 192.168.203.1,192.168.203.3 (td-vxlan.tsv frame 1)
  expect(fieldCells(['ip.src'], p, decodeForDissect(p))).toEqual(['192.168.203.1,192.168.203.3']);
});
