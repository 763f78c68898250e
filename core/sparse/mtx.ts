/**
 * Matrix Market exchange format (https://math.nist.gov/MatrixMarket/formats.html), coordinate form, 1-based:
 * `real general` for a sparse matrix, `pattern general` for a sparsity pattern. Pure text in and out.
 */

import { SparseMatrix, SparsityPattern } from './pattern';

/** Options of {@link toMatrixMarket}. */
export interface MatrixMarketOptions {
  /** Lines written after the banner, each prefixed with '%'. */
  comment?: string;
}

/** Matrix Market text (`coordinate real general`, or `pattern` for a pattern), 1-based indices. */
export function toMatrixMarket(m: SparseMatrix | SparsityPattern, opts: MatrixMarketOptions = {}): string {
  const isValues = m instanceof SparseMatrix;
  const p = isValues ? m.pattern : m;
  const lines = [`%%MatrixMarket matrix coordinate ${isValues ? 'real' : 'pattern'} general`];
  if (opts.comment) for (const c of opts.comment.split('\n')) lines.push(`%${c ? ` ${c}` : ''}`);
  lines.push(`${p.rows} ${p.cols} ${p.nnz}`);
  for (let i = 0; i < p.rows; i++)
    for (let k = p.rowPtr[i]!; k < p.rowPtr[i + 1]!; k++) {
      const ij = `${i + 1} ${p.colIdx[k]! + 1}`;
      // String() is the shortest text that reads back to the same double
      lines.push(isValues ? `${ij} ${String(m.values[k])}` : ij);
    }
  return `${lines.join('\n')}\n`;
}

/** The same text as UTF-8 bytes (for writing a `.mtx` file). */
export function toMatrixMarketBytes(
  m: SparseMatrix | SparsityPattern,
  opts: MatrixMarketOptions = {},
): Uint8Array {
  return new TextEncoder().encode(toMatrixMarket(m, opts));
}

/** Read `coordinate real|integer|pattern general|symmetric`; symmetric files are expanded to both triangles. */
export function fromMatrixMarket(text: string): SparseMatrix | SparsityPattern {
  const lines = text.split(/\r?\n/);
  const banner = lines[0]?.trim().toLowerCase().split(/\s+/) ?? [];
  if (banner[0] !== '%%matrixmarket' || banner[1] !== 'matrix' || banner[2] !== 'coordinate')
    throw new Error(
      `Matrix Market: expected a '%%MatrixMarket matrix coordinate ...' banner, got '${lines[0]}'`,
    );
  const field = banner[3];
  const symmetry = banner[4];
  if (field !== 'real' && field !== 'integer' && field !== 'pattern')
    throw new Error(`Matrix Market: field '${field}' is not supported (real, integer or pattern)`);
  if (symmetry !== 'general' && symmetry !== 'symmetric')
    throw new Error(`Matrix Market: symmetry '${symmetry}' is not supported (general or symmetric)`);
  const body = lines.slice(1).filter((l) => l.trim() !== '' && !l.startsWith('%'));
  const [rows, cols, nnz] = (body[0] ?? '').trim().split(/\s+/).map(Number) as [number, number, number];
  if (![rows, cols, nnz].every((v) => Number.isInteger(v) && v >= 0))
    throw new Error(`Matrix Market: bad size line '${body[0]}'`);
  if (body.length - 1 !== nnz)
    throw new Error(`Matrix Market: the size line says ${nnz} entries, found ${body.length - 1}`);
  const entries = new Map<number, number>();
  const put = (i: number, j: number, v: number) => {
    entries.set(i * cols + j, v);
  };
  for (const line of body.slice(1)) {
    const [a, b, v] = line.trim().split(/\s+/);
    const [i, j] = [Number(a) - 1, Number(b) - 1];
    const value = field === 'pattern' ? 1 : Number(v);
    put(i, j, value);
    if (symmetry === 'symmetric' && i !== j) put(j, i, value);
  }
  const keys = [...entries.keys()];
  const pattern = SparsityPattern.fromEntries(
    rows,
    cols,
    keys.map((k) => [Math.floor(k / cols), k % cols] as const),
  );
  if (field === 'pattern') return pattern;
  const values = new Float64Array(pattern.nnz);
  for (let i = 0; i < rows; i++)
    for (let k = pattern.rowPtr[i]!; k < pattern.rowPtr[i + 1]!; k++)
      values[k] = entries.get(i * cols + pattern.colIdx[k]!)!;
  return new SparseMatrix(pattern, values);
}
