/**
 * Colourings for compressed Jacobians and Hessians, greedy over a vertex order (after Gebremedhin, Manne and
 * Pothen, "What color is your Jacobian?", SIAM Review 2005).
 *
 * - column colouring (forward mode): columns that share a nonzero row get different colours, i.e. a
 *   distance-1 colouring of the column intersection graph; then J·S has each J[i,j] alone in its colour.
 * - row colouring (reverse mode): the same on the transpose.
 * - star colouring (symmetric, for Hessians): a distance-1 colouring of the adjacency graph in which every
 *   path on four vertices uses at least three colours; H[i,j] is then recovered from H·S either at row i or,
 *   by symmetry, at row j.
 */

import type { SparsityPattern } from './pattern';

export type ColoringKind = 'column' | 'row' | 'star';
export type VertexOrder = 'natural' | 'largest-first' | 'smallest-last';

export interface Coloring {
  readonly kind: ColoringKind;
  /** 0-based colour of each column (column, star) or row (row). */
  readonly colors: Int32Array;
  /** Number of colours: one jvp (column, star) or vjp (row) per colour. */
  readonly count: number;
  /** The vertex order that gave it. */
  readonly order: VertexOrder;
}

export interface ColoringOptions {
  /** A vertex order, or 'best' (default): try them all and keep the fewest colours. */
  order?: VertexOrder | 'best';
  /**
   * Rounds of iterated greedy (Culberson) after the first pass, for column and row colourings: recolour
   * class by class in a new class order, which never needs more colours and often fewer. Default 30; 0 = off.
   */
  refine?: number;
}

const ORDERS: readonly VertexOrder[] = ['natural', 'largest-first', 'smallest-last'];

/** An undirected graph in CSR form (no self loops). */
interface Graph {
  readonly n: number;
  readonly ptr: Int32Array;
  readonly adj: Int32Array;
}

function fromLists(lists: number[][]): Graph {
  const ptr = new Int32Array(lists.length + 1);
  lists.forEach((l, v) => {
    ptr[v + 1] = ptr[v]! + l.length;
  });
  const adj = new Int32Array(ptr[lists.length]!);
  lists.forEach((l, v) => {
    adj.set(l, ptr[v]!);
  });
  return { n: lists.length, ptr, adj };
}

/** Columns j ≠ k are adjacent when some row has nonzeros in both. */
export function columnIntersectionGraph(p: SparsityPattern): Graph {
  const t = p.transpose();
  const mark = new Int32Array(p.cols).fill(-1);
  const lists: number[][] = [];
  for (let j = 0; j < p.cols; j++) {
    const nb: number[] = [];
    mark[j] = j;
    for (const i of t.row(j))
      for (const k of p.row(i))
        if (mark[k] !== j) {
          mark[k] = j;
          nb.push(k);
        }
    lists.push(nb);
  }
  return fromLists(lists);
}

/** The adjacency graph of a square pattern, symmetrised, diagonal dropped. */
export function adjacencyGraph(p: SparsityPattern): Graph {
  if (p.rows !== p.cols) throw new Error(`adjacencyGraph: needs a square pattern, got ${p.rows}×${p.cols}`);
  const t = p.transpose();
  const mark = new Int32Array(p.cols).fill(-1);
  const lists: number[][] = [];
  for (let v = 0; v < p.rows; v++) {
    const nb: number[] = [];
    mark[v] = v;
    for (const src of [p.row(v), t.row(v)])
      for (const u of src)
        if (mark[u] !== v) {
          mark[u] = v;
          nb.push(u);
        }
    lists.push(nb);
  }
  return fromLists(lists);
}

const degree = (g: Graph, v: number) => g.ptr[v + 1]! - g.ptr[v]!;
const neighbours = (g: Graph, v: number) => g.adj.subarray(g.ptr[v]!, g.ptr[v + 1]!);

