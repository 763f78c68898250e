/**
 * `npx tsx bench/memory.ts [--tEnd 1,4]`: the memory group alone (also `npm run bench -- --memory`), each
 * horizon with default checkpointing and with `checkpoints: 1`.
 */
import { runMemoryGroup, variantsFor } from './memory-group';
import { formatTable } from './table';

const i = process.argv.indexOf('--tEnd');
const horizons = i >= 0 ? (process.argv[i + 1] ?? '').split(',').map(Number) : [1, 4];
if (horizons.some((t) => !(t > 0))) {
  process.stderr.write('usage: npx tsx bench/memory.ts [--tEnd 1,4]  (positive horizons)\n');
  process.exit(2);
}
const rows = await runMemoryGroup(variantsFor(horizons));
process.stdout.write(`${formatTable(rows)}\n`);
