// Where the shared corpus is for Node tests: WIREKIT_CORPUS, else ../shared/corpus from the repo root.
import { existsSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';

export const corpusDir = resolve(process.env.WIREKIT_CORPUS ?? join(__dirname, '..', '..', '..', 'shared', 'corpus'));
export const corpusPresent = existsSync(corpusDir);

if (!corpusPresent) {
  const msg = `\n!!! wirekit: the shared corpus is missing at ${corpusDir} — corpus tests are SKIPPED (set WIREKIT_CORPUS). In CI this fails.\n`;
  console.warn(msg);
}

export function readCorpus(path: string): Uint8Array | null {
  const p = join(corpusDir, path);
  return existsSync(p) ? new Uint8Array(readFileSync(p)) : null;
}
