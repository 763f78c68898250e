/** Sparsity patterns and sparse matrices in CSR form (row pointers, sorted column indices per row). */

import { tensor } from '../ops/creation';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import type { BitRows } from './bitset';

/** A sparsity pattern in CSR form: which entries of a [rows, cols] matrix may be nonzero. */
export class SparsityPattern {
  constructor(
    readonly rows: number,
    readonly cols: number,
    /** rowPtr[i]..rowPtr[i+1] index colIdx for row i; length rows + 1. */
    readonly rowPtr: Int32Array,
    /** Column of each stored entry, ascending within a row. */
    readonly colIdx: Int32Array,
  ) {
    if (rowPtr.length !== rows + 1 || rowPtr[rows] !== colIdx.length)
      throw new Error(
        `SparsityPattern: rowPtr has ${rowPtr.length} entries ending at ${rowPtr[rows]} for ${rows} rows and ${colIdx.length} entries`,
      );
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  get nnz(): number {
    return this.colIdx.length;
  }

  /** Every entry is structurally nonzero. */
  get isFull(): boolean {
    return this.nnz === this.rows * this.cols;
  }

  /** From (row, column) pairs in any order; duplicates collapse. */
  static fromEntries(
    rows: number,
    cols: number,
    entries: Iterable<readonly [number, number]>,
  ): SparsityPattern {
    const perRow: number[][] = Array.from({ length: rows }, () => []);
    for (const [i, j] of entries) {
      if (!(i >= 0 && i < rows && j >= 0 && j < cols && Number.isInteger(i) && Number.isInteger(j)))
        throw new Error(`SparsityPattern: entry (${i}, ${j}) is outside a ${rows}×${cols} matrix`);
      perRow[i]!.push(j);
    }
    const rowPtr = new Int32Array(rows + 1);
    const cols1: number[] = [];
    perRow.forEach((r, i) => {
      const sorted = [...new Set(r)].sort((a, b) => a - b);
      cols1.push(...sorted);
      rowPtr[i + 1] = cols1.length;
    });
    return new SparsityPattern(rows, cols, rowPtr, Int32Array.from(cols1));
  }

  /** The entries of a dense [rows, cols] tensor whose magnitude exceeds `tol` (exact nonzeros by default; NaN counts). */
  static fromDense(t: Tensor, tol = 0): SparsityPattern {
    if (t.ndim !== 2) throw new Error(`SparsityPattern.fromDense: needs a matrix, got shape [${t.shape}]`);
    const [m, n] = [t.shape[0]!, t.shape[1]!];
    const data = t.concrete('SparsityPattern.fromDense').data;
    const entries: [number, number][] = [];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) if (!(Math.abs(data[i * n + j]!) <= tol)) entries.push([i, j]);
    return SparsityPattern.fromEntries(m, n, entries);
  }

  /**
   * Rows of dependency sets (bit j of row i: entry (i, j)) as a pattern with `cols` columns.
   * @internal
   */
  static fromBitRows(bits: BitRows | null, rows: number, cols: number): SparsityPattern {
    const rowPtr = new Int32Array(rows + 1);
    const colIdx: number[] = [];
    for (let i = 0; i < rows; i++) {
      if (bits) bits.rowBits(i, colIdx);
      rowPtr[i + 1] = colIdx.length;
    }
    return new SparsityPattern(rows, cols, rowPtr, Int32Array.from(colIdx));
  }

  /** Stack patterns with the same number of columns on top of each other. */
  static vstack(parts: readonly SparsityPattern[], cols: number): SparsityPattern {
    const rows = parts.reduce((s, p) => s + p.rows, 0);
    const rowPtr = new Int32Array(rows + 1);
    const colIdx = new Int32Array(parts.reduce((s, p) => s + p.nnz, 0));
    let r = 0;
    let k = 0;
    for (const p of parts) {
      if (p.cols !== cols)
        throw new Error(`SparsityPattern.vstack: a part has ${p.cols} columns, not ${cols}`);
      colIdx.set(p.colIdx, k);
      for (let i = 0; i < p.rows; i++) rowPtr[r + i + 1] = k + p.rowPtr[i + 1]!;
      r += p.rows;
      k += p.nnz;
    }
    return new SparsityPattern(rows, cols, rowPtr, colIdx);
  }

