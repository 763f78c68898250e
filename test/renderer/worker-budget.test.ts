/** The solver worker calls core/rte's physical validation and budget before any work (issue 16). */
import { describe, expect, it } from 'vitest';
import { checkRteJob, estimateRteWork, formatBytes, seedCase } from '../../core/rte/index';
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

  it('holds a live solve to the workbench’s limits, smaller than the CLI’s, by core’s estimate', async () => {
    // about 1 GiB for 4 cases: the CLI's default budget runs it, a live solve is refused before any work
    const wide: GridSpec = { N: 100_000, Nvx: 2, CFL: 0.8, tEnd: 0.002, every: 5 };
    const job = { kind: 'solve', batch: 4, dtype: 'float64' } as const;
    expect(() => checkRteJob(wide, job)).not.toThrow();
    const tiny = { Tini: new Float64Array(1), sigma: new Float64Array(1) };
    await expect(
      solveCases({ spec: wide, cases: [tiny, tiny, tiny, tiny], dtype: 'float32', backend: 'wasm' }),
    ).rejects.toThrow(
      `working memory about ${formatBytes(estimateRteWork(wide, job).workingBytes)}, over the memory budget of 512 MiB`,
    );
    // the eager path's smaller work limit: a grid the compiled path takes, with the way out named
    const long: GridSpec = { N: 4000, Nvx: 8, CFL: 0.8, tEnd: 1, every: 1000 };
    await expect(
      solveCases({ spec: long, cases: [tiny, tiny, tiny, tiny], dtype: 'float64', backend: 'eager' }),
    ).rejects.toThrow(/over the work budget of 5\.00e7 \(.*choose a compiled solver or run it with the CLI/);
  });
});
