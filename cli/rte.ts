/**
 * The headless CLI: `npm run --silent rte -- <command> [flags]`. Success prints one JSON line on stdout; any
 * failure (bad input, a run beyond the budget, an internal error) prints one line on stderr and exits 2.
 */
import type { Command } from './command';
import { gradCommand } from './commands/grad';
import { jacobianCommand } from './commands/jacobian';
import { jvpCommand } from './commands/jvp';
import { solveCommand } from './commands/solve';
import { EXIT_FAILURE, UsageError, userMessage } from './errors';
import { stopWhenParentExits, underNpm } from './parent-watch';

const COMMANDS: readonly Command[] = [solveCommand, gradCommand, jacobianCommand, jvpCommand];

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

if (underNpm()) stopWhenParentExits();
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`rte: ${userMessage(e)}\n`);
  process.exitCode = EXIT_FAILURE;
}

// A GPU runtime (Dawn, for --backend webgpu) keeps the event loop alive after the work is done: leave as soon
// as the output is flushed rather than hang.
process.stdout.write('', () => process.exit());
