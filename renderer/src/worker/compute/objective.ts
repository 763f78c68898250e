/** Scalar objectives of one case's E, T [R, N], written with core ops so every transform applies. */
import type { Tensor } from '../../../../core/index';
import { RteSpecError } from '../../../../core/rte/index';
import type { GridSpec, Objective } from '../api';

function recordIndex(r: number, R: number): number {
  const i = r < 0 ? R + r : r;
  if (!Number.isInteger(i) || i < 0 || i >= R)
    throw new RteSpecError(`record ${r} is out of range: this grid records R = ${R} times (0..${R - 1})`);
  return i;
}

/** The cell whose centre is nearest x0 (x in [0, 1)). */
export function probeCell(x0: number, N: number): number {
  if (!Number.isFinite(x0) || x0 < 0 || x0 > 1)
    throw new RteSpecError(`the probe x0 must lie in [0, 1] (got ${x0})`);
  return Math.min(N - 1, Math.max(0, Math.floor(x0 * N)));
}

/** Cells whose centres lie in [a, b]: [first, last + 1). */
export function windowCells(a: number, b: number, N: number): [number, number] {
  if (!(a < b)) throw new RteSpecError(`the window needs a < b (got [${a}, ${b}])`);
  const first = Math.max(0, Math.ceil(a * N - 0.5));
  const end = Math.min(N, Math.floor(b * N - 0.5) + 1);
  if (end <= first) throw new RteSpecError(`the window [${a}, ${b}] holds no cell centre on N = ${N}`);
  return [first, end];
}

export function describeObjective(o: Objective): string {
  switch (o.kind) {
    case 'sum-final-E':
      return 'Σᵢ E(xᵢ, t_final)';
    case 'probe-E':
      return `E(x₀ = ${o.x0}, record ${o.record})`;
    case 'window-energy':
      return `∫ E dx over [${o.a}, ${o.b}] at record ${o.record}`;
    case 'mean-T':
      return `mean T at record ${o.record}`;
  }
}

export function objectiveFn(spec: GridSpec, R: number, o: Objective): (E: Tensor, T: Tensor) => Tensor {
  const { N } = spec;
  switch (o.kind) {
    case 'sum-final-E':
      return (E) => E.get(R - 1).sum();
    case 'probe-E': {
      const r = recordIndex(o.record, R);
      const i = probeCell(o.x0, N);
      return (E) => E.get(r, i);
    }
    case 'window-energy': {
      const r = recordIndex(o.record, R);
      const [i0, i1] = windowCells(o.a, o.b, N);
      return (E) =>
        E.get(r, `${i0}:${i1}`)
          .sum()
          .mul(1 / N);
    }
    case 'mean-T': {
      const r = recordIndex(o.record, R);
      return (_E, T) => T.get(r).mean();
    }
  }
}
