/** The solver worker calls core/rte's physical validation and budget before any work (issue 16). */
import { describe, expect, it } from 'vitest';
import { seedCase } from '../../core/rte/index';
import type { GridSpec } from '../../renderer/src/worker/api';
import { solveCases } from '../../renderer/src/worker/compute/solve';

const small: GridSpec = { N: 32, Nvx: 4, CFL: 0.8, tEnd: 0.25, every: 5 };

describe('worker compute: validation and budget from core/rte', () => {
  it('refuses sigma < 0 and Tini < 0, naming the case and cell', async () => {
    const c = seedCase(32, 1);
    c.sigma[3] = -5;
    await expect(solveCases({ spec: small, cases: [c], dtype: 'float64', backend: 'eager' })).rejects.toThrow(
      /^sigma is -5 at case 1, cell 3; the opacity sigma must be finite and ≥ 0$/,
    );
    const d = seedCase(32, 1);
    d.Tini[0] = -1;
    await expect(solveCases({ spec: small, cases: [d], dtype: 'float64', backend: 'eager' })).rejects.toThrow(
      /^Tini is -1 at case 1, cell 0/,
    );
  });

  it('refuses a grid beyond the budget before any work, with its sizes', async () => {
    const t0 = performance.now();
    const huge = { ...small, Nvx: 100_000_000 };
    await expect(
      solveCases({ spec: huge, cases: [seedCase(32, 1)], dtype: 'float64', backend: 'eager' }),
    ).rejects.toThrow(/^this run is too large: 1 case\(s\) × 32 cells × 1\.00e8 ordinates.*--max-memory\)$/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
