// HPACK encoder (RFC 7541 §4, §6) with an nghttp2-like indexing policy. The context (allocated
// by the JS runtime through rt_alloc) holds the dynamic table in a byte ring plus two hash-chain
// indexes (name+value and name) whose chains run newest to oldest, so eviction needs no unlinking:
// a walk stops at the first evicted seq.
const CAP = 0; //       byte-ring capacity (the encoder's table size limit)
const MASK = 4; //      entry ring size - 1
const MAX = 8; //       current dynamic table maximum
const SIZE = 12; //     table size (§4.1)
const COUNT = 16; //    live entries
const WPOS = 20; //     byte-ring write position
const SEQ = 24; //      seq of the next entry
const PEND_MIN = 28; // smallest size set since the last block (0xffffffff: none)
const PEND = 32; //     last size set since the last block
const BMASK = 36; //    hash bucket count - 1
const HDR: usize = 64;
const ENTRY: usize = 28; // pos, nameLen, valLen, nameHash, nvHash, nextName, nextNV

import { huffEncodedLength, huffEncode } from './huffman';
import { STATIC_COUNT, STATIC_BYTES, STATIC_OFF, STATIC_NAME_LEN, STATIC_VALUE_LEN, STATIC_SLOTS, STATIC_NAME_SLOTS, STATIC_NV_SLOTS, STATIC_NAME_HASH } from './tables';
import { writeInt, ringWrite, ringEquals, bytesEqual, copyBytes, pow2 } from './common';

// @ts-ignore: decorator
@inline function g(ctx: usize, f: usize): u32 { return load<u32>(ctx + f); }
// @ts-ignore: decorator
@inline function s(ctx: usize, f: usize, v: u32): void { store<u32>(ctx + f, v); }

function nbuckets(cap: u32): u32 { return pow2(cap / 16); }
function entries(ctx: usize): usize { return ctx + HDR; }
function buckets(ctx: usize): usize { return entries(ctx) + (<usize>g(ctx, MASK) + 1) * ENTRY; }
function ring(ctx: usize): usize { return buckets(ctx) + ((<usize>g(ctx, BMASK) + 1) << 3); }

export function hp_enc_ctx_size(cap: u32): usize {
  return HDR + <usize>pow2(cap / 32) * ENTRY + (<usize>nbuckets(cap) << 3) + <usize>cap;
}

export function hp_enc_init(ctx: usize, cap: u32): void {
  memory.fill(ctx, 0, HDR);
  s(ctx, CAP, cap);
  s(ctx, MASK, pow2(cap / 32) - 1);
  s(ctx, MAX, cap);
  s(ctx, PEND_MIN, 0xffffffff);
  s(ctx, PEND, 0xffffffff);
  s(ctx, BMASK, nbuckets(cap) - 1);
  memory.fill(buckets(ctx), 0, <usize>nbuckets(cap) << 3);
}

export function hp_enc_get(ctx: usize, field: u32): u32 { return g(ctx, <usize>field); }

function hash(p: usize, len: usize, seed: u32): u32 {
  let h: u64 = <u64>seed ^ (<u64>len * 0x9e3779b97f4a7c15);
  while (len >= 8) {
    h = rotl<u64>((h ^ load<u64>(p)) * 0xff51afd7ed558ccd, 29);
    p += 8;
    len -= 8;
  }
  if (len >= 4) {
    h = rotl<u64>((h ^ <u64>load<u32>(p)) * 0xc4ceb9fe1a85ec53, 31);
    p += 4;
    len -= 4;
  }
  while (len > 0) {
    h = (h ^ <u64>load<u8>(p)) * 0x9e3779b97f4a7c15;
    p++;
    len--;
  }
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93;
  return <u32>(h ^ (h >> 32));
}

// Static table lookups: open addressing over generated slots (tables.ts) keyed by the hashes.
const SLOTS = STATIC_SLOTS;
const staticName = STATIC_NAME_SLOTS;
const staticNV = STATIC_NV_SLOTS;

function sName(i: u32): usize { return STATIC_BYTES + <usize>load<u16>(STATIC_OFF + (<usize>i << 1)); }
function sNameLen(i: u32): usize { return <usize>load<u8>(STATIC_NAME_LEN + <usize>i); }
function sValLen(i: u32): usize { return <usize>load<u8>(STATIC_VALUE_LEN + <usize>i); }

function findStaticName(np: usize, nl: usize, nh: u32): u32 {
  let k = nh & (SLOTS - 1);
  while (true) {
    const j = <u32>load<u8>(staticName + k);
    if (j == 0) return 0;
    if (sNameLen(j) == nl && bytesEqual(sName(j), np, nl)) return j;
    k = (k + 1) & (SLOTS - 1);
  }
}

