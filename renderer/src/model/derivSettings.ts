/**
 * What the live derivative panels compute besides the objective: the jvp direction (a formula in x, applied to
 * σ or Tini), the θ point and modulation depth of the hessian's σ family, and the derivative dtype.
 */

import { compileFormula } from '../../../core/rte/index';
import type { DType } from '../worker/api';
import { centres } from './profile';

export interface DerivSettings {
  dirField: 'sigma' | 'Tini';
  /** δσ(x) or δTini(x) as a formula in x. */
  dirText: string;
  /** θ0, θ1 and the depth d, as typed. */
  theta: { amp: string; phase: string; depth: string };
  dtype: DType;
  /** Draw the selected case's ∂J/∂σ under the σ editor (the gradient then follows edits on every tab). */
  overlay: boolean;
  /** Shade the results' E(x,t) map by |∂E/∂θ| of the selected case (the jvp field then follows edits on every tab). */
  shadeE: boolean;
}

/** ∂σ/∂θ₀ of the seed's case 1 (σ = θ₀(1 + 0.1 sin(2πx + θ₁)) at θ₁ = sin 2): the reference's jvp direction. */
export const DEFAULT_DERIV_SETTINGS: DerivSettings = {
  dirField: 'sigma',
  dirText: '1 + 0.1*sin(2*pi*x + sin(2))',
  theta: { amp: String(1 + Math.sin(1)), phase: String(Math.sin(2)), depth: '0.1' },
  dtype: 'float64',
  overlay: false,
  shadeE: false,
};

/** The direction sampled at the N cell centres; throws with what is wrong (parse error, non-finite value). */
export function directionValues(text: string, N: number): Float64Array {
  const f = compileFormula(text, ['x']);
  const x = centres(N);
  const v = x.map((xi) => f.evaluate({ x: xi }));
  const bad = v.findIndex((y) => !Number.isFinite(y));
  if (bad >= 0) throw new Error(`the direction is not finite at x = ${x[bad]!.toFixed(4)}`);
  return v;
}

/** θ and d as numbers, or an error naming the field that is not a number (θ₀ ≠ 0, |d| < 1). */
export function thetaValues(t: DerivSettings['theta']): { theta: [number, number]; depth: number } {
  const [amp, phase, depth] = [t.amp, t.phase, t.depth].map((s) =>
    s.trim() === '' ? Number.NaN : Number(s),
  );
  if (!Number.isFinite(amp) || amp === 0) throw new Error(`θ₀ must be a non-zero number (got '${t.amp}')`);
  if (!Number.isFinite(phase)) throw new Error(`θ₁ must be a number (got '${t.phase}')`);
  if (!(Number.isFinite(depth) && Math.abs(depth!) < 1))
    throw new Error(`d must be a number with |d| < 1 (got '${t.depth}')`);
  return { theta: [amp!, phase!], depth: depth! };
}
