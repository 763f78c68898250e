import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TOL_F64 } from './setup';

const run = promisify(execFile);
const job = fileURLToPath(new URL('./jobs/seed-jacobian.ts', import.meta.url));

/** Run one Jacobian job in a child process (see jobs/seed-jacobian.ts) and return its report. */
async function seedJacobian(name: string) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', job, name], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    shape: number[];
    relErr: number;
    seconds: number;
  };
}

// Full 400×400 Jacobians of E_final (case k = 1) through 500 steps: minutes on a small machine.
describe('seed Jacobians against PyTorch (N = 400, 500 steps)', { timeout: 1_800_000 }, () => {
  it('∂E_final/∂sigma by jacfwd', async () => {
    const r = await seedJacobian('jacfwd-sigma');
    expect(r.shape).toEqual([400, 400]);
    expect(r.relErr).toBeLessThan(TOL_F64);
  });

  it('∂E_final/∂sigma by jacrev (vmap of the checkpointed pullback, in chunks)', async () => {
    const r = await seedJacobian('jacrev-sigma');
    expect(r.relErr).toBeLessThan(TOL_F64);
  });

  it('∂E_final/∂Tini by jacfwd', async () => {
    const r = await seedJacobian('jacfwd-Tini');
    expect(r.relErr).toBeLessThan(TOL_F64);
  });
});