function findStaticNV(np: usize, nl: usize, vp: usize, vl: usize, vh: u32): u32 {
  let k = vh & (SLOTS - 1);
  while (true) {
    const j = <u32>load<u8>(staticNV + k);
    if (j == 0) return 0;
    if (sNameLen(j) == nl && sValLen(j) == vl && bytesEqual(sName(j), np, nl) && bytesEqual(sName(j) + nl, vp, vl)) return j;
    k = (k + 1) & (SLOTS - 1);
  }
}

// @ts-ignore: decorator
@inline function live(ctx: usize, seq: u32): bool { return g(ctx, SEQ) - 1 - seq < g(ctx, COUNT); }
function entry(ctx: usize, seq: u32): usize { return entries(ctx) + <usize>(seq & g(ctx, MASK)) * ENTRY; }

/** Newest live entry with this name (and value, when byValue): its seq, or -1. */
function findDynamic(ctx: usize, np: usize, nl: usize, vp: usize, vl: usize, h: u32, byValue: bool): i64 {
  if (g(ctx, COUNT) == 0) return -1;
  const bm = g(ctx, BMASK), cap = <usize>g(ctx, CAP), rg = ring(ctx);
  let seq = load<u32>(buckets(ctx) + (<usize>((h & bm) << 1) + (byValue ? 1 : 0) << 2));
  while (live(ctx, seq)) {
    const e = entry(ctx, seq);
    if (load<u32>(e + (byValue ? 16 : 12)) == h && <usize>load<u32>(e, 4) == nl && (!byValue || <usize>load<u32>(e, 8) == vl)) {
      const pos = <usize>load<u32>(e);
      if (ringEquals(rg, cap, pos, np, nl)) {
        let vpos = pos + nl;
        if (vpos >= cap) vpos -= cap;
        if (!byValue || ringEquals(rg, cap, vpos, vp, vl)) return seq;
      }
    }
    const next = load<u32>(e + (byValue ? 24 : 20));
    if (next == seq) break;
    seq = next;
  }
  return -1;
}

function evictTo(ctx: usize, max: u32): void {
  let size = g(ctx, SIZE), count = g(ctx, COUNT);
  const seq = g(ctx, SEQ);
  while (size > max && count > 0) {
    const e = entry(ctx, seq - count);
    size -= load<u32>(e, 4) + load<u32>(e, 8) + 32;
    count--;
  }
  s(ctx, SIZE, size);
  s(ctx, COUNT, count);
}

function insert(ctx: usize, np: usize, nl: u32, vp: usize, vl: u32, nh: u32, vh: u32): void {
  const size = nl + vl + 32, max = g(ctx, MAX);
  if (<u64>nl + <u64>vl + 32 > <u64>max) { evictTo(ctx, 0); return; }
  evictTo(ctx, max - size);
  const seq = g(ctx, SEQ), cap = <usize>g(ctx, CAP), rg = ring(ctx), bm = g(ctx, BMASK);
  const e = entry(ctx, seq);
  const pos = g(ctx, WPOS);
  const bn = buckets(ctx) + (<usize>((nh & bm) << 1) << 2);
  const bv = buckets(ctx) + (<usize>(((vh & bm) << 1) + 1) << 2);
  store<u32>(e, pos);
  store<u32>(e, nl, 4);
  store<u32>(e, vl, 8);
  store<u32>(e, nh, 12);
  store<u32>(e, vh, 16);
  // A chain link to a dead or unrelated seq ends the walk (live() fails or the hash differs).
  store<u32>(e, g(ctx, COUNT) == 0 ? seq : load<u32>(bn), 20);
  store<u32>(e, g(ctx, COUNT) == 0 ? seq : load<u32>(bv), 24);
  store<u32>(bn, seq);
  store<u32>(bv, seq);
  s(ctx, WPOS, <u32>ringWrite(rg, cap, ringWrite(rg, cap, <usize>pos, np, <usize>nl), vp, <usize>vl));
  s(ctx, SEQ, seq + 1);
  s(ctx, COUNT, g(ctx, COUNT) + 1);
  s(ctx, SIZE, g(ctx, SIZE) + size);
}

/** Sets the table maximum (clamped to CAP); the next block starts with the size update(s). */
export function hp_enc_set_max(ctx: usize, n: u32): void {
  if (n > g(ctx, CAP)) n = g(ctx, CAP);
  if (n < g(ctx, PEND_MIN)) s(ctx, PEND_MIN, n);
  s(ctx, PEND, n);
  s(ctx, MAX, n);
  evictTo(ctx, n);
}

/** Writes a string literal (§5.2). mode: 0 auto (Huffman only when shorter), 1 always, 2 never. */
function writeString(o: usize, p: usize, len: usize, mode: u32): usize {
  if (mode != 2) {
    if (len < 127) {
      // One pass: Huffman-encode after a one-octet length, then fix up (the usual case is short).
      const end = huffEncode(p, len, o + 1);
      const hl = end - o - 1;
      if (mode == 0 && hl >= len) {
        store<u8>(o, <u8>len);
        copyBytes(o + 1, p, len);
        return o + 1 + len;
      }
      if (hl < 127) {
        store<u8>(o, <u8>(0x80 | hl));
        return end;
      }
      // 'always' and a length prefix of several octets: encode again after the right prefix.
      o = writeInt(o, 0x80, 7, <u32>hl);
      return huffEncode(p, len, o);
    }
    const hl = huffEncodedLength(p, len);
    if (mode == 1 || hl < len) {
      o = writeInt(o, 0x80, 7, <u32>hl);
      return huffEncode(p, len, o);
    }
  }
  o = writeInt(o, 0, 7, <u32>len);
  copyBytes(o, p, len);
  return o + len;
}

