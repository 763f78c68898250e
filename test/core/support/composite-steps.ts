/** Random steps over the ops written as compositions (softmax, logsumexp, prod, cumsum, einsum, ...). */
import type { Tensor } from '../../../core/index';
import * as C from '../../../core/index';
import type { Candidate, Gen } from './random-programs';

/** Labels for a value's axes; 'z' stays free for the constant's extra axis. Ranks beyond these skip einsum. */
const LETTERS = 'abcdefgh';

/** Each axis kept with probability p, in a random order. */
const someOf = <T>(g: Gen, xs: readonly T[], p: number): T[] => g.shuffle(xs.filter(() => g.bool(p)));

/** einsum of a value with a random constant (or with itself): contractions, outer products, diagonals. */
function einsumStep(g: Gen, shape: readonly number[], v: number): ReturnType<Candidate> {
  const r = shape.length;
  if (r > LETTERS.length) return null;
  const xl = [...LETTERS.slice(0, r)];
  const size = new Map(xl.map((l, i) => [l, shape[i]!]));
  // a repeated label (a diagonal) where two axes have one size
  const pairs = xl.flatMap((a, i) =>
    xl.slice(i + 1).flatMap((b, j) => (shape[i] === shape[i + 1 + j] ? [[a, b]] : [])),
  );
  if (pairs.length && g.bool(0.3)) {
    const [keep, drop] = g.pick(pairs)!;
    xl[xl.indexOf(drop!)] = keep!;
  }
  const unique = [...new Set(xl)];
  if (g.bool(0.3)) {
    const out = someOf(g, unique, 0.5);
    const spec = `${xl.join('')},${xl.join('')}->${out.join('')}`;
    return {
      text: `einsum('${spec}', %${v}, %${v})`,
      apply: (xs) => C.mul(C.einsum(spec, xs[v]!, xs[v]!), 0.5),
    };
  }
  const wl = someOf(g, unique, 0.6);
  if (g.bool(0.4)) wl.push('z');
  size.set('z', 2);
  const W = g.constant(
    wl.map((l) => size.get(l)!),
    -0.8,
    0.8,
  );
  const out = someOf(g, [...new Set([...unique, ...wl])], 0.6);
  const spec = `${xl.join('')},${wl.join('')}->${out.join('')}`;
  return { text: `einsum('${spec}', %${v}, const[${W.shape}])`, apply: (xs) => C.einsum(spec, xs[v]!, W) };
}

export function compositeCandidates(
  g: Gen,
  shapes: readonly (readonly number[])[],
  smooth: boolean,
): Candidate[] {
  const withAxis =
    (name: string, f: (x: Tensor, axis: number) => Tensor): Candidate =>
    (v) => {
      const r = shapes[v]!.length;
      if (r === 0) return null;
      const axis = g.int(-r, r - 1);
      return { text: `${name}(%${v}, ${axis})`, apply: (xs) => f(xs[v]!, axis) };
    };
  const withAxes =
    (name: string, f: (x: Tensor, axes: number[], opts: { keepdim: boolean }) => Tensor): Candidate =>
    (v) => {
      const r = shapes[v]!.length;
      if (r === 0) return null;
      const axes = g.shuffle([...Array(r).keys()]).slice(0, g.int(1, r));
      const keepdim = g.bool();
      return {
        text: `${name}(%${v}, [${axes}], keepdim=${keepdim})`,
        apply: (xs) => f(xs[v]!, axes, { keepdim }),
      };
    };
  const list: Candidate[] = [
    withAxis('softmax', (x, a) => C.softmax(C.mul(x, 2), a)),
    withAxis('logSoftmax', C.logSoftmax),
    withAxes('logsumexp', C.logsumexp),
    withAxes('prod', (x, axes, o) => C.prod(C.add(x, 0.5), axes, o)),
    withAxis('cumsum', C.cumsum),
    withAxis('cumprod', (x, a) => C.cumprod(C.mul(x, 0.9), a)),
    (v) => {
      const r = shapes[v]!.length;
      if (r === 0 || g.bool(0.3)) {
        const k = g.int(-3, 3);
        return { text: `roll(%${v}, ${k})`, apply: (xs) => C.roll(xs[v]!, k) };
      }
      const axes = g.shuffle([...Array(r).keys()]).slice(0, g.int(1, r));
      const shifts = axes.map(() => g.int(-4, 4));
      return { text: `roll(%${v}, [${shifts}], [${axes}])`, apply: (xs) => C.roll(xs[v]!, shifts, axes) };
    },
    (v) => (shapes[v]!.length ? einsumStep(g, shapes[v]!, v) : null),
  ];
  if (!smooth)
    list.push(
      (v) => ({ text: `relu(%${v})`, apply: (xs) => C.relu(xs[v]!) }),
      (v) => ({ text: `clamp(%${v}, null, 0.3)`, apply: (xs) => C.clamp(xs[v]!, null, 0.3) }),
      withAxis('max(...).values', (x, a) => C.max(x, a).values),
      withAxis('min(...).values', (x, a) => C.min(x, a, { keepdim: true }).values),
      withAxis('x·argmax', (x, a) => C.mul(x, C.argmax(x, a, { keepdim: true }).to('float64'))),
      withAxis('x·argmin', (x, a) => C.sub(x, C.argmin(x, a, { keepdim: true }).to('float64'))),
    );
  return list;
}
