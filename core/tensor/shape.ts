/** Shape arithmetic shared by every layer: sizes, strides, broadcasting, axis normalisation. */
export type Shape = readonly number[];

export const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** A shape as messages write it: `[4,400]`. */
export const fmt = (shape: Shape): string => `[${shape.join(',')}]`;

export const shapesEqual = (a: Shape, b: Shape): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** NumPy broadcasting of several shapes; throws naming the op and every shape. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      if (d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else if (out[o] !== d)
        throw new Error(`${op}: shapes ${shapes.map(fmt).join(' and ')} are not broadcastable`);
    }
  }
  return out;
}

/** Resolve a possibly negative axis against a rank. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank)
    throw new Error(
      `${op}: axis ${axis} is out of range for a tensor of rank ${rank} (allowed ${-rank}..${rank - 1})`,
    );
  return axis < 0 ? axis + rank : axis;
}

export function normalizeAxes(
  op: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axes === undefined) return [...Array(rank).keys()];
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, rank)))].sort((a, b) => a - b);
  if (out.length !== list.length) throw new Error(`${op}: repeated axis in ${JSON.stringify(list)}`);
  return out;
}

/** Resolve a reshape target that may contain one -1. */
export function resolveShape(op: string, from: Shape, to: readonly number[]): number[] {
  const n = sizeOf(from);
  const free = to.filter((d) => d === -1).length;
  if (free > 1 || to.some((d) => !Number.isInteger(d) || d < -1))
    throw new Error(`${op}: invalid target shape ${fmt(to)}`);
  const known = to.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const out = to.map((d) => (d === -1 ? (known === 0 ? 0 : n / known) : d));
  if (sizeOf(out) !== n || out.some((d) => !Number.isInteger(d)))
    throw new Error(`${op}: cannot reshape ${fmt(from)} (${n} elements) to ${fmt(to)}`);
  return out;
}
