export class CorpusMissing extends Error {}
export interface CaseEnv {
  assert: Record<string, (...args: any[]) => any>;
  runtime: 'node' | 'deno' | 'chromium';
  corpus(path: string): Promise<any>;
}
export function makeEnv(runtime: CaseEnv['runtime'], readCorpus: (path: string) => Promise<Uint8Array | null>): CaseEnv;
