// Runs the shared cases (test/cases/*.cases.mjs) over dist/index.js in a real headless
// Chromium (Debian's /usr/bin/chromium driven by playwright-core; no browser download).
// Serves the repo and the corpus on 127.0.0.1 with COOP/COEP (so SharedArrayBuffer and shared
// Wasm memory are available), runs every case in the page, prints one line per case and a
// summary, writes .reports/browser.json ({ passed, failed, skipped }), exits 1 on failure.
import { createServer } from 'node:http';
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { resolve, join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const corpusDir = resolve(process.env.WIREKIT_CORPUS ?? join(root, '..', 'shared', 'corpus'));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.html': 'text/html', '.wasm': 'application/wasm' };

const cases = (await readdir(join(root, 'test/cases'))).filter((f) => f.endsWith('.cases.mjs')).sort();
const page = `<!doctype html><meta charset="utf-8"><title>wirekit</title><script type="module">
import * as lib from '/dist/index.js';
import { makeEnv } from '/test/shared/env.mjs';
const env = makeEnv('chromium', async (p) => { const r = await fetch('/corpus/' + p); return r.ok ? new Uint8Array(await r.arrayBuffer()) : null; });
const results = [];
try {
  await lib.init();
  for (const file of ${JSON.stringify(cases)}) {
    const mod = await import('/test/cases/' + file);
    for (const [name, fn] of mod.default(lib, env)) {
      try { await fn(); results.push({ file, name, status: 'passed' }); }
      catch (e) { results.push({ file, name, status: e?.name === 'CorpusMissing' ? 'skipped' : 'failed', error: String(e?.stack ?? e) }); }
    }
  }
  results.push({ file: 'runtime', name: 'crossOriginIsolated and shared Wasm memory available', status: crossOriginIsolated && new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true }).buffer instanceof SharedArrayBuffer ? 'passed' : 'failed' });
} catch (e) { results.push({ file: 'page', name: 'load', status: 'failed', error: String(e?.stack ?? e) }); }
window.__results = results;
</script>`;

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  try {
    let body;
    let path = decodeURIComponent(url.pathname);
    if (path === '/') body = page, path = '/index.html';
    else if (path.startsWith('/corpus/')) body = await readFile(join(corpusDir, path.slice(8).replace(/\.\./g, '')));
    else if (/^\/(dist|test)\//.test(path)) body = await readFile(join(root, path.replace(/\.\./g, '')));
    else throw new Error('not found');
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404, headers);
    res.end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let results;
try {
  const tab = await browser.newPage();
  tab.on('pageerror', (e) => console.error('page error:', e.message));
  await tab.goto(`http://127.0.0.1:${port}/`);
  await tab.waitForFunction(() => window.__results !== undefined, null, { timeout: 120_000 });
  results = await tab.evaluate(() => window.__results);
} finally {
  await browser.close();
  server.close();
}

const inCI = !!process.env.CI;
let passed = 0, failed = 0, skipped = 0;
for (const r of results) {
  if (r.status === 'skipped' && inCI) r.status = 'failed';
  if (r.status === 'passed') passed++;
  else if (r.status === 'skipped') skipped++, console.warn(`!!! SKIPPED (corpus missing): ${r.file} > ${r.name}`);
  else failed++, console.log(`✗ ${r.file} > ${r.name}\n  ${r.error ?? ''}`);
}
console.log(`chromium: ${passed} passed, ${failed} failed, ${skipped} skipped`);
await mkdir(join(root, '.reports'), { recursive: true });
await writeFile(join(root, '.reports/browser.json'), JSON.stringify({ passed, failed, skipped }));
process.exit(failed ? 1 : 0);
