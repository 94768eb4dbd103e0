// HPACK decoder (RFC 7541 §3-§6): a context in linear memory (allocated by the JS runtime through
// rt_alloc, never by this code) holding the dynamic table, and a resumable block decoder that
// writes field records for the facade (src/hpack/decoder.ts). No allocation on any path.
//
// Context layout (u32 fields, then the entry ring, then the byte ring):
const CAP = 0; //          byte-ring capacity = largest SETTINGS_HEADER_TABLE_SIZE this context holds
const MASK = 4; //         entry ring size - 1 (power of two >= CAP/32)
const SETTINGS = 8; //     SETTINGS_HEADER_TABLE_SIZE advertised (upper bound for size updates)
const CUR_MAX = 12; //     current dynamic table maximum (last size update)
const SIZE = 16; //        current table size, §4.1 (sum of name + value + 32)
const COUNT = 20; //       live entries
const WPOS = 24; //        byte-ring write position
const SEQ = 28; //         sequence number of the next inserted entry (entry slot = seq & MASK)
const EXPECT = 32; //      1: the next block must start with a size update <= MIN_SETTINGS (§4.2)
const MIN_SETTINGS = 36; // smallest SETTINGS value since the last block
const AT_START = 40; //    1 until the first field of the current block (size updates allowed)
const UPD_MIN = 44; //     smallest size update seen at the start of this block
const LIST = 48; //        header list size so far in this block (RFC 9113 §6.5.2 accounting)
const LIST_LIMIT = 52; //  maxHeaderListSize
const OVERFLOW = 56; //    1 once LIST passed LIST_LIMIT: keep decoding (table stays in sync), emit nothing
const DEAD = 60; //        sticky error code (0 = alive)
const CONSUMED = 64; //    out: input bytes consumed by the last run
const NEEDED = 68; //      out: bytes from CONSUMED needed before the next run can progress
const OUT_USED = 72; //    out: string bytes written to the output area
const ERR_AT = 76; //      out: input offset of the error
const HDR: usize = 128;
const ENTRY: usize = 12; // per entry: byte-ring position, name length, value length

import { huffDecode } from './huffman';
import { STATIC_COUNT, STATIC_BYTES, STATIC_OFF, STATIC_NAME_LEN, STATIC_VALUE_LEN } from './tables';
import {
  readInt, intValue, intEnd, ringWrite, ringRead, copyBytes, pow2, E_TRUNCATED, E_INDEX_ZERO, E_INDEX_RANGE, E_HUFFMAN_EOS,
  E_HUFFMAN_PADDING, E_UPDATE_TOO_LARGE, E_UPDATE_POSITION, E_UPDATE_MISSING, E_STRING_TOO_LONG, E_DEAD, E_OUTPUT,
} from './common';

// @ts-ignore: decorator
@inline function g(ctx: usize, f: usize): u32 { return load<u32>(ctx + f); }
// @ts-ignore: decorator
@inline function s(ctx: usize, f: usize, v: u32): void { store<u32>(ctx + f, v); }

function entries(ctx: usize): usize { return ctx + HDR; }
function ring(ctx: usize): usize { return ctx + HDR + ((<usize>g(ctx, MASK) + 1) * ENTRY + 7) & ~<usize>7; }

/** Bytes a context for a table of `cap` bytes needs. */
export function hp_dec_ctx_size(cap: u32): usize {
  const n = <usize>pow2(cap / 32);
  return HDR + ((n * ENTRY + 7) & ~<usize>7) + <usize>cap;
}

/** Initialises a context: table capacity and SETTINGS_HEADER_TABLE_SIZE `cap`, list limit. */
export function hp_dec_init(ctx: usize, cap: u32, listLimit: u32): void {
  memory.fill(ctx, 0, HDR);
  s(ctx, CAP, cap);
  s(ctx, MASK, pow2(cap / 32) - 1);
  s(ctx, SETTINGS, cap);
  s(ctx, CUR_MAX, cap);
  s(ctx, MIN_SETTINGS, cap);
  s(ctx, LIST_LIMIT, listLimit);
}

function evictTo(ctx: usize, max: u32): void {
  let size = g(ctx, SIZE), count = g(ctx, COUNT);
  const seq = g(ctx, SEQ), mask = g(ctx, MASK);
  while (size > max && count > 0) {
    const e = entries(ctx) + <usize>((seq - count) & mask) * ENTRY;
    size -= load<u32>(e, 4) + load<u32>(e, 8) + 32;
    count--;
  }
  s(ctx, SIZE, size);
  s(ctx, COUNT, count);
}

