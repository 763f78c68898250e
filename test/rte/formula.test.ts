import { describe, expect, it } from 'vitest';
import {
  compileFormula,
  FormulaError,
  MAX_FORMULA_DEPTH,
  MAX_FORMULA_LENGTH,
  sampleFormula,
} from '../../core/rte/index';

describe('formula limits', () => {
  it.each([
    ['a 1,990-sign prefix', `${'-'.repeat(1990)}x`],
    ['900 nested brackets', `${'('.repeat(900)}x${')'.repeat(900)}`],
    ['a 999-level power tower', Array(999).fill('x').join('^')],
    ['a 999-term sum', Array(999).fill('x').join('+')],
  ])('refuses %s with a message naming the depth limit (no stack overflow)', (_, text) => {
    expect(() => compileFormula(text, ['x'])).toThrow(FormulaError);
    expect(() => compileFormula(text, ['x'])).toThrow(`at most ${MAX_FORMULA_DEPTH} are allowed`);
  });

  it('accepts nesting up to the limit', () => {
    const text = `${'('.repeat(40)}x${')'.repeat(40)} + ${Array(50).fill('x').join('+')}`;
    expect(compileFormula(text, ['x']).evaluate({ x: 2 })).toBe(102);
  });

  it('refuses a formula longer than the length limit, naming both lengths', () => {
    const text = `x${'+1'.repeat(MAX_FORMULA_LENGTH)}`;
    expect(() => compileFormula(text, ['x'])).toThrow(
      `is ${text.length} characters long (at most ${MAX_FORMULA_LENGTH}`,
    );
  });
});

describe('sampleFormula', () => {
  it('samples with parameters', () => {
    const f = compileFormula('a * x + 1', ['x', 'a']);
    expect([...sampleFormula(f, [0, 0.5, 1], { a: 2 })]).toEqual([1, 2, 3]);
  });

  it.each([
    ['1e308 * 10', 'Infinity at x = 0.2500'],
    ['1/(x - 0.25)', 'Infinity at x = 0.2500'],
    ['sqrt(x - 0.5)', 'NaN at x = 0.2500'],
  ])('refuses the non-finite samples of %s, naming x', (text, message) => {
    const f = compileFormula(text, ['x']);
    expect(() => sampleFormula(f, [0.25, 0.75])).toThrow(FormulaError);
    expect(() => sampleFormula(f, [0.25, 0.75])).toThrow(message);
  });
});
