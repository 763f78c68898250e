/** The live solve follows core's backend policy where core's wasm target cannot run (as in an old browser). */
import { describe, expect, it, vi } from 'vitest';
import { seedCase } from '../../core/rte/index';
import type { GridSpec } from '../../renderer/src/worker/api';
import { solveCases } from '../../renderer/src/worker/compute/solve';
import { loadReference, relErr } from '../helpers/reference';

vi.mock('../../core/jit/wasm/index', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../core/jit/wasm/index')>()),
  wasmAvailable: () => false,
}));

const small: GridSpec = { N: 32, Nvx: 4, CFL: 0.8, tEnd: 0.25, every: 5 };

describe('worker compute: auto without wasm', () => {
  it('float64 runs on the eager reference in float64 with a note, as the CLI does, never on gpu.js in float32', async () => {
    const cases = [1, 2, 3, 4].map((k) => seedCase(32, k));
    const res = await solveCases({ spec: small, cases, dtype: 'float64', backend: 'auto' });
    expect(res.backend).toBe('eager (reference)');
    expect(res.dtype).toBe('float64');
    expect(res.notes).toEqual([expect.stringMatching(/the result comes from the eager reference$/)]);
    const reference = Float64Array.from(loadReference('small_N32_V4_E_f64').toTypedArray() as Float64Array);
    expect(relErr(res.E, reference)).toBeLessThan(1e-10);
  });
});