/**
 * Sets SETTINGS_HEADER_TABLE_SIZE (<= CAP). Lowering it below the current maximum obliges the
 * peer to start its next block with a size update (§4.2); the table shrinks then.
 */
export function hp_dec_settings(ctx: usize, n: u32): void {
  s(ctx, SETTINGS, n);
  if (n < g(ctx, MIN_SETTINGS)) s(ctx, MIN_SETTINGS, n);
  if (n < g(ctx, CUR_MAX)) s(ctx, EXPECT, 1);
}

/** Adds an entry (name then value bytes at src) after evicting (§4.4). Returns its seq or -1. */
function insert(ctx: usize, nptr: usize, nameLen: u32, vptr: usize, valLen: u32): i64 {
  const size = nameLen + valLen + 32;
  const max = g(ctx, CUR_MAX);
  if (<u64>nameLen + <u64>valLen + 32 > <u64>max) {
    evictTo(ctx, 0); // §4.4: an entry larger than the table empties it, and is not added
    return -1;
  }
  evictTo(ctx, max - size);
  const seq = g(ctx, SEQ), cap = <usize>g(ctx, CAP);
  const e = entries(ctx) + <usize>(seq & g(ctx, MASK)) * ENTRY;
  const pos = g(ctx, WPOS);
  store<u32>(e, pos);
  store<u32>(e, nameLen, 4);
  store<u32>(e, valLen, 8);
  const rg = ring(ctx);
  s(ctx, WPOS, <u32>ringWrite(rg, cap, ringWrite(rg, cap, <usize>pos, nptr, <usize>nameLen), vptr, <usize>valLen));
  s(ctx, SEQ, seq + 1);
  s(ctx, COUNT, g(ctx, COUNT) + 1);
  s(ctx, SIZE, g(ctx, SIZE) + size);
  return seq;
}

// Record kinds (bits of the record's flags word), mirrored in src/hpack/decoder.ts.
const K_STATIC: u32 = 1; // ref = static index
const K_DYNAMIC: u32 = 2; // ref = entry seq
const F_SENSITIVE: u32 = 16; // never-indexed literal (§6.2.3)
const F_INSERTED: u32 = 32; // the field became entry `seq` (word 5)
const REC: usize = 24;

let gPtr: usize = 0; // string decode result: bytes at gPtr (in the output area), gLen long
let gLen: u32 = 0;

/** Decodes the string literal at p (complete in the input) to out. Returns 0 or an error. */
function readString(p: usize, out: usize, outEnd: usize): i32 {
  const huff = load<u8>(p) & 0x80;
  readInt(p, p + 8, 7); // complete: checked by the parse pass
  const len = intValue, at = intEnd;
  gPtr = out;
  if (huff == 0) {
    if (<usize>len > outEnd - out) return E_STRING_TOO_LONG;
    copyBytes(out, at, <usize>len);
    gLen = len;
    return 0;
  }
  const r = huffDecode(at, <usize>len, out, outEnd);
  if (r < 0) return r == -1 ? E_HUFFMAN_EOS : r == -2 ? E_HUFFMAN_PADDING : E_STRING_TOO_LONG;
  gLen = <u32>(<usize>r - out);
  return 0;
}

/** Skips a string literal in the parse pass: 1 ok (intEnd = end), 0 incomplete (needed set), <0 error. */
function skipString(ctx: usize, p: usize, end: usize, start: usize): i32 {
  if (p >= end) { s(ctx, NEEDED, <u32>(p + 1 - start)); return 0; }
  const r = readInt(p, end, 7);
  if (r <= 0) { if (r == 0) s(ctx, NEEDED, <u32>(end + 1 - start)); return r; }
  // No length limit here: a string longer than the list limit is still decoded (Huffman errors
  // stay fatal) and, for incremental indexing, inserted or evicts the table (§4.4), so the table
  // stays in sync; the list overflows (HEADER_LIST_TOO_LARGE, not fatal). The string must be
  // complete in the input, and the output area (>= 2x the input) holds its decoded bytes.
  const stop = <u64>intEnd + <u64>intValue;
  if (stop > <u64>end) { s(ctx, NEEDED, <u32>(stop - <u64>start)); return 0; }
  intEnd = <usize>stop;
  return 1;
}

/**
 * Decodes [inp, inp+len) of a header block. flags: 1 = first piece of a block, 2 = last piece.
 * Writes field records (REC bytes each) at rec and string bytes at [out, out+outCap). Stops at an
 * incomplete field (CONSUMED/NEEDED tell where and how much more). Returns the record count or an
 * error code (sticky: the context is dead afterwards).
 */