/** Largest-first: by decreasing degree. Smallest-last: repeatedly remove a vertex of least remaining degree; colour in reverse. */
export function vertexOrder(g: Graph, order: VertexOrder): Int32Array {
  const n = g.n;
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  if (order === 'natural') return ids;
  if (order === 'largest-first') return ids.sort((a, b) => degree(g, b) - degree(g, a) || a - b);
  // smallest-last with degree buckets (doubly linked lists): O(n + edges)
  const deg = Int32Array.from({ length: n }, (_, v) => degree(g, v));
  const maxDeg = deg.reduce((a, b) => Math.max(a, b), 0);
  const head = new Int32Array(maxDeg + 1).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const unlink = (v: number) => {
    if (prev[v]! >= 0) next[prev[v]!] = next[v]!;
    else head[deg[v]!] = next[v]!;
    if (next[v]! >= 0) prev[next[v]!] = prev[v]!;
  };
  const link = (v: number) => {
    prev[v] = -1;
    next[v] = head[deg[v]!]!;
    if (head[deg[v]!]! >= 0) prev[head[deg[v]!]!] = v;
    head[deg[v]!] = v;
  };
  for (let v = n - 1; v >= 0; v--) link(v);
  const removed = new Uint8Array(n);
  const out = new Int32Array(n);
  let low = 0;
  for (let k = n - 1; k >= 0; k--) {
    while (head[low]! < 0) low++;
    const v = head[low]!;
    unlink(v);
    removed[v] = 1;
    out[k] = v;
    for (const u of neighbours(g, v))
      if (!removed[u]) {
        unlink(u);
        deg[u]!--;
        link(u);
      }
    low = Math.max(0, low - 1);
  }
  return out;
}

/** Greedy distance-1 colouring: each vertex takes the least colour none of its coloured neighbours has. */
function greedy(g: Graph, order: Int32Array): Int32Array {
  const color = new Int32Array(g.n).fill(-1);
  const forbidden = new Int32Array(g.n + 1).fill(-1);
  for (const v of order) {
    for (const u of neighbours(g, v)) if (color[u]! >= 0) forbidden[color[u]!] = v;
    let c = 0;
    while (forbidden[c] === v) c++;
    color[v] = c;
  }
  return color;
}

/**
 * Greedy star colouring (GMP 2005, Algorithm 4.1): besides the neighbours' colours, v may not take the colour
 * of a vertex x two steps away through w when w is still uncoloured, or when taking it would close a
 * two-coloured path v–w–x–y.
 */
function greedyStar(g: Graph, order: Int32Array): Int32Array {
  const color = new Int32Array(g.n).fill(-1);
  const forbidden = new Int32Array(g.n + 1).fill(-1);
  for (const v of order) {
    const nv = neighbours(g, v);
    for (const w of nv) if (color[w]! >= 0) forbidden[color[w]!] = v;
    for (const w of nv)
      for (const x of neighbours(g, w)) {
        if (x === v || color[x]! < 0) continue;
        if (color[w]! < 0) forbidden[color[x]!] = v;
        else
          for (const y of neighbours(g, x))
            if (y !== w && color[y] === color[w]) {
              forbidden[color[x]!] = v;
              break;
            }
      }
    let c = 0;
    while (forbidden[c] === v) c++;
    color[v] = c;
  }
  return color;
}

const countOf = (colors: Int32Array) => colors.reduce((a, b) => Math.max(a, b), -1) + 1;

/**
 * Iterated greedy: list the vertices class by class (classes reversed, largest first, or shuffled, in turn)
 * and colour greedily again. A class is independent, so each keeps fitting into at most its old colour:
 * the count never grows. Stops at `lowerBound` (a clique size) or when rounds run out.
 */
function iterate(g: Graph, colors: Int32Array, rounds: number, lowerBound: number): Int32Array {
  let best = colors;
  let state = 12345;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  for (let r = 0; r < rounds && countOf(best) > lowerBound; r++) {
    const k = countOf(colors);
    const classes: number[][] = Array.from({ length: k }, () => []);
    colors.forEach((c, v) => {
      classes[c]!.push(v);
    });
    const ids = [...classes.keys()];
    if (r % 3 === 0) ids.reverse();
    else if (r % 3 === 1) ids.sort((a, b) => classes[b]!.length - classes[a]!.length || b - a);
    else
      for (let i = ids.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      }
    colors = greedy(g, Int32Array.from(ids.flatMap((c) => classes[c]!)));
    if (countOf(colors) < countOf(best)) best = colors;
  }
  return best;
}

