/**
 * tshark `-T fields` rows printed in Wasm from a batch decoder's columns (assembly/packet/fields.ts):
 * the fast path of `wirekit dissect`. Only outer-header fields, only for frames whose output cannot
 * involve more than their outer headers; the caller prints the other frames itself.
 */
import { wasm, allocPtr, freePtr, addressOf, guard, heapU8 } from '../runtime/core.js';
import type { PcapChunkDecoder } from './capture.js';

interface FieldsExports {
  pk_fields(input: number, cols: number, capacity: number, from: number, to: number, codes: number, ncodes: number, number: number, out: number, limit: number): number;
  pk_fields_end(): number;
  pk_fields_row_max(ncodes: number): number;
}

/** The fields the Wasm printer knows, in its code order (tshark's names). */
export const WASM_FIELDS = [
  'frame.number', 'frame.len', 'frame.cap_len', 'ip.src', 'ip.dst', 'ip.proto', 'ip.ttl', 'ip.len', 'ipv6.src', 'ipv6.dst', 'ipv6.plen',
  'ipv6.hlim', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags', 'tcp.window_size_value',
  'udp.srcport', 'udp.dstport', 'udp.length',
] as const;

export interface FieldPrinter {
  /** Most bytes one row can take: keep at least this much room in the output. */
  rowMax: number;
  /**
   * Prints rows [from, to) of the decoder's table (frames in `input`, numbered from `number`)
   * into out[o, out.length). Stops before a frame it leaves to the caller or when less than
   * rowMax bytes remain. Returns the first row not printed and where the output ends.
   */
  print(input: Uint8Array, from: number, to: number, number: number, out: Uint8Array, o: number): { row: number; end: number };
  free(): void;
}

/** A printer for `fields` (each one of WASM_FIELDS) over `decoder`'s column table. */
export function fieldPrinter(decoder: PcapChunkDecoder, fields: readonly string[]): FieldPrinter {
  const w = wasm<FieldsExports>();
  const codes = Uint8Array.from(fields, (f) => {
    const c = (WASM_FIELDS as readonly string[]).indexOf(f);
    if (c < 0) throw new RangeError(`fieldPrinter: ${f} is not printed in Wasm`);
    return c;
  });
  const codesPtr = allocPtr(Math.max(1, codes.length));
  heapU8().set(codes, codesPtr);
  const r = { row: 0, end: 0 };
  return {
    rowMax: w.pk_fields_row_max(codes.length),
    print(input, from, to, number, out, o) {
      const inPtr = addressOf(input);
      const outPtr = addressOf(out);
      if (inPtr < 0 || outPtr < 0) throw new RangeError('fieldPrinter: input and out must be alloc() memory');
      r.row = guard(() => w.pk_fields(inPtr, decoder.table, decoder.rows, from, to, codesPtr, codes.length, number, outPtr + o, outPtr + out.length));
      r.end = w.pk_fields_end() - outPtr;
      return r;
    },
    free() {
      freePtr(codesPtr);
    },
  };
}
