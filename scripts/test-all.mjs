// `npm test`: builds, then runs the Node (vitest over src/), Deno (over dist/) and Chromium
// (over dist/) suites, then ONE closing line `N passed, N failed` summing all three
// (CI reads only that line). Exit code: non-zero if any suite failed or did not report.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';

rmSync('.reports', { recursive: true, force: true });
mkdirSync('.reports', { recursive: true });
const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;
const counts = [];

if (!process.argv.includes('--no-build') && run('npm', ['run', 'build']) !== 0) {
  console.error('build failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

function suite(name, cmd, args, read) {
  const code = run(cmd, args);
  let c;
  try {
    c = read();
  } catch (e) {
    c = { passed: 0, failed: 1 };
    console.error(`${name}: no report (${e.message}); counted as 1 failure`);
  }
  if (code !== 0 && c.failed === 0) {
    console.error(`${name}: exited ${code} with no failed test; counted as 1 failure`);
    c.failed = 1;
  }
  console.log(`${name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`);
  counts.push(c);
}

suite('typecheck (tsc over src/ and test/node/)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], () => ({ passed: 1, failed: 0 }));

suite('node (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.reports/node.json'], () => {
  const j = JSON.parse(readFileSync('.reports/node.json', 'utf8'));
  // A suite that fails to load has no failed tests: count it.
  return { passed: j.numPassedTests, failed: j.numFailedTests || j.numFailedTestSuites, skipped: j.numPendingTests + (j.numTodoTests ?? 0) };
});

suite('deno', 'npx', ['deno', 'test', '--no-prompt', '--no-check', '--allow-read', '--allow-env', '--junit-path=.reports/deno.xml', 'test/deno/'], () => {
  const xml = readFileSync('.reports/deno.xml', 'utf8');
  const m = xml.match(/<testsuites[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"/);
  if (!m) throw new Error('unreadable junit file');
  const errors = Number(xml.match(/<testsuites[^>]*\berrors="(\d+)"/)?.[1] ?? 0);
  return { passed: Number(m[1]) - Number(m[2]) - errors, failed: Number(m[2]) + errors };
});

suite('chromium', 'node', ['test/browser/run.mjs'], () => JSON.parse(readFileSync('.reports/browser.json', 'utf8')));

const passed = counts.reduce((a, c) => a + c.passed, 0);
const failed = counts.reduce((a, c) => a + c.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