// Static indexes of names the policy treats specially (RFC 7541 Appendix A).
const S_PATH: u32 = 4, S_AGE: u32 = 21, S_AUTHORIZATION: u32 = 23, S_CONTENT_LENGTH: u32 = 28, S_COOKIE: u32 = 32;
const S_ETAG: u32 = 34, S_IF_MODIFIED_SINCE: u32 = 40, S_IF_NONE_MATCH: u32 = 41, S_LOCATION: u32 = 46, S_SET_COOKIE: u32 = 55;

/**
 * Encodes n fields. `fields`: per field u32 name length, value length, flags (1 sensitive: never
 * indexed; 2 force incremental indexing; 4 force without indexing; 0 the policy decides; bits 8-15:
 * the name is static entry k, and its octets are not in `bytes`);
 * `bytes`: name then value of each field, concatenated. mode: Huffman mode (see writeString).
 * Writes the block at `out` (the caller sizes it: 4 * bytes + 12 * n + 16 suffices). Returns its length.
 */
export function hp_enc_run(ctx: usize, fields: usize, n: u32, bytes: usize, out: usize, mode: u32): i32 {
  let o = out;
  if (g(ctx, PEND) != 0xffffffff) {
    const lo = g(ctx, PEND_MIN), fin = g(ctx, PEND);
    if (lo < fin) o = writeInt(o, 0x20, 5, lo);
    o = writeInt(o, 0x20, 5, fin);
    s(ctx, PEND_MIN, 0xffffffff);
    s(ctx, PEND, 0xffffffff);
  }
  let p = bytes;
  for (let i: u32 = 0; i < n; i++) {
    const f = fields + <usize>i * 12;
    let nl = load<u32>(f);
    const vl = load<u32>(f, 4), flags = load<u32>(f, 8);
    let np = p, nh: u32, sn: u32 = (flags >> 8) & 0xff;
    if (sn != 0) {
      // The facade recognised a static-table name: no name octets were sent.
      np = sName(sn);
      nl = <u32>sNameLen(sn);
      nh = load<u32>(STATIC_NAME_HASH + (<usize>sn << 2));
    } else {
      nh = hash(np, <usize>nl, 0);
      sn = findStaticName(np, <usize>nl, nh);
      p += <usize>nl;
    }
    const vp = p;
    p += <usize>vl;
    const vh = hash(vp, <usize>vl, nh);
    let never = (flags & 1) != 0 || (flags & 6) == 0 && (sn == S_AUTHORIZATION || (sn == S_COOKIE && vl < 20));
    if (!never) {
      // Exact match: a one-octet-ish indexed field (§6.1).
      let idx: u32 = sn != 0 ? findStaticNV(np, <usize>nl, vp, <usize>vl, vh) : 0;
      if (idx == 0) {
        const d = findDynamic(ctx, np, <usize>nl, vp, <usize>vl, vh, true);
        if (d >= 0) idx = STATIC_COUNT + (g(ctx, SEQ) - <u32>d);
      }
      if (idx != 0) {
        o = writeInt(o, 0x80, 7, idx);
        continue;
      }
    }
    let nameIdx = sn;
    if (nameIdx == 0) {
      const d = findDynamic(ctx, np, <usize>nl, 0, 0, nh, false);
      if (d >= 0) nameIdx = STATIC_COUNT + (g(ctx, SEQ) - <u32>d);
    }
    const noIndex = never || (flags & 4) != 0 || (flags & 2) == 0 && (sn == S_PATH || sn == S_AGE || sn == S_CONTENT_LENGTH || sn == S_ETAG ||
      sn == S_IF_MODIFIED_SINCE || sn == S_IF_NONE_MATCH || sn == S_LOCATION || sn == S_SET_COOKIE ||
      <u64>nl + <u64>vl + 32 > (<u64>g(ctx, MAX) * 3) >> 2);
    if (never) o = writeInt(o, 0x10, 4, nameIdx); // §6.2.3 never indexed
    else if (noIndex) o = writeInt(o, 0x00, 4, nameIdx); // §6.2.2 without indexing
    else o = writeInt(o, 0x40, 6, nameIdx); // §6.2.1 incremental indexing
    if (nameIdx == 0) o = writeString(o, np, <usize>nl, mode);
    o = writeString(o, vp, <usize>vl, mode);
    if (!noIndex) insert(ctx, np, nl, vp, vl, nh, vh);
  }
  return <i32>(o - out);
}
