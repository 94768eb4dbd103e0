// vitest runs over src/, which imports the generated Wasm module (src/runtime/generated/):
// build once when it is missing, so `npx vitest run` works on a fresh clone too.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

export default function setup(): void {
  if (!existsSync('src/runtime/generated/wasm.ts') || !existsSync('dist/index.cjs')) {
    execSync('npm run build', { stdio: 'inherit' });
  }
}
