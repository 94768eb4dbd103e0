// Runs the shared cases (test/cases/*.cases.mjs) over dist/index.js in Deno.
// `npm run test:deno` — needs --allow-read (cases, corpus) and --allow-env (WIREKIT_CORPUS, CI);
// the library itself needs no permission (its Wasm is inline).
import * as lib from '../../dist/index.js';
import { makeEnv } from '../shared/env.mjs';

const here = new URL('.', import.meta.url);
const corpusDir = Deno.env.get('WIREKIT_CORPUS') ?? new URL('../../../shared/corpus/', here).pathname;
const inCI = !!Deno.env.get('CI');

async function readCorpus(path) {
  try {
    return await Deno.readFile(`${corpusDir.replace(/\/$/, '')}/${path}`);
  } catch {
    return null;
  }
}

const env = makeEnv('deno', readCorpus);
const casesDir = new URL('../cases/', here);
const files = [];
for await (const e of Deno.readDir(casesDir)) if (e.name.endsWith('.cases.mjs')) files.push(e.name);
files.sort();

for (const file of files) {
  const mod = await import(new URL(file, casesDir).href);
  for (const [name, fn] of mod.default(lib, env)) {
    Deno.test(`${file} > ${name}`, async (t) => {
      try {
        await fn();
      } catch (e) {
        if (e?.name === 'CorpusMissing' && !inCI) {
          console.warn(`!!! SKIPPED (corpus missing): ${name}`);
          return;
        }
        throw e;
      }
    });
  }
}

Deno.test('dist picks a build (the library itself reads no file: its Wasm is inline)', () => {
  const info = lib.runtimeInfo();
  if (info.build !== 'simd' && info.build !== 'baseline') throw new Error(`unexpected build ${info.build}`);
});
