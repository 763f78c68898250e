/**
 * Random scalar expressions with their exact first and second derivatives, carried as second-order jets
 * (value, f', f'') in plain JS arithmetic, next to the same expression written with core's ops.
 */

import type { Tensor } from '../../../core/index';
import * as C from '../../../core/index';

export interface Jet {
  readonly v: number;
  readonly d1: number;
  readonly d2: number;
}

const jet = (v: number, d1 = 0, d2 = 0): Jet => ({ v, d1, d2 });
const add = (a: Jet, b: Jet): Jet => jet(a.v + b.v, a.d1 + b.d1, a.d2 + b.d2);
const sub = (a: Jet, b: Jet): Jet => jet(a.v - b.v, a.d1 - b.d1, a.d2 - b.d2);
const mul = (a: Jet, b: Jet): Jet =>
  jet(a.v * b.v, a.d1 * b.v + a.v * b.d1, a.d2 * b.v + 2 * a.d1 * b.d1 + a.v * b.d2);
/** g(u) for g with derivatives g1, g2: (g∘u)'' = g''(u)·u'² + g'(u)·u''. */
const chain = (u: Jet, g: (x: number) => number, g1: (x: number) => number, g2: (x: number) => number): Jet =>
  jet(g(u.v), g1(u.v) * u.d1, g2(u.v) * u.d1 * u.d1 + g1(u.v) * u.d2);
const recip = (u: Jet): Jet =>
  chain(
    u,
    (x) => 1 / x,
    (x) => -1 / (x * x),
    (x) => 2 / (x * x * x),
  );
const sigma = (x: number) => 1 / (1 + Math.exp(-x));

export interface ScalarExpr {
  readonly text: string;
  readonly jet: (x: number) => Jet;
  readonly tensor: (x: Tensor) => Tensor;
}

const leafX: ScalarExpr = { text: 'x', jet: (x) => jet(x, 1, 0), tensor: (x) => x };
const constant = (c: number): ScalarExpr => ({
  text: c.toFixed(3),
  jet: () => jet(c),
  tensor: () => C.tensor(c),
});

type Unary = (u: ScalarExpr) => ScalarExpr;
type Binary = (u: ScalarExpr, w: ScalarExpr) => ScalarExpr;

const unaries: Unary[] = [
  (u) => ({
    text: `sin(${u.text})`,
    jet: (x) => chain(u.jet(x), Math.sin, Math.cos, (y) => -Math.sin(y)),
    tensor: (x) => C.sin(u.tensor(x)),
  }),
  (u) => ({
    text: `cos(${u.text})`,
    jet: (x) =>
      chain(
        u.jet(x),
        Math.cos,
        (y) => -Math.sin(y),
        (y) => -Math.cos(y),
      ),
    tensor: (x) => u.tensor(x).cos(),
  }),
  (u) => ({
    text: `tanh(${u.text})`,
    jet: (x) =>
      chain(
        u.jet(x),
        Math.tanh,
        (y) => 1 - Math.tanh(y) ** 2,
        (y) => -2 * Math.tanh(y) * (1 - Math.tanh(y) ** 2),
      ),
    tensor: (x) => C.tanh(u.tensor(x)),
  }),
  (u) => ({
    text: `sigmoid(${u.text})`,
    jet: (x) =>
      chain(
        u.jet(x),
        sigma,
        (y) => sigma(y) * (1 - sigma(y)),
        (y) => sigma(y) * (1 - sigma(y)) * (1 - 2 * sigma(y)),
      ),
    tensor: (x) => C.sigmoid(u.tensor(x)),
  }),
  (u) => ({
    text: `exp(tanh(${u.text}))`,
    jet: (x) => {
      const t = chain(
        u.jet(x),
        Math.tanh,
        (y) => 1 - Math.tanh(y) ** 2,
        (y) => -2 * Math.tanh(y) * (1 - Math.tanh(y) ** 2),
      );
      return chain(t, Math.exp, Math.exp, Math.exp);
    },
    tensor: (x) => C.exp(C.tanh(u.tensor(x))),
  }),
  (u) => ({
    text: `log(1 + ${u.text}²)`,
    jet: (x) => {
      const a = u.jet(x);
      return chain(
        add(jet(1), mul(a, a)),
        Math.log,
        (y) => 1 / y,
        (y) => -1 / (y * y),
      );
    },
    tensor: (x) => C.log(C.add(1, C.square(u.tensor(x)))),
  }),
  (u) => ({
    text: `sqrt(1 + ${u.text}²)`,
    jet: (x) => {
      const a = u.jet(x);
      return chain(
        add(jet(1), mul(a, a)),
        Math.sqrt,
        (y) => 0.5 / Math.sqrt(y),
        (y) => -0.25 / (y * Math.sqrt(y)),
      );
    },
    tensor: (x) => C.sqrt(C.add(1, C.mul(u.tensor(x), u.tensor(x)))),
  }),
  (u) => ({
    text: `(${u.text})³`,
    jet: (x) =>
      chain(
        u.jet(x),
        (y) => y ** 3,
        (y) => 3 * y * y,
        (y) => 6 * y,
      ),
    tensor: (x) => C.pow(u.tensor(x), 3),
  }),
  (u) => ({
    text: `tan(tanh(${u.text}))`,
    jet: (x) => {
      const t = chain(
        u.jet(x),
        Math.tanh,
        (y) => 1 - Math.tanh(y) ** 2,
        (y) => -2 * Math.tanh(y) * (1 - Math.tanh(y) ** 2),
      );
      const sec2 = (y: number) => 1 + Math.tan(y) ** 2;
      return chain(t, Math.tan, sec2, (y) => 2 * Math.tan(y) * sec2(y));
    },
    tensor: (x) => C.tan(C.tanh(u.tensor(x))),
  }),
];

