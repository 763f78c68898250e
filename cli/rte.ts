/**
 * The headless CLI: `npm run --silent rte -- <command> [flags]`. Success prints one JSON line on stdout; bad
 * input prints one line on stderr and exits 2; an internal error prints one line and exits 1.
 */
import { workerData } from 'node:worker_threads';
import type { Command } from './command';
import { gradCommand } from './commands/grad';
import { jacobianCommand } from './commands/jacobian';
import { jvpCommand } from './commands/jvp';
import { solveCommand } from './commands/solve';
import { sweepCommand } from './commands/sweep';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, isBadInput, oneLine, UsageError } from './errors';
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

async function cli(): Promise<void> {
  try {
    const code = await main(process.argv.slice(2));
    // a command may have set its own code (an interrupted sweep: 130)
    if (!process.exitCode) process.exitCode = code;
  } catch (e) {
    if (isBadInput(e)) {
      process.stderr.write(`rte: ${oneLine(e.message)}\n`);
      process.exitCode = EXIT_BAD_INPUT;
    } else {
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      process.stderr.write(`rte: internal error: ${oneLine(message)}\n`);
      process.exitCode = EXIT_INTERNAL;
    }
  }

  // A GPU runtime (Dawn, for --backend webgpu) keeps the event loop alive after the work is done: leave as soon
  // as the output is flushed rather than hang.
  process.stdout.write('', () => process.exit());
}

// A sweep's worker threads start this same file (bundle or sources) with their role in workerData.
if (isSweepWorker(workerData)) serveSweepWorker();
else await cli();
