import { describe, expect, it } from 'vitest';
import { compileFormula, FormulaError, seedCase } from '../../core/rte/index';
import { readProfileCsv, toCsv } from '../../renderer/src/io/csv';

import { PRESETS, seedCaseDef, sweepCases } from '../../renderer/src/model/presets';
import { interpolatePoints, mergeStroke, resample, sampleProfile } from '../../renderer/src/model/profile';
import { makeSession, parseSession } from '../../renderer/src/model/session';
import { colour, rangeOf, ticks, toRgba } from '../../renderer/src/plots/colormap';

describe('formula', () => {
  it('evaluates arithmetic, functions, constants, conditionals and implicit multiplication', () => {
    const f = compileFormula('2x + sin(pi/2) + (x > 0.5 ? 10 : 0) + box(x, 0, 1) + max(1, 2, 3)', ['x']);
    expect(f.evaluate({ x: 0.25 })).toBeCloseTo(0.5 + 1 + 0 + 1 + 3);
    expect(f.evaluate({ x: 0.75 })).toBeCloseTo(1.5 + 1 + 10 + 1 + 3);
    expect(compileFormula('2^3 mod 3').evaluate({})).toBe(2);
  });

  it.each([
    ['x +', /cannot parse/],
    ['y * 2', /unknown name "y"/],
    ['evaluate("1")', /unknown function "evaluate"/],
    ['a = 3', /assignment is not allowed/],
    ['f(x) = x', /defining a function is not allowed/],
    ['x.constructor', /not allowed/],
    ['[1, 2]', /a matrix is not allowed/],
    ['sin(1, 2)', /sin takes 1 argument/],
    ['"text"', /only numbers/],
    ['', /empty/],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => compileFormula(text, ['x'])).toThrow(FormulaError);
    expect(() => compileFormula(text, ['x'])).toThrow(message);
  });
});

describe('profiles and presets', () => {
  it('the seed preset reproduces core’s seed cases exactly', () => {
    const def = seedCaseDef(3);
    const ref = seedCase(50, 3);
    const T = sampleProfile(def.Tini, 50, 'Tini');
    const s = sampleProfile(def.sigma, 50, 'sigma');
    for (let i = 0; i < 50; i++) {
      expect(T[i]).toBeCloseTo(ref.Tini[i]!, 14);
      expect(s[i]).toBeCloseTo(ref.sigma[i]!, 14);
    }
  });

  it('every preset samples to valid values', () => {
    for (const p of PRESETS)
      for (const c of p.make()) {
        expect(sampleProfile(c.Tini, 64, 'Tini').every(Number.isFinite)).toBe(true);
        expect(sampleProfile(c.sigma, 64, 'sigma').every((v) => v >= 0)).toBe(true);
      }
  });

  it('says where a profile is unphysical', () => {
    expect(() => sampleProfile({ kind: 'formula', text: 'x - 0.5' }, 10, 'sigma')).toThrow(
      /sigma must be ≥ 0 but is -0.45.* at x = 0.0500/,
    );
    expect(() => sampleProfile({ kind: 'formula', text: '1/(x-0.05)' }, 10, 'Tini')).toThrow(
      /Tini is Infinity/,
    );
  });

  it('sweeps k over a range', () => {
    const cs = sweepCases({ Tini: '1 + k*x', sigma: 'k', from: 1, to: 2, count: 3 });
    expect(cs.map((c) => c.name)).toEqual(['k=1', 'k=1.5', 'k=2']);
    expect(sampleProfile(cs[1]!.sigma, 4, 'sigma')[0]).toBe(1.5);
  });

  it('interpolates drawn curves periodically and merges strokes', () => {
    const pts: [number, number][] = [
      [0.25, 1],
      [0.75, 3],
    ];
    expect(interpolatePoints(pts, 0.5)).toBe(2);
    expect(interpolatePoints(pts, 0)).toBeCloseTo(2); // halfway from 0.75 → 1.25 (≡ 0.25)
    const merged = mergeStroke(pts, [
      [0.7, 5],
      [0.8, 6],
    ]);
    expect(merged).toEqual([
      [0.25, 1],
      [0.7, 5],
      [0.8, 6],
    ]);
    expect(Array.from(resample([1, 2, 3, 4], 4))).toEqual([1, 2, 3, 4]);
    expect(resample([1, 3], 4).length).toBe(4);
  });
});

describe('session file', () => {
  const view = {
    record: 3,
    selectedCase: null,
    dtype: 'float64' as const,
    backend: 'auto' as const,
    derivN: 64,
    objective: { kind: 'sum-final-E' as const },
    jac: { output: 'E' as const, input: 'sigma' as const, record: 1 },
  };
  it('round-trips', () => {
    const s = makeSession({ N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 }, [seedCaseDef(1)], view);
    expect(parseSession(JSON.stringify(s))).toEqual(s);
  });
  it('opens a session saved before the solver backend existed with the default, auto', () => {
    const s = makeSession({ N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 }, [seedCaseDef(1)], view);
    const old = JSON.parse(JSON.stringify(s));
    delete old.view.backend;
    expect(parseSession(JSON.stringify(old)).view.backend).toBe('auto');
    old.view.backend = 'cuda';
    expect(() => parseSession(JSON.stringify(old))).toThrow(/view\.backend/);
  });
  it('rejects bad files with the path of the problem', () => {
    expect(() => parseSession('{')).toThrow(/JSON does not parse/);
    expect(() => parseSession(JSON.stringify({ format: 'rte-workbench-session', version: 9 }))).toThrow(
      /newer RTE Workbench \(session version 9\)/,
    );
    const s = makeSession({ N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 }, [seedCaseDef(1)], view);
    const bad = JSON.parse(JSON.stringify(s));
    bad.cases[0].sigma = { kind: 'script', text: 'x' };
    expect(() => parseSession(JSON.stringify(bad))).toThrow(/cases\.0\.sigma/);
  });
});

describe('npy and csv', () => {
  it('writes and reads csv', () => {
    expect(toCsv(['x', 'name'], [[0.5, 'a,b']])).toBe('x,name\n0.5,"a,b"\n');
    expect(readProfileCsv('x,sigma\n0.1,1\n0.2,2\n0.3,3\n', 'sigma')).toEqual([1, 2, 3]);
    expect(readProfileCsv('1\n2\n3\n', 'sigma')).toEqual([1, 2, 3]);
    expect(() => readProfileCsv('x,sigma\n0.1,1\n0.2,oops\n0.3,3\n', 'sigma')).toThrow(/line 3/);
  });
});

describe('colormap', () => {
  it('centres diverging ranges at zero (white) and maps viridis ends', () => {
    expect(rangeOf([-1, 3], 'diverging')).toEqual({ min: -3, max: 3 });
    expect(colour('diverging', 0.5)).toEqual([247, 247, 247]);
    expect(Array.from(toRgba([0, 1], 'viridis', { min: 0, max: 1 }))).toEqual([
      68, 1, 84, 255, 253, 231, 37, 255,
    ]);
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
