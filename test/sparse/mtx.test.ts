import { describe, expect, it } from 'vitest';
import {
  fromMatrixMarket,
  rng,
  SparseMatrix,
  SparsityPattern,
  toMatrixMarket,
  toMatrixMarketBytes,
} from '../../core/index';

describe('Matrix Market', () => {
  const p = SparsityPattern.fromEntries(2, 3, [
    [1, 1],
    [0, 2],
    [0, 0],
  ]);
  const m = new SparseMatrix(p, Float64Array.from([1.5, -2, 1e-300]));

  it('writes coordinate real general, 1-based, row by row', () => {
    expect(toMatrixMarket(m, { comment: 'dE/dsigma\nrecord 4' })).toBe(
      [
        '%%MatrixMarket matrix coordinate real general',
        '% dE/dsigma',
        '% record 4',
        '2 3 3',
        '1 1 1.5',
        '1 3 -2',
        '2 2 1e-300',
        '',
      ].join('\n'),
    );
  });

  it('writes coordinate pattern general for a pattern', () => {
    expect(toMatrixMarket(p)).toBe(
      ['%%MatrixMarket matrix coordinate pattern general', '2 3 3', '1 1', '1 3', '2 2', ''].join('\n'),
    );
    expect(new TextDecoder().decode(toMatrixMarketBytes(p))).toBe(toMatrixMarket(p));
  });

  it('reads back exactly: values bit for bit, patterns entry for entry', () => {
    const r = rng(5);
    const entries: [number, number][] = Array.from({ length: 300 }, () => [
      Math.floor(r() * 50),
      Math.floor(r() * 70),
    ]);
    const q = SparsityPattern.fromEntries(50, 70, entries);
    const values = Float64Array.from({ length: q.nnz }, () => (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20));
    const back = fromMatrixMarket(toMatrixMarket(new SparseMatrix(q, values))) as SparseMatrix;
    expect(back).toBeInstanceOf(SparseMatrix);
    expect(back.pattern.equals(q)).toBe(true);
    expect([...back.values]).toEqual([...values]);
    const backP = fromMatrixMarket(toMatrixMarket(q));
    expect(backP).toBeInstanceOf(SparsityPattern);
    expect((backP as SparsityPattern).equals(q)).toBe(true);
  });

  it('expands symmetric files and rejects what it cannot read', () => {
    const s = fromMatrixMarket(
      '%%MatrixMarket matrix coordinate real symmetric\n3 3 2\n2 1 4\n3 3 5\n',
    ) as SparseMatrix;
    expect(s.toDense().toArray()).toEqual([
      [0, 4, 0],
      [4, 0, 0],
      [0, 0, 5],
    ]);
    expect(() => fromMatrixMarket('%%MatrixMarket matrix array real general\n1 1\n1\n')).toThrow(
      /coordinate/,
    );
    expect(() => fromMatrixMarket('%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1\n')).toThrow(
      /says 3 entries, found 1/,
    );
  });
});