function best(
  kind: ColoringKind,
  g: Graph,
  color: (g: Graph, order: Int32Array) => Int32Array,
  opts: ColoringOptions,
  lowerBound = 0,
): Coloring {
  const orders = !opts.order || opts.order === 'best' ? ORDERS : [opts.order];
  let result: Coloring | null = null;
  for (const order of orders) {
    let colors = color(g, vertexOrder(g, order));
    if (kind !== 'star') colors = iterate(g, colors, opts.refine ?? 30, lowerBound);
    const count = countOf(colors);
    if (!result || count < result.count) result = { kind, colors, count, order };
  }
  return result!;
}

/** A full row makes every column its own colour: skip building the (complete) graph. */
const distinct = (kind: ColoringKind, n: number): Coloring => ({
  kind,
  colors: Int32Array.from({ length: n }, (_, i) => i),
  count: n,
  order: 'natural',
});

/** Column colouring for forward mode: one jvp per colour. */
export function colorColumns(p: SparsityPattern, opts: ColoringOptions = {}): Coloring {
  const bound = p.maxRowCount();
  if (bound === p.cols) return distinct('column', p.cols);
  if (opts.order === 'natural' && opts.refine === 0) {
    const colors = greedyColumnsByRows(p);
    return { kind: 'column', colors, count: countOf(colors), order: 'natural' };
  }
  return best('column', columnIntersectionGraph(p), greedy, opts, bound);
}

/**
 * One greedy pass over the columns in natural order, straight from the rows: each row keeps a bitset of the
 * colours its columns have taken, so column j's forbidden colours are the union over its rows. The same
 * colouring as greedy over the column intersection graph, without building the graph (which costs
 * Σ_j Σ_{i∈col j} |row i| and dominates for wide bands): O(nnz · colours / 32).
 */
export function greedyColumnsByRows(p: SparsityPattern): Int32Array {
  const t = p.transpose();
  const words = Math.ceil((p.cols + 1) / 32);
  const used = new Uint32Array(p.rows * words);
  const forbidden = new Uint32Array(words);
  const colors = new Int32Array(p.cols);
  let live = 1; // words that hold any colour so far
  for (let j = 0; j < p.cols; j++) {
    forbidden.fill(0, 0, live);
    const rows = t.row(j);
    for (const i of rows) for (let w = 0; w < live; w++) forbidden[w]! |= used[i * words + w]!;
    let c = 0;
    for (let w = 0; w < words; w++) {
      const free = ~forbidden[w]! >>> 0;
      if (free !== 0) {
        c = w * 32 + (31 - Math.clz32(free & -free));
        break;
      }
    }
    colors[j] = c;
    live = Math.max(live, (c >>> 5) + 1);
    for (const i of rows) used[i * words + (c >>> 5)]! |= 1 << (c & 31);
  }
  return colors;
}

/** Row colouring for reverse mode: one vjp per colour. */
export function colorRows(p: SparsityPattern, opts: ColoringOptions = {}): Coloring {
  const t = p.transpose();
  const bound = t.maxRowCount();
  if (bound === t.cols) return distinct('row', t.cols);
  return best('row', columnIntersectionGraph(t), greedy, opts, bound);
}

/** Star colouring of a symmetric pattern (its symmetrisation otherwise) for Hessians. */
export function colorSymmetric(p: SparsityPattern, opts: ColoringOptions = {}): Coloring {
  return best('star', adjacencyGraph(p), greedyStar, opts);
}

/** Columns sharing a row have different colours. */
export function isColumnColoring(p: SparsityPattern, colors: Int32Array): boolean {
  if (colors.length !== p.cols) return false;
  const seen = new Int32Array(p.cols + 1).fill(-1);
  for (let i = 0; i < p.rows; i++)
    for (const j of p.row(i)) {
      if (seen[colors[j]!] === i) return false;
      seen[colors[j]!] = i;
    }
  return true;
}

/** A distance-1 colouring of the adjacency graph with no two-coloured path on four vertices. */
export function isStarColoring(p: SparsityPattern, colors: Int32Array): boolean {
  const g = adjacencyGraph(p);
  if (colors.length !== g.n) return false;
  for (let q = 0; q < g.n; q++)
    for (const r of neighbours(g, q)) {
      if (colors[q] === colors[r]) return false;
      // a path p–q–r–s coloured a,b,a,b
      const pq = neighbours(g, q).some((x) => x !== r && colors[x] === colors[r]);
      const rs = neighbours(g, r).some((x) => x !== q && colors[x] === colors[q]);
      if (pq && rs) return false;
    }
  return true;
}
