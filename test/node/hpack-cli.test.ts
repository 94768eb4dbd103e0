// `wirekit hpack` as a user runs it (dist/cli.cjs), on RFC 7541 Appendix C vectors.
import { describe, expect, test } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const cli = resolve(__dirname, '../../dist/cli.cjs');
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('wirekit hpack', () => {
  test('RFC 7541 C.3.1 + C.3.2 decode through one context', () => {
    const out = run('hpack', '828684410f7777772e6578616d706c652e636f6d', '828684be58086e6f2d6361636865');
    expect(out).toBe('# block 0\n:method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n# block 1\n:method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\ncache-control: no-cache\n');
    const j = JSON.parse(run('hpack', '--json', '828684410f7777772e6578616d706c652e636f6d'));
    expect(j.table).toEqual([{ name: ':authority', value: 'www.example.com', size: 57 }]);
  });
  test('RFC 7541 C.2.1 encode with --huffman never: 400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572', () => {
    expect(run('hpack', '--encode', '--huffman', 'never', 'custom-key=custom-header').trim()).toBe('400a637573746f6d2d6b65790d637573746f6d2d686561646572');
  });
  test('bad block: typed error on stderr, exit code 1', () => {
    const r = spawnSync(process.execPath, [cli, 'hpack', '80'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('HpackError');
  });
});
