import typescript from '@rollup/plugin-typescript';

const ts = () => typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], declaration: false, noEmitOnError: true });

export default [
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.js', format: 'es', sourcemap: true, sourcemapExcludeSources: true },
      { file: 'dist/index.cjs', format: 'cjs', exports: 'named', sourcemap: true, sourcemapExcludeSources: true },
    ],
    plugins: [ts()],
  },
  {
    // The CLI bundles the library; its npm dependencies (commander, ...) stay external.
    input: 'src/cli/main.ts',
    output: { file: 'dist/cli.cjs', format: 'cjs', banner: '#!/usr/bin/env node', sourcemap: true, sourcemapExcludeSources: true },
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    plugins: [ts()],
  },
];