export function hp_dec_run(ctx: usize, inp: usize, len: usize, flags: u32, rec: usize, recCap: u32, out: usize, outCap: usize): i32 {
  if (g(ctx, DEAD) != 0) return E_DEAD;
  const r = run(ctx, inp, len, flags, rec, recCap, out, outCap);
  if (r < 0) s(ctx, DEAD, <u32>(-r));
  return r;
}

function run(ctx: usize, inp: usize, len: usize, flags: u32, rec: usize, recCap: u32, out: usize, outCap: usize): i32 {
  if (flags & 1) {
    s(ctx, AT_START, 1);
    s(ctx, UPD_MIN, 0xffffffff);
    s(ctx, LIST, 0);
    s(ctx, OVERFLOW, 0);
  }
  const end = inp + len, outEnd = out + outCap;
  const limit = g(ctx, LIST_LIMIT);
  let p = inp, o = out, n: u32 = 0;
  s(ctx, NEEDED, 0);
  while (p < end) {
    const start = p;
    s(ctx, ERR_AT, <u32>(p - inp));
    const b = <u32>load<u8>(p);
    if ((b & 0xe0) == 0x20) {
      // §6.3 dynamic table size update: only before the first field, <= SETTINGS.
      const r = readInt(p, end, 5);
      if (r <= 0) { if (r == 0) { s(ctx, NEEDED, <u32>(end + 1 - start)); break; } return r; }
      if (g(ctx, AT_START) == 0) return E_UPDATE_POSITION;
      const v = intValue;
      if (v > g(ctx, SETTINGS)) return E_UPDATE_TOO_LARGE;
      if (v < g(ctx, UPD_MIN)) s(ctx, UPD_MIN, v);
      s(ctx, CUR_MAX, v);
      evictTo(ctx, v);
      p = intEnd;
      continue;
    }
    if (g(ctx, AT_START) != 0) {
      if (g(ctx, EXPECT) != 0 && g(ctx, UPD_MIN) > g(ctx, MIN_SETTINGS)) return E_UPDATE_MISSING;
      s(ctx, AT_START, 0);
      s(ctx, EXPECT, 0);
      s(ctx, MIN_SETTINGS, g(ctx, SETTINGS));
    }
    // Parse pass: the whole field must be present before anything is decoded or changed.
    let prefix: u32, fl: u32 = 0;
    if (b & 0x80) prefix = 7;
    else if (b & 0x40) prefix = 6;
    else { prefix = 4; if (b & 0x10) fl = F_SENSITIVE; }
    let r = readInt(p, end, prefix);
    if (r <= 0) { if (r == 0) { s(ctx, NEEDED, <u32>(end + 1 - start)); break; } return r; }
    const index = intValue;
    let q = intEnd;
    let nameAt: usize = 0, valAt: usize;
    if (prefix == 7) {
      valAt = 0;
    } else {
      if (index == 0) {
        nameAt = q;
        r = skipString(ctx, q, end, start);
        if (r <= 0) { if (r == 0) break; return r; }
        q = intEnd;
      }
      valAt = q;
      r = skipString(ctx, q, end, start);
      if (r <= 0) { if (r == 0) break; return r; }
      q = intEnd;
    }
    // Decode pass.
    const count = g(ctx, COUNT);
    if (prefix == 7 && index == 0) return E_INDEX_ZERO;
    if (index > STATIC_COUNT + count) return E_INDEX_RANGE;
    let nk: u32 = 0, nref: u32 = 0, nlen: u32 = 0, nptr: usize = 0;
    let vk: u32 = 0, vref: u32 = 0, vlen: u32 = 0, vptr: usize = 0;
    if (index != 0) {
      if (index <= STATIC_COUNT) {
        nk = K_STATIC;
        nref = index;
        nlen = <u32>load<u8>(STATIC_NAME_LEN + <usize>index);
        nptr = STATIC_BYTES + <usize>load<u16>(STATIC_OFF + (<usize>index << 1));
        if (prefix == 7) { vk = K_STATIC; vref = index; vlen = <u32>load<u8>(STATIC_VALUE_LEN + <usize>index); }
      } else {
        const seq = g(ctx, SEQ) - (index - STATIC_COUNT);
        const e = entries(ctx) + <usize>(seq & g(ctx, MASK)) * ENTRY;
        nk = K_DYNAMIC;
        nref = seq;
        nlen = load<u32>(e, 4);
        nptr = ring(ctx) + <usize>load<u32>(e); // may wrap: copied with ringRead when needed
        if (prefix == 7) { vk = K_DYNAMIC; vref = seq; vlen = load<u32>(e, 8); }
      }
    }
    let overflow = g(ctx, OVERFLOW);
    let w = o; // literal bytes go here; kept only when the field is emitted
    if (index == 0) {
      r = readString(nameAt, w, outEnd);
      if (r < 0) return r;
      nptr = w; nlen = gLen; nref = <u32>(w - out); w += <usize>gLen;
    }
    if (prefix != 7) {
      r = readString(valAt, w, outEnd);
      if (r < 0) return r;
      vptr = w; vlen = gLen; vref = <u32>(w - out); w += <usize>gLen;
    }
    const list = <u64>g(ctx, LIST) + <u64>nlen + <u64>vlen + 32;
    s(ctx, LIST, list > 0xffffffff ? 0xffffffff : <u32>list);
    if (list > <u64>limit) overflow = 1;
    let ins: i64 = -1;
    if (prefix == 6) {
      // §6.2.1 incremental indexing. A dynamic name is copied out first: eviction may reuse its bytes.
      if (nk == K_DYNAMIC) {
        if (<usize>nlen > outEnd - w) return E_OUTPUT;
        const e = entries(ctx) + <usize>(nref & g(ctx, MASK)) * ENTRY;
        ringRead(ring(ctx), <usize>g(ctx, CAP), <usize>load<u32>(e), w, <usize>nlen);
        nptr = w;
      }
      ins = insert(ctx, nptr, nlen, vptr, vlen);
    }
    if (overflow) {
      s(ctx, OVERFLOW, 1);
    } else {
      if (n >= recCap) return E_OUTPUT;
      const rp = rec + <usize>n * REC;
      store<u32>(rp, nk | (vk << 2) | fl | (ins >= 0 ? F_INSERTED : 0));
      store<u32>(rp, nref, 4);
      store<u32>(rp, nlen, 8);
      store<u32>(rp, vref, 12);
      store<u32>(rp, vlen, 16);
      store<u32>(rp, <u32>ins, 20);
      n++;
      o = w;
    }
    p = q;
  }
  s(ctx, CONSUMED, <u32>(p - inp));
  s(ctx, OUT_USED, <u32>(o - out));
  if (flags & 2) {
    s(ctx, ERR_AT, <u32>(p - inp));
    if (p < end) return E_TRUNCATED;
    if (g(ctx, AT_START) != 0 && g(ctx, EXPECT) != 0 && g(ctx, UPD_MIN) > g(ctx, MIN_SETTINGS)) return E_UPDATE_MISSING;
    if (g(ctx, AT_START) != 0 && g(ctx, UPD_MIN) != 0xffffffff) {
      s(ctx, EXPECT, 0);
      s(ctx, MIN_SETTINGS, g(ctx, SETTINGS));
    }
  }
  return <i32>n;
}

