/** The solver worker calls core/rte's physical validation and budget before any work (issue 16). */
import { describe, expect, it } from 'vitest';
import { checkRteJob, estimateRteWork, formatBytes, seedCase } from '../../core/rte/index';
import { checkLiveSolve } from '../../renderer/src/model/budget';
import type { GridSpec } from '../../renderer/src/worker/api';
import { gradient, jacobian, jvpField, thetaHessian } from '../../renderer/src/worker/compute/derivatives';
import { solveCases } from '../../renderer/src/worker/compute/solve';
import { recordJacobian, sparsity } from '../../renderer/src/worker/compute/sparsity';

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

describe('worker compute: derivative jobs checked against the live budget before any work', () => {
  // grids a compiled live solve takes, but whose derivatives are far larger
  const wide: GridSpec = { N: 3000, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };
  const huge: GridSpec = { N: 6000, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };
  const quick = async (job: Promise<unknown>, message: RegExp) => {
    const t0 = performance.now();
    await expect(job).rejects.toThrow(message);
    expect(performance.now() - t0).toBeLessThan(1000);
  };

  it('the solve itself fits', () => {
    expect(() => checkLiveSolve(wide, 1, { eager: false })).not.toThrow();
    expect(() => checkLiveSolve(huge, 1, { eager: false })).not.toThrow();
  });

  it('the dense Jacobian of every record: its [R, N, N] result is named with the limit', async () => {
    const req = {
      spec: wide,
      inputs: seedCase(3000, 1),
      output: 'E',
      input: 'sigma',
      dtype: 'float64',
    } as const;
    const size =
      /^this run is too large: 1 case\(s\) × 3000 cells × 8 ordinates, 3741 steps, 375 records: outputs 25\.1 GiB, working memory about .*, over the memory budget of 512 MiB \(.*npm run rte -- jacobian, which allows 4\.00 GiB and more with --max-memory\)$/;
    await quick(jacobian(req), size);
    await quick(sparsity(req), size);
  });

  it('the θ-hessian of a large grid: its cell updates over the work limit', async () => {
    const req = {
      spec: huge,
      inputs: seedCase(6000, 1),
      theta: [1, 0] as [number, number],
      depth: 0.5,
      objective: { kind: 'sum-final-E' } as const,
      dtype: 'float64' as const,
    };
    await quick(
      thetaHessian(req),
      /^this run is too long: .* over the work budget of 2\.00e9 \(.*npm run rte -- grad/,
    );
  });

  it('the gradient of many cases, the jvp field and a late record’s Jacobian', async () => {
    const cases = Array.from({ length: 8 }, () => seedCase(3000, 1));
    await quick(
      gradient({ spec: wide, cases, objective: { kind: 'sum-final-E' }, dtype: 'float64' }),
      /^this run is too long: 8 case\(s\) × 3000 cells/,
    );
    // 1.8e9 cell updates solved, twice that with the tangent
    const fine: GridSpec = { N: 10_000, Nvx: 16, CFL: 0.8, tEnd: 0.9, every: 100 };
    expect(() => checkLiveSolve(fine, 1, { eager: false })).not.toThrow();
    await quick(
      jvpField({ spec: fine, inputs: seedCase(10_000, 1), direction: {}, dtype: 'float64' }),
      /11201 steps.* 3\.58e9 cell updates, over the work budget of 2\.00e9 \(.*npm run rte -- jvp/,
    );
    const one = { spec: huge, inputs: seedCase(6000, 1), dtype: 'float64' } as const;
    await quick(
      recordJacobian({ ...one, output: 'E', input: 'sigma', record: 749 }),
      /^this run is too (long|large): /,
    );
  });

  it('small jobs still run', async () => {
    const res = await jvpField({ spec: small, inputs: seedCase(32, 1), direction: {}, dtype: 'float64' });
    expect(res.R).toBe(2);
  });
});
