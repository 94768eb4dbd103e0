// Runs the shared cases (test/cases/*.cases.mjs) over the TypeScript sources.
import { describe, test } from 'vitest';
import * as lib from '../../src/index.js';
import { makeEnv } from '../shared/env.mjs';
import { readCorpus } from './corpus.js';

type Case = [string, () => unknown];
const modules = import.meta.glob<{ default: (lib: unknown, env: unknown) => Case[] }>('../cases/*.cases.mjs', { eager: true });
const env = makeEnv('node', async (p: string) => readCorpus(p));

for (const [path, mod] of Object.entries(modules)) {
  describe(path.replace('../cases/', ''), () => {
    for (const [name, fn] of mod.default(lib, env)) {
      test(name, async (ctx) => {
        try {
          await fn();
        } catch (e) {
          if ((e as Error).name === 'CorpusMissing' && !process.env.CI) {
            console.warn(`!!! SKIPPED (corpus missing): ${name}`);
            ctx.skip();
          }
          throw e;
        }
      });
    }
  });
}
