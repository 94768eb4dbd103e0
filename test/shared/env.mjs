// The `env` handed to shared cases: assertions, the runtime's name, and the corpus loader.
import { assert } from './assert.mjs';

/** Thrown by env.corpus() when the shared corpus is not there. Runners skip loudly (fail in CI). */
export class CorpusMissing extends Error {
  get name() {
    return 'CorpusMissing';
  }
}

/**
 * @param runtime 'node' | 'deno' | 'chromium'
 * @param readCorpus async (relativePath) => Uint8Array | null
 */
export function makeEnv(runtime, readCorpus) {
  return {
    assert,
    runtime,
    async corpus(path) {
      const bytes = await readCorpus(path);
      if (bytes === null) throw new CorpusMissing(`corpus file ${path} not found (set WIREKIT_CORPUS to the shared corpus directory)`);
      return path.endsWith('.json') ? JSON.parse(new TextDecoder().decode(bytes)) : bytes;
    },
  };
}
