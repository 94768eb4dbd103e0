/**
 * The `wirekit` command line. Subcommands live one per file in src/cli/.
 */
import { Command } from 'commander';
import { checksumCommand } from './checksum.js';
import { allreducePerfCommand, runIfAllreduceWorker } from './allreduce-perf.js';
import { demoCommand } from './demo.js';
import { varintCommand } from './varint.js';
import { dissectCommand } from './dissect.js';
import { hpackCommand } from './hpack.js';

// allreduce-perf re-runs this file as its worker threads.
if (!runIfAllreduceWorker()) main();

function main(): void {
  const program = new Command();
  program.name('wirekit').description('WebAssembly-accelerated protocol codecs').version('0.1.0');
  checksumCommand(program);
  varintCommand(program);
  hpackCommand(program);
  dissectCommand(program);
  allreducePerfCommand(program);
  demoCommand(program);
  program.parseAsync(process.argv).catch((e: unknown) => {
    const err = e as Error & { code?: string };
    process.stderr.write(`wirekit: ${err.name}${err.code ? ` ${err.code}` : ''}: ${err.message}\n`);
    process.exitCode = 1;
  });
}
