// HPACK (RFC 7541) vectors: Appendix C examples, §5.1/§5.2 rules, h2spec-style negative cases.
// Expected values come from the RFC (via the corpus JSON) or are written out by hand from the RFC.
// Shared by Node, Deno and Chromium.
export default function hpackCases(lib, { assert, corpus }) {
  const { equal, ok, deepEqual, throws, hex } = assert;
  const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const ascii = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const fields = (list) => list.map(({ name, value }) => ({ name, value }));
  const contexts = ['C.2.1', 'C.2.2', 'C.2.3', 'C.2.4', 'C.3', 'C.4', 'C.5', 'C.6'];
  const examplesOf = async (ctx) => (await corpus('rfc7541-appendix-c.json')).examples.filter((e) => e.context === ctx);
  const cases = [];

  for (const ctx of contexts) {
    cases.push([`RFC 7541 ${ctx}: decoder yields the listed headers and dynamic table after each block`, async () => {
      const examples = await examplesOf(ctx);
      ok(examples.length > 0, 'examples present');
      const dec = new lib.HpackDecoder({ maxTableSize: examples[0].header_table_size });
      for (const ex of examples) {
        const got = dec.decode(hex(ex.wire_hex));
        deepEqual(fields(got), ex.headers, `${ex.id} headers`);
        deepEqual(dec.table(), ex.dynamic_table_after.map(({ name, value, size }) => ({ name, value, size })), `${ex.id} dynamic table`);
        equal(dec.tableSize, ex.table_size_after, `${ex.id} table size`);
        const neverIdx = (ex.representations ?? []).map((r) => r.type === 'literal_never_indexed');
        deepEqual(got.map((f) => f.sensitive), neverIdx, `${ex.id} never-indexed flags`);
      }
    }]);
    cases.push([`RFC 7541 ${ctx}: encoder reproduces the wire bytes and dynamic table (representation per RFC)`, async () => {
      const examples = await examplesOf(ctx);
      const enc = new lib.HpackEncoder({ maxTableSize: examples[0].header_table_size, huffman: examples[0].huffman ? 'always' : 'never' });
      for (const ex of examples) {
        const kind = { literal_with_incremental_indexing: 'incremental', literal_without_indexing: 'without', literal_never_indexed: 'never' };
        const input = ex.headers.map((h, i) => ({ ...h, indexing: kind[ex.representations[i].type] }));
        equal(toHex(enc.encode(input)), ex.wire_hex, `${ex.id} wire`);
        equal(enc.tableSize, ex.table_size_after, `${ex.id} table size`);
        equal(enc.tableLength, ex.dynamic_table_after.length, `${ex.id} entries`);
      }
    }]);
  }

  cases.push(['RFC 7541 C.4.1 Huffman: "www.example.com" <-> f1e3 c2e5 f23a 6ba0 ab90 f4ff', () => {
    equal(toHex(lib.huffmanEncode(ascii('www.example.com'))), 'f1e3c2e5f23a6ba0ab90f4ff');
    equal(toHex(lib.huffmanDecode(hex('f1e3c2e5f23a6ba0ab90f4ff'))), toHex(ascii('www.example.com')));
    // C.4.2 "no-cache" = a8eb 1064 9cbf; C.6.1 "302" = 6402.
    equal(toHex(lib.huffmanEncode(ascii('no-cache'))), 'a8eb10649cbf');
    equal(toHex(lib.huffmanEncode(ascii('302'))), '6402');
  }]);

  cases.push(['RFC 7541 §5.2: every octet 0..255 round-trips through Huffman (all 256 symbols, 8..30-bit codes)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    deepEqual(lib.huffmanDecode(lib.huffmanEncode(all)), all);
    for (let i = 0; i < 256; i++) deepEqual(lib.huffmanDecode(lib.huffmanEncode(Uint8Array.of(i, i))), Uint8Array.of(i, i), `octet ${i}`);
  }]);

  // h2spec hpack group and the research note's table (RFC section in the name).
  const bad = [
    ['§5.2 Huffman padding of 8 bits (4181ff)', '4181ff', 'HUFFMAN_PADDING'],
    ['§5.2 Huffman string containing EOS (4184ffffffff)', '4184ffffffff', 'HUFFMAN_EOS'],
    ['§5.2 Huffman padding not all ones (418118)', '418118', 'HUFFMAN_PADDING'],
    ['§5.2 (h2spec 5.2/1 style) padding of 11 bits: "a" = 00011 then 11 ones (00017882 1fff)', '000178821fff', 'HUFFMAN_PADDING'],
    ['§5.2 (h2spec 5.2/3 style) value of 32 ones holds EOS (00017884 ffffffff)', '00017884ffffffff', 'HUFFMAN_EOS'],
    ['§5.2 never-indexed literal, name Huffman "a" with zero padding (10 8118 00)', '10811800', 'HUFFMAN_PADDING'],
    ['§6.1 indexed field with index 0 (80)', '80', 'INDEX_ZERO'],
    ['§2.3.3 index 62 with an empty dynamic table (be)', 'be', 'INDEX_OUT_OF_RANGE'],
    ['§2.3.3 literal with name index 70 (7f070161)', '7f070161', 'INDEX_OUT_OF_RANGE'],
    ['§6.3 size update 8192 above SETTINGS 4096 (3fe13f)', '3fe13f', 'TABLE_SIZE_UPDATE_TOO_LARGE'],
    ['§4.2 size update after a field (823fe11f)', '823fe11f', 'TABLE_SIZE_UPDATE_POSITION'],
    ['§4.2 size update at the end of a block (82 20)', '8220', 'TABLE_SIZE_UPDATE_POSITION'],
    ['§5.1 integer with 6 continuation octets (ffffffffffff0f)', 'ffffffffffff0f', 'INTEGER_OVERFLOW'],
    ['§5.1 integer above 2^32-1 (ff ff ff ff ff 7f)', 'ffffffffff7f', 'INTEGER_OVERFLOW'],
    ['§5.2 string longer than the block (400a6162)', '400a6162', 'TRUNCATED'],
    ['§5.1 truncated integer (ff80)', 'ff80', 'TRUNCATED'],
    ['§6.2 literal ends after the name (400161)', '400161', 'TRUNCATED'],
  ];
  for (const [name, wire, reason] of bad) {
    cases.push([`negative: ${name} -> COMPRESSION_ERROR ${reason}, sticky`, () => {
      const dec = new lib.HpackDecoder();
      const e = throws(() => dec.decode(hex(wire)), { name: 'HpackError', code: 'MALFORMED', http2Code: 'COMPRESSION_ERROR', reason });
      ok(typeof e.offset === 'number', 'offset given');
      throws(() => dec.decode(hex('82')), { reason }, 'the same error again: the decoder is dead (RFC 9113 §4.3)');
      deepEqual(fields(new lib.HpackDecoder().decode(hex('82'))), [{ name: ':method', value: 'GET' }], 'a fresh decoder works');
    }]);
  }

  cases.push(['§6.3 size updates: several in a row at the start are fine; 0 empties the table', () => {
    const dec = new lib.HpackDecoder();
    dec.decode(hex('400161016282')); // literal "a: b" with incremental indexing, then :method GET
    equal(dec.tableSize, 34);
    // update to 0 (20), update to 4096 (3f e1 1f), then index 2.
    deepEqual(fields(dec.decode(hex('203fe11f82'))), [{ name: ':method', value: 'GET' }]);
    equal(dec.tableSize, 0);
    equal(dec.maxTableSize, 4096);
  }]);

  cases.push(['§4.2 after SETTINGS lowers the table size the next block must start with an update <= it', () => {
    const a = new lib.HpackDecoder();
    a.decode(hex('400161016282'));
    a.setMaxTableSize(100);
    throws(() => a.decode(hex('82')), { reason: 'TABLE_SIZE_UPDATE_MISSING' });
    const b = new lib.HpackDecoder();
    b.decode(hex('400161016282'));
    b.setMaxTableSize(100);
    deepEqual(fields(b.decode(hex('3f4582'))), [{ name: ':method', value: 'GET' }], 'update to 100 (3f 45) accepted');
    throws(() => b.decode(hex('3f4682')), { reason: 'TABLE_SIZE_UPDATE_TOO_LARGE' }, '101 > SETTINGS 100');
    const c = new lib.HpackDecoder();
    c.setMaxTableSize(0);
    c.setMaxTableSize(100);
    throws(() => c.decode(hex('3f4582')), { reason: 'TABLE_SIZE_UPDATE_MISSING' }, 'the smallest setting (0) must be signalled');
    const d = new lib.HpackDecoder();
    d.setMaxTableSize(0);
    d.setMaxTableSize(100);
    deepEqual(fields(d.decode(hex('203f4582'))), [{ name: ':method', value: 'GET' }], '0 then 100');
    const e = new lib.HpackDecoder();
    e.setMaxTableSize(8192);
    deepEqual(fields(e.decode(hex('82'))), [{ name: ':method', value: 'GET' }], 'raising needs no update');
    deepEqual(fields(e.decode(hex('3fe13f82'))), [{ name: ':method', value: 'GET' }], 'update to 8192 now allowed');
  }]);

  cases.push(['raising SETTINGS_HEADER_TABLE_SIZE above the initial size keeps the table (entries still referable)', async () => {
    const examples = await examplesOf('C.3');
    const dec = new lib.HpackDecoder();
    dec.decode(hex(examples[0].wire_hex));
    dec.decode(hex(examples[1].wire_hex));
    const before = dec.table();
    dec.setMaxTableSize(65536);
    deepEqual(dec.table(), before, 'same entries after the move');
    deepEqual(fields(dec.decode(hex(examples[2].wire_hex))), examples[2].headers, 'C.3.3 decodes against the moved table');
    deepEqual(dec.table(), examples[2].dynamic_table_after.map(({ name, value, size }) => ({ name, value, size })));
    deepEqual(fields(dec.decode(hex('3fe1ff0382'))), [{ name: ':method', value: 'GET' }], 'update to 65536 (3f e1 ff 03) then index 2');
  }]);

  cases.push(['§6.2.3 never-indexed literals come back flagged sensitive; encoder marks caller-flagged fields', () => {
    const enc = new lib.HpackEncoder();
    const block = enc.encode([{ name: 'x-token', value: 'secret', sensitive: true }, ['authorization', 'Basic Zm9v'], ['cookie', 'a=1']]);
    equal(block[0] & 0xf0, 0x10, 'first field never indexed');
    equal(enc.tableLength, 0, 'nothing indexed');
    const got = new lib.HpackDecoder().decode(block);
    deepEqual(got, [
      { name: 'x-token', value: 'secret', sensitive: true },
      { name: 'authorization', value: 'Basic Zm9v', sensitive: true },
      { name: 'cookie', value: 'a=1', sensitive: true },
    ]);
  }]);

  cases.push(['strings are byte-exact: every octet 0x00..0xff in names and values survives encode/decode', () => {
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    for (const huffman of ['auto', 'always', 'never']) {
      const enc = new lib.HpackEncoder({ huffman });
      const dec = new lib.HpackDecoder();
      for (let k = 0; k < 2; k++) deepEqual(dec.decode(enc.encode([[all, all], ['x', '\x80\x9f\xff']])), [
        { name: all, value: all, sensitive: false }, { name: 'x', value: '\x80\x9f\xff', sensitive: false }], huffman);
    }
    throws(() => new lib.HpackEncoder().encode([['x', '\u20ac']]), { code: 'INVALID_ARGUMENT' });
  }]);

  cases.push(['HPACK bomb (CVE-2016-6581): a 4 KB entry referenced 1000 times fails before materialising; table stays in sync', () => {
    const dec = new lib.HpackDecoder({ maxHeaderListSize: 16384 });
    const big = 'v'.repeat(4000);
    const enc = new lib.HpackEncoder({ huffman: 'never' });
    const first = enc.encode([{ name: 'x', value: big, indexing: 'incremental' }]);
    dec.decode(first);
    const bomb = new Uint8Array(1000).fill(0xbe); // index 62, 1000 times
    throws(() => dec.decode(bomb), { name: 'HpackError', reason: 'HEADER_LIST_TOO_LARGE', http2Code: 'PROTOCOL_ERROR' });
    deepEqual(fields(dec.decode(hex('be'))), [{ name: 'x', value: big }], 'not sticky: the decoder is in sync');
  }]);

  cases.push(['streaming: a block fed octet by octet equals the block decoded at once', async () => {
    const examples = await examplesOf('C.4');
    const a = new lib.HpackDecoder();
    const b = new lib.HpackDecoder();
    for (const ex of examples) {
      const wire = hex(ex.wire_hex);
      for (let i = 0; i < wire.length; i++) b.push(wire.subarray(i, i + 1));
      deepEqual(b.end(), a.decode(wire), ex.id);
    }
    deepEqual(b.table(), a.table());
  }]);

  cases.push(['streaming: a block truncated mid-field fails at end() with TRUNCATED', () => {
    const dec = new lib.HpackDecoder();
    dec.push(hex('8240'));
    dec.push(hex('0161'));
    throws(() => dec.end(), { reason: 'TRUNCATED', offset: 1 });
  }]);

  return cases;
}
