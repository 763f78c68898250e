/** --max-memory and --max-work: the budget a run is checked against before any work (core/rte's RTE_BUDGET by default). */
import { z } from 'zod';
import { formatBytes, RTE_BUDGET } from '../core/rte/index';
import { flag } from './flags';

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** A size in bytes: 512M, 8G, 1.5T (binary units; a trailing B or iB is allowed), or a plain byte count. */
export const byteSize = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?\s*([kmgt](i?b)?|b)?$/i, 'must be a size such as 512M, 8G or 1.5T')
  .transform((s) => {
    const [, num, unit = ''] = /^([\d.]+)\s*([kmgt]?)/i.exec(s)!;
    return Math.floor(Number(num) * UNITS[unit.toLowerCase()]!);
  })
  .refine(Number.isSafeInteger, 'must be a size below 8 PiB');

const positiveCount = z
  .string()
  .trim()
  .refine(
    (s) => /^\d+(\.\d+)?(e\d+)?$/i.test(s) && Number(s) > 0 && Number.isFinite(Number(s)),
    'must be a positive number such as 1e12',
  )
  .transform(Number);

export const BUDGET_FLAGS = {
  'max-memory': flag(
    'SIZE',
    `memory a run may take (refused up front beyond it; default ${formatBytes(RTE_BUDGET.maxBytes)})`,
    byteSize.optional(),
  ),
  'max-work': flag(
    'COUNT',
    `ordinate-cell updates a run may take (default ${RTE_BUDGET.maxCellUpdates.toExponential().replace('e+', 'e')})`,
    positiveCount.optional(),
  ),
};

export const RAISE = { memory: 'raise it with --max-memory SIZE', work: 'raise it with --max-work COUNT' };
