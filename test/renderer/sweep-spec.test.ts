import { describe, expect, it } from 'vitest';
import { parseSweep } from '../../cli/sweep/spec';
import { sweepCases } from '../../renderer/src/model/presets';
import { sampleProfile } from '../../renderer/src/model/profile';
import { sweepSpecText } from '../../renderer/src/model/sweep-spec';

const GRID = { N: 40, Nvx: 4, CFL: 0.8, tEnd: 0.5, every: 5 };
const SWEEP = {
  Tini: '1 + 0.1 * k * sin(2*pi*x)',
  sigma: 'k * (1 + 0.1 * cos(2*pi*x))',
  from: 1,
  to: 4,
  count: 7,
};

describe('the Sweep… dialog exports an rte sweep spec', () => {
  it('that the CLI reads as the same cases the workbench generates', () => {
    const spec = sweepSpecText(GRID, SWEEP);
    if (!spec.ok) throw new Error(spec.error);
    const sweep = parseSweep(spec.text, 'sweep.json', '/');
    expect(sweep.grid).toEqual(GRID);
    const cases = sweepCases(SWEEP);
    expect(sweep.cases.count).toBe(cases.length);
    cases.forEach((c, i) => {
      const inputs = sweep.inputs(i);
      expect([...inputs.Tini]).toEqual(
        [...sampleProfile(c.Tini, GRID.N, 'Tini')].map((v) => expect.closeTo(v, 13)),
      );
      expect([...inputs.sigma]).toEqual(
        [...sampleProfile(c.sigma, GRID.N, 'sigma')].map((v) => expect.closeTo(v, 13)),
      );
    });
  });

  it.each([
    [{ ...SWEEP, Tini: '1 + q' }, 'Tini: unknown name "q"'],
    [{ ...SWEEP, count: 0 }, 'count a positive integer'],
  ])('refuses what the CLI would refuse, saying why', (sweep, message) => {
    const spec = sweepSpecText(GRID, sweep);
    expect(spec.ok).toBe(false);
    expect(!spec.ok && spec.error).toContain(message);
  });

  it('refuses an invalid grid', () => {
    const spec = sweepSpecText({ ...GRID, N: 2 }, SWEEP);
    expect(!spec.ok && spec.error).toContain('N must be an integer ≥ 3');
  });
});
