// Generates assembly/hpack/tables.ts (Huffman code, canonical decode tables, static table bytes)
// and src/hpack/static-table.ts from the RFC 7541 text in appendix-a.txt and appendix-b.txt.
// Run: node assembly/hpack/rfc7541/gen-tables.mjs  (output is checked in; re-run after edits).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');

// ---- Appendix B: Huffman code --------------------------------------------------------------
const rows = [];
for (const line of readFileSync(join(here, 'appendix-b.txt'), 'latin1').split('\n')) {
  const m = line.match(/\(\s*(\d+)\)\s+\|([01|]+)\s+([0-9a-f]+)\s+\[\s*(\d+)\]/);
  if (!m) continue;
  const sym = Number(m[1]);
  const bits = m[2].replace(/\|/g, '');
  const code = parseInt(m[3], 16);
  const len = Number(m[4]);
  if (bits.length !== len || parseInt(bits, 2) !== code) throw new Error(`row ${sym}: bits, hex and length disagree`);
  if (rows[sym]) throw new Error(`duplicate symbol ${sym}`);
  rows[sym] = { sym, code, len };
}
if (rows.length !== 257 || rows.some((r) => !r)) throw new Error('expected 257 symbols (0..255 and EOS)');
// The code must be complete and prefix-free (Kraft sum exactly 1) and canonical: sorted by
// (length, symbol), each code is the previous one plus one, shifted left on length changes.
let kraft = 0;
for (const r of rows) kraft += 2 ** -r.len;
if (kraft !== 1) throw new Error(`Kraft sum ${kraft} != 1`);
const sorted = [...rows].sort((a, b) => a.len - b.len || a.code - b.code);
for (let i = 1; i < sorted.length; i++) {
  const p = sorted[i - 1], c = sorted[i];
  if (c.code !== (p.code + 1) * 2 ** (c.len - p.len)) throw new Error(`not canonical at symbol ${c.sym}`);
}
const PRIMARY = 10; // bits looked up at once; codes up to 10 bits decode in one step
const primary = new Array(1 << PRIMARY).fill(0xffff);
for (const r of sorted) {
  if (r.len > PRIMARY) continue;
  const shift = PRIMARY - r.len;
  for (let k = 0; k < 1 << shift; k++) primary[(r.code << shift) | k] = (r.len << 9) | r.sym;
}
// Two-symbol table: the next PAIR bits -> up to two whole symbols. Bits 0-7 first symbol, 8-15
// second, 16-20 bits consumed, 21-22 symbol count (0: the first code is longer than PAIR bits).
const PAIR = 12;
const pair = new Array(1 << PAIR).fill(0);
for (let x = 0; x < 1 << PAIR; x++) {
  const first = primary[x >> (PAIR - PRIMARY)];
  if (first === 0xffff) continue;
  const l1 = first >> 9, s1 = first & 0x1ff;
  let entry = s1 | (l1 << 16) | (1 << 21);
  const rest = PAIR - l1;
  if (rest >= 5) {
    const y = (x << l1) & ((1 << PAIR) - 1); // remaining bits, left-aligned in PAIR bits
    const second = primary[y >> (PAIR - PRIMARY)];
    if (second !== 0xffff && second >> 9 <= rest) entry = s1 | ((second & 0x1ff) << 8) | ((l1 + (second >> 9)) << 16) | (2 << 21);
  }
  pair[x] = entry;
}
// Longer codes: for each length L in (PRIMARY, 30], the exclusive upper bound of codes of length
// L left-aligned in 32 bits, and the offset to add to (code - first) to index `sorted`.
const limit = new Array(31).fill(0);
const base = new Array(31).fill(0);
for (let L = 1; L <= 30; L++) {
  const idx = sorted.map((r, i) => [r, i]).filter(([r]) => r.len === L);
  if (idx.length === 0) {
    limit[L] = L > 1 ? limit[L - 1] : 0;
    continue;
  }
  const [first, i0] = idx[0];
  const last = idx[idx.length - 1][0];
  limit[L] = (last.code + 1) * 2 ** (32 - L); // may equal 2^32 for L=30
  base[L] = i0 - first.code;
}
for (let L = 2; L <= 30; L++) if (limit[L] < limit[L - 1]) limit[L] = limit[L - 1];

// ---- Appendix A: static table ---------------------------------------------------------------
const statics = [];
for (const line of readFileSync(join(here, 'appendix-a.txt'), 'latin1').split('\n')) {
  const m = line.match(/^\s*\|\s*(\d+)\s*\|\s*(\S+)\s*\|\s*(.*?)\s*\|\s*$/);
  if (!m) continue;
  if (Number(m[1]) !== statics.length + 1) throw new Error(`static index ${m[1]} out of order`);
  statics.push([m[2], m[3]]);
}
if (statics.length !== 61) throw new Error('expected 61 static entries');
let blob = '';
const sOff = [0], sNameLen = [0], sValLen = [0];
for (const [n, v] of statics) {
  sOff.push(blob.length);
  sNameLen.push(n.length);
  sValLen.push(v.length);
  blob += n + v;
}