/** Copies the table of `from` into the fresh context `to` (larger CAP), keeping entry seqs. */
export function hp_dec_migrate(from: usize, to: usize): void {
  const count = g(from, COUNT), seq = g(from, SEQ);
  s(to, SEQ, seq - count);
  s(to, CUR_MAX, g(from, CUR_MAX));
  s(to, EXPECT, g(from, EXPECT));
  s(to, MIN_SETTINGS, g(from, MIN_SETTINGS));
  const tmpCap = <usize>g(to, CAP);
  const tr = ring(to), fr = ring(from), fcap = <usize>g(from, CAP);
  let pos: usize = 0;
  for (let i = count; i > 0; i--) {
    const sq = seq - i;
    const e = entries(from) + <usize>(sq & g(from, MASK)) * ENTRY;
    const nl = load<u32>(e, 4), vl = load<u32>(e, 8);
    const d = entries(to) + <usize>(sq & g(to, MASK)) * ENTRY;
    store<u32>(d, <u32>pos);
    store<u32>(d, nl, 4);
    store<u32>(d, vl, 8);
    ringRead(fr, fcap, <usize>load<u32>(e), tr + pos, <usize>(nl + vl));
    pos += <usize>(nl + vl);
  }
  s(to, WPOS, <u32>(pos >= tmpCap ? pos - tmpCap : pos));
  s(to, COUNT, count);
  s(to, SEQ, seq);
  s(to, SIZE, g(from, SIZE));
}
