/**
 * The headless CLI: `npm run --silent rte -- <command> [flags]`. Success prints one JSON line on stdout; any
 * failure (bad input, a run beyond the budget, an internal error) prints one line on stderr and exits 2.
 */
import { workerData } from 'node:worker_threads';
import { installNodeCrossoverStore } from '../core/jit/node-crossover';
import { installNodeThreads } from '../core/jit/node-threads';
import type { Command } from './command';
import { gradCommand } from './commands/grad';
import { jacobianCommand } from './commands/jacobian';
import { jvpCommand } from './commands/jvp';
import { solveCommand } from './commands/solve';
import { sweepCommand } from './commands/sweep';
import { EXIT_FAILURE, UsageError, userMessage } from './errors';
import { stopWhenParentExits, underNpm } from './parent-watch';
import { isSweepWorker, serveSweepWorker } from './sweep/worker';

const COMMANDS: readonly Command[] = [solveCommand, gradCommand, jacobianCommand, jvpCommand, sweepCommand];

function usage(): string {
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return [
    'usage: npm run --silent rte -- <command> [flags]',
    '',
    'commands:',
    ...rows,
    '',
    "'<command> --help' lists its flags.",
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  // batches of 8 cases or more, and Jacobians' basis chunks, split over the cores (workers start when used)
  installNodeThreads();
  // where a hardware GPU is present, 'auto' measures it against wasm once per program and batch size
  installNodeCrossoverStore();
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const names = COMMANDS.map((c) => c.name).join(', ');
  if (name === undefined) throw new UsageError(`missing command (allowed: ${names}; see --help)`);
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command '${name}' (allowed: ${names}; see --help)`);
  const report = await command.run(rest);
  if (report) process.stdout.write(`${JSON.stringify(report)}\n`);
  return 0;
}

/** Any failure, wherever it surfaces: one line, exit 2. */
function fail(e: unknown): void {
  process.stderr.write(`rte: ${userMessage(e)}\n`);
  process.exitCode = EXIT_FAILURE;
}

async function cli(): Promise<void> {
  // a failure outside main's await (a callback, a worker's message) is told the same way
  process.on('uncaughtException', (e) => {
    fail(e);
    process.exit();
  });
  process.on('unhandledRejection', (e) => {
    fail(e);
    process.exit();
  });
  if (underNpm()) await stopWhenParentExits();
  try {
    const code = await main(process.argv.slice(2));
    // a command may have set its own code (an interrupted sweep: 130)
    if (!process.exitCode) process.exitCode = code;
  } catch (e) {
    fail(e);
  }
  // A GPU runtime (Dawn, for --backend webgpu) keeps the event loop alive after the work is done: leave as soon
  // as the output is flushed rather than hang.
  process.stdout.write('', () => process.exit());
}

// A sweep's worker threads start this same file (bundle or sources) with their role in workerData.
if (isSweepWorker(workerData)) serveSweepWorker();
else await cli();