// Static table hash index for the encoder, built here (not at run time: with a shared memory,
// several instances would write the same data region concurrently). hash() must equal
// assembly/hpack/encoder.ts hash(); the Appendix C encoder tests fail if it drifts.
const M64 = (1n << 64n) - 1n;
const rotl = (x, r) => ((x << BigInt(r)) | (x >> BigInt(64 - r))) & M64;
function hash(bytes, seed) {
  let len = bytes.length, p = 0;
  let h = (BigInt(seed) ^ ((BigInt(len) * 0x9e3779b97f4a7c15n) & M64)) & M64;
  const le = (n) => { let v = 0n; for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[p + i]); return v; };
  while (len >= 8) { h = rotl(((h ^ le(8)) * 0xff51afd7ed558ccdn) & M64, 29); p += 8; len -= 8; }
  if (len >= 4) { h = rotl(((h ^ le(4)) * 0xc4ceb9fe1a85ec53n) & M64, 31); p += 4; len -= 4; }
  while (len > 0) { h = ((h ^ BigInt(bytes[p])) * 0x9e3779b97f4a7c15n) & M64; p++; len--; }
  h ^= h >> 32n;
  h = (h * 0xd6e8feb86659fd93n) & M64;
  return Number((h ^ (h >> 32n)) & 0xffffffffn);
}
const bytesOf = (str) => [...str].map((c) => c.charCodeAt(0));
const staticNameHash = [0, ...statics.map(([n]) => hash(bytesOf(n), 0))];
const SLOTS = 128;
const nameSlots = new Array(SLOTS).fill(0), nvSlots = new Array(SLOTS).fill(0);
statics.forEach(([n, v], k) => {
  const i = k + 1;
  const nh = hash(bytesOf(n), 0);
  if (!statics.slice(0, k).some(([m]) => m === n)) {
    let j = nh & (SLOTS - 1);
    while (nameSlots[j] !== 0) j = (j + 1) & (SLOTS - 1);
    nameSlots[j] = i;
  }
  let j = hash(bytesOf(v), nh) & (SLOTS - 1);
  while (nvSlots[j] !== 0) j = (j + 1) & (SLOTS - 1);
  nvSlots[j] = i;
});

const list = (a, per = 16) => a.map((x, i) => (i % per === 0 ? '\n  ' : ' ') + x + ',').join('');
const hdr = '// GENERATED by assembly/hpack/rfc7541/gen-tables.mjs from RFC 7541 Appendix A and B. Do not edit.\n';
writeFileSync(
  join(root, 'assembly/hpack/tables.ts'),
  `${hdr}// Huffman code (Appendix B): code (LSB-aligned) and length in bits per symbol 0..256 (256 = EOS).
export const HUFF_CODE = memory.data<u32>([${list(rows.map((r) => '0x' + r.code.toString(16)), 10)}
]);
export const HUFF_LEN = memory.data<u8>([${list(rows.map((r) => r.len), 32)}
]);
/** Bits resolved by one lookup in HUFF_PRIMARY. */
export const HUFF_PRIMARY_BITS: u32 = ${PRIMARY};
/** Next ${PRIMARY} input bits -> (length << 9) | symbol for codes of <= ${PRIMARY} bits, 0xffff for longer codes. */
export const HUFF_PRIMARY = memory.data<u16>([${list(primary.map((x) => '0x' + x.toString(16)), 16)}
]);
/** Bits looked up in HUFF_PAIR. */
export const HUFF_PAIR_BITS: u32 = ${PAIR};
/** Next ${PAIR} bits -> sym1 | sym2 << 8 | bits << 16 | count << 21 (count 0: first code longer than ${PRIMARY} bits). */
export const HUFF_PAIR = memory.data<u32>([${list(pair.map((x) => '0x' + x.toString(16)), 12)}
]);
/** Per length L: exclusive upper bound of length-L codes left-aligned in 32 bits (u64: 2^32 for L = 30). */
export const HUFF_LIMIT = memory.data<u64>([${list(limit.map((x) => '0x' + x.toString(16)), 8)}
]);
/** Per length L: index into HUFF_SORTED of a code c of length L is c + HUFF_BASE[L]. */
export const HUFF_BASE = memory.data<i32>([${list(base, 16)}
]);
/** Symbols in canonical order (by length, then code). */
export const HUFF_SORTED = memory.data<u16>([${list(sorted.map((r) => r.sym), 24)}
]);
// Static table (Appendix A), entries 1..61 (index 0 unused): name and value bytes in STATIC_BYTES.
export const STATIC_COUNT: u32 = 61;
export const STATIC_BYTES = memory.data<u8>([${list([...blob].map((c) => c.charCodeAt(0)), 32)}
]);
export const STATIC_OFF = memory.data<u16>([${list(sOff, 16)}
]);
export const STATIC_NAME_LEN = memory.data<u8>([${list(sNameLen, 32)}
]);
export const STATIC_VALUE_LEN = memory.data<u8>([${list(sValLen, 32)}
]);
/** Encoder lookups: ${SLOTS} open-addressing slots (static index, 0 = empty) keyed by hash(name) and hash(value, hash(name)). */
export const STATIC_SLOTS: u32 = ${SLOTS};
export const STATIC_NAME_SLOTS = memory.data<u8>([${list(nameSlots, 32)}
]);
export const STATIC_NV_SLOTS = memory.data<u8>([${list(nvSlots, 32)}
]);
/** hash(name, 0) of each static entry's name (encoder fields that name a static entry skip hashing). */
export const STATIC_NAME_HASH = memory.data<u32>([${list(staticNameHash.map((x) => '0x' + x.toString(16)), 8)}
]);
`,
);
writeFileSync(
  join(root, 'src/hpack/static-table.ts'),
  `${hdr}/** RFC 7541 Appendix A static table names, index 1..61 (index 0 unused). */
export const STATIC_NAMES: readonly string[] = ${JSON.stringify(['', ...statics.map((s) => s[0])], null, 0).replace(/","/g, '", "')};
/** RFC 7541 Appendix A static table values, index 1..61. */
export const STATIC_VALUES: readonly string[] = ${JSON.stringify(['', ...statics.map((s) => s[1])], null, 0).replace(/","/g, '", "')};
`,
);
console.log(`tables: 257 Huffman symbols (canonical, complete), ${statics.length} static entries`);