const binaries: Binary[] = [
  (u, w) => ({
    text: `(${u.text} + ${w.text})`,
    jet: (x) => add(u.jet(x), w.jet(x)),
    tensor: (x) => C.add(u.tensor(x), w.tensor(x)),
  }),
  (u, w) => ({
    text: `(${u.text} - ${w.text})`,
    jet: (x) => sub(u.jet(x), w.jet(x)),
    tensor: (x) => u.tensor(x).sub(w.tensor(x)),
  }),
  (u, w) => ({
    text: `(${u.text} * ${w.text})`,
    jet: (x) => mul(u.jet(x), w.jet(x)),
    tensor: (x) => C.mul(u.tensor(x), w.tensor(x)),
  }),
  (u, w) => ({
    text: `(${u.text} / (2 + sin(${w.text})))`,
    jet: (x) =>
      mul(
        u.jet(x),
        recip(
          add(
            jet(2),
            chain(w.jet(x), Math.sin, Math.cos, (y) => -Math.sin(y)),
          ),
        ),
      ),
    tensor: (x) => C.div(u.tensor(x), C.add(2, C.sin(w.tensor(x)))),
  }),
  // a^b = exp(b·log a) with a = 1.5 + sin(u) > 0: the tensor side uses the pow primitive itself.
  (u, w) => ({
    text: `(1.5 + sin(${u.text}))^(${w.text})`,
    jet: (x) => {
      const base = add(
        jet(1.5),
        chain(u.jet(x), Math.sin, Math.cos, (y) => -Math.sin(y)),
      );
      const logBase = chain(
        base,
        Math.log,
        (y) => 1 / y,
        (y) => -1 / (y * y),
      );
      return chain(mul(w.jet(x), logBase), Math.exp, Math.exp, Math.exp);
    },
    tensor: (x) => C.pow(C.add(1.5, C.sin(u.tensor(x))), w.tensor(x)),
  }),
];

/** A random expression tree of the given depth, from a seeded generator. */
export function randomScalarExpr(seed: number, depth: number): ScalarExpr {
  const next = C.rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const build = (d: number): ScalarExpr => {
    if (d === 0) return next() < 0.8 ? leafX : constant(-1 + 2 * next());
    const r = next();
    if (r < 0.45) return pick(unaries)(build(d - 1));
    if (r < 0.9) return pick(binaries)(build(d - 1), build(d - 1));
    return leafX;
  };
  return build(depth);
}