  /** Rows [from, to) as a pattern of their own (e.g. one output leaf, or one record of a stacked output). */
  sliceRows(from: number, to: number): SparsityPattern {
    if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= this.rows))
      throw new Error(`SparsityPattern.sliceRows: [${from}, ${to}) is not a row range of ${this.rows} rows`);
    const base = this.rowPtr[from]!;
    return new SparsityPattern(
      to - from,
      this.cols,
      this.rowPtr.slice(from, to + 1).map((k) => k - base),
      this.colIdx.slice(base, this.rowPtr[to]!),
    );
  }

  /** Column indices of row i (a view). */
  row(i: number): Int32Array {
    return this.colIdx.subarray(this.rowPtr[i]!, this.rowPtr[i + 1]!);
  }

  /** Whether entry (i, j) is in the pattern. */
  has(i: number, j: number): boolean {
    const r = this.row(i);
    let lo = 0;
    let hi = r.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r[mid]! < j) lo = mid + 1;
      else hi = mid;
    }
    return lo < r.length && r[lo] === j;
  }

  /** Nonzeros in each row. */
  rowCounts(): Int32Array {
    return Int32Array.from({ length: this.rows }, (_, i) => this.rowPtr[i + 1]! - this.rowPtr[i]!);
  }

  /** The largest number of nonzeros in one row: a lower bound on any column colouring. */
  maxRowCount(): number {
    return this.rowCounts().reduce((a, b) => Math.max(a, b), 0);
  }

  /** The pattern of the transposed matrix. */
  transpose(): SparsityPattern {
    const ptr = new Int32Array(this.cols + 1);
    for (let k = 0; k < this.nnz; k++) ptr[this.colIdx[k]! + 1]!++;
    for (let j = 0; j < this.cols; j++) ptr[j + 1]! += ptr[j]!;
    const fill = ptr.slice(0, this.cols);
    const idx = new Int32Array(this.nnz);
    for (let i = 0; i < this.rows; i++)
      for (let k = this.rowPtr[i]!; k < this.rowPtr[i + 1]!; k++) idx[fill[this.colIdx[k]!]!++] = i;
    return new SparsityPattern(this.cols, this.rows, ptr, idx);
  }

  /** The same shape and the same entries. */
  equals(other: SparsityPattern): boolean {
    if (this.rows !== other.rows || this.cols !== other.cols || this.nnz !== other.nnz) return false;
    for (let i = 0; i <= this.rows; i++) if (this.rowPtr[i] !== other.rowPtr[i]) return false;
    for (let k = 0; k < this.nnz; k++) if (this.colIdx[k] !== other.colIdx[k]) return false;
    return true;
  }

  /** Entries in either pattern (same shape). */
  union(other: SparsityPattern): SparsityPattern {
    if (this.rows !== other.rows || this.cols !== other.cols)
      throw new Error(
        `SparsityPattern.union: shapes ${this.rows}×${this.cols} and ${other.rows}×${other.cols} differ`,
      );
    const rowPtr = new Int32Array(this.rows + 1);
    const cols: number[] = [];
    for (let i = 0; i < this.rows; i++) {
      const [a, b] = [this.row(i), other.row(i)];
      let [x, y] = [0, 0];
      while (x < a.length || y < b.length) {
        const next = y >= b.length || (x < a.length && a[x]! <= b[y]!) ? a[x]! : b[y]!;
        cols.push(next);
        if (x < a.length && a[x] === next) x++;
        if (y < b.length && b[y] === next) y++;
      }
      rowPtr[i + 1] = cols.length;
    }
    return new SparsityPattern(this.rows, this.cols, rowPtr, Int32Array.from(cols));
  }

  /** Every entry of this pattern is also in `other`. */
  isSubsetOf(other: SparsityPattern): boolean {
    if (this.rows !== other.rows || this.cols !== other.cols) return false;
    for (let i = 0; i < this.rows; i++) for (const j of this.row(i)) if (!other.has(i, j)) return false;
    return true;
  }

  /** A 0/1 matrix as a core tensor. */
  /** The dense [rows, cols] matrix as a core tensor. */
  toDense(dtype: DType = 'float64'): Tensor {
    const data = new Float64Array(this.rows * this.cols);
    for (let i = 0; i < this.rows; i++) for (const j of this.row(i)) data[i * this.cols + j] = 1;
    return tensor(data, { shape: [this.rows, this.cols], dtype });
  }

  /** A short description: shape and number of entries. */
  toString(): string {
    return `SparsityPattern(${this.rows}×${this.cols}, nnz=${this.nnz})`;
  }
}

/** A sparse matrix: a pattern and one value per stored entry, in the pattern's order. */
export class SparseMatrix {
  constructor(
    readonly pattern: SparsityPattern,
    readonly values: Float64Array,
  ) {
    if (values.length !== pattern.nnz)
      throw new Error(`SparseMatrix: ${values.length} values for a pattern with ${pattern.nnz} entries`);
  }

  get shape(): [number, number] {
    return this.pattern.shape;
  }

  get nnz(): number {
    return this.pattern.nnz;
  }

  /** The stored value at (i, j), 0 where the pattern has no entry. */
  get(i: number, j: number): number {
    const p = this.pattern;
    for (let k = p.rowPtr[i]!; k < p.rowPtr[i + 1]!; k++) if (p.colIdx[k] === j) return this.values[k]!;
    return 0;
  }

  /** Coordinate form: parallel arrays of rows, columns and values (row-major order). */
  toCoo(): { rows: Int32Array; cols: Int32Array; values: Float64Array; shape: [number, number] } {
    const p = this.pattern;
    const rows = new Int32Array(p.nnz);
    for (let i = 0; i < p.rows; i++) rows.fill(i, p.rowPtr[i]!, p.rowPtr[i + 1]!);
    return { rows, cols: p.colIdx.slice(), values: this.values.slice(), shape: p.shape };
  }

  /** The dense matrix as a core tensor (zeros off the pattern). */
  toDense(dtype: DType = 'float64'): Tensor {
    const p = this.pattern;
    const data = new Float64Array(p.rows * p.cols);
    for (let i = 0; i < p.rows; i++)
      for (let k = p.rowPtr[i]!; k < p.rowPtr[i + 1]!; k++) data[i * p.cols + p.colIdx[k]!] = this.values[k]!;
    return tensor(data, { shape: [p.rows, p.cols], dtype });
  }

  /** A short description: shape and number of entries. */
  toString(): string {
    return `SparseMatrix(${this.pattern.rows}×${this.pattern.cols}, nnz=${this.nnz})`;
  }
}
