/** Under a CSP without 'unsafe-eval', gpu.js's JavaScript target is neither offered nor tried. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedCase } from '../../core/rte/index';
import { EVAL_BLOCKED_NOTE, evalAllowed, resetEvalProbe } from '../../renderer/src/worker/compute/csp';
import { solveCases, workerInfo } from '../../renderer/src/worker/compute/solve';

const small = { N: 32, Nvx: 4, CFL: 0.8, tEnd: 0.25, every: 5 };

/** What a page's CSP does to `new Function`: an EvalError. */
function blockEval() {
  vi.stubGlobal(
    'Function',
    new Proxy(Function, {
      construct() {
        throw new EvalError(
          "Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed",
        );
      },
    }),
  );
  resetEvalProbe();
}

afterEach(() => {
  vi.unstubAllGlobals();
  resetEvalProbe();
});

describe('backends under the CSP', () => {
  it('the probe sees eval allowed here and blocked under the CSP', () => {
    expect(evalAllowed()).toBe(true);
    blockEval();
    expect(evalAllowed()).toBe(false);
  });

  it('About lists gpu.js CPU as not available, with why, and the solver select gets it as blocked', async () => {
    blockEval();
    const info = await workerInfo();
    expect(info.compiled.find((b) => b.name === 'gpu.js CPU')).toEqual({
      name: 'gpu.js CPU',
      available: false,
      note: EVAL_BLOCKED_NOTE,
    });
    expect(info.blocked).toEqual([{ backend: 'cpu', reason: EVAL_BLOCKED_NOTE }]);
    expect(info.compiled.find((b) => b.name === 'WebAssembly')?.available).toBe(true);
  });

  it('a session asking for cpu solves on auto instead and says why', async () => {
    blockEval();
    const res = await solveCases({
      spec: small,
      cases: [seedCase(32, 1)],
      dtype: 'float64',
      backend: 'cpu',
    });
    expect(res.backend).toBe('wasm (core)');
    expect(res.notes[0]).toBe(`${EVAL_BLOCKED_NOTE}: ran auto instead`);
  });

  it('refuses a solve over the size budget before allocating anything', async () => {
    const huge = { N: 10_000_000, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };
    const tiny = { Tini: new Float64Array(1), sigma: new Float64Array(1) };
    await expect(
      solveCases({ spec: huge, cases: [tiny], dtype: 'float64', backend: 'auto' }),
    ).rejects.toThrow(/1\.0e7 cells × 1 case\(s\) = 1\.0e7 samples/);
  });
});
