// The demo's HTTP/2 part: Node's http2 client and server (nghttp2's HPACK encoder) through the
// recording proxy, written as pcap by wirekit, dissected by wirekit. The truth is what the Node
// script itself sent and what nghttp2 reported receiving (rawHeaders), never our decoder's output.
import { expect, test } from 'vitest';
import { frames } from '../../src/cli/demo-capture.js';
import { captureHeaderBlocks, DEMO_H2_REQUESTS, recordHttp2 } from '../../src/cli/demo-http2.js';
import { writePcap } from '../../src/pcap/writer.js';
import { dissectFields } from '../../src/cli/dissect-fields.js';

test('demo h2c capture: every header block decodes to the lists nghttp2 received, in order', async () => {
  const { chunks, exchanges } = await recordHttp2(3);
  const file = writePcap(frames(chunks), { linkType: 1, nanosecond: true });
  const blocks = captureHeaderBlocks(file); // prior knowledge: no decode-as rule needed
  expect(exchanges.length).toBe(DEMO_H2_REQUESTS.length);
  expect(blocks.map((b) => b.headers)).toEqual(exchanges.flatMap((x) => [x.request, x.response]));
  // What the client script asked for is in the request as sent (pseudo-headers and fields).
  for (const [i, sent] of DEMO_H2_REQUESTS.entries()) {
    const req = blocks[2 * i]!.headers;
    for (const [name, value] of Object.entries(sent)) expect(req, name).toContainEqual([name, String(value)]);
    expect(blocks[2 * i + 1]!.headers).toContainEqual([':status', '200']);
    expect(blocks[2 * i + 1]!.headers).toContainEqual(['x-served-by', 'node http2, via nghttp2']);
    expect(blocks[2 * i]!.streamId).toBe(2 * i + 1); // client streams are odd, in order (RFC 9113 §5.1.1)
  }
  // And the -T fields view of the same capture lists those header names.
  const rows = dissectFields(file, ['http2.streamid', 'http2.type', 'http2.header.name'], new Map()).split('\n');
  expect(rows.some((r) => r.includes(':path,') || r.endsWith(':path'))).toBe(true);
});
