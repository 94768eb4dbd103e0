// tsc writes ESM declarations to dist/types. dist/index.d.ts re-exports them for `import`;
// for `require`, the same tree is copied to dist/types-cjs with a package.json saying
// "commonjs", so TypeScript reads those declarations as CJS (no masquerading ESM types).
import { writeFileSync, cpSync, rmSync } from 'node:fs';
rmSync('dist/types-cjs', { recursive: true, force: true });
cpSync('dist/types', 'dist/types-cjs', { recursive: true });
writeFileSync('dist/types-cjs/package.json', '{ "type": "commonjs" }\n');
writeFileSync('dist/index.d.ts', "export * from './types/index.js';\n");
writeFileSync('dist/index.d.cts', "export * from './types-cjs/index.js';\n");
