/**
 * The live derivative panels' requests on the solution's own grid: the gradient of the objective for every case
 * (vmap(grad)), the jvp field and θ-hessian of the selected case, and one record's Jacobian. Each follows every
 * edit (useLiveCall); none runs while its panel is closed. They run on a pool of workers (the gradient, the
 * jvp field and record Jacobian, the hessian each on its own), so one never waits for another.
 */
import { useMemo } from 'react';
import { type DerivSettings, directionValues, thetaValues } from '../model/derivSettings';
import type { View } from '../model/session';
import type {
  CaseInputs,
  GradResult,
  GridSpec,
  HessianResult,
  JvpResult,
  RecordJacobianResult,
} from '../worker/api';
import type { SolverPool } from '../worker/pool';
import { type LiveCall, useLiveCall } from './useLiveCall';

export interface LiveDerivatives {
  grad: LiveCall<GradResult>;
  jvp: LiveCall<JvpResult>;
  hessian: LiveCall<HessianResult>;
  jacobian: LiveCall<RecordJacobianResult>;
  /** Why the jvp direction or θ cannot be used (the last good result stays on screen). */
  directionError: string | null;
  thetaError: string | null;
}

interface Args {
  pool: SolverPool;
  grid: GridSpec;
  cases: CaseInputs[] | null;
  selected: number;
  view: View;
  settings: DerivSettings;
  editAt: number;
  /** Which panel is open. */
  open: 'sensitivity' | 'jacobian' | null;
}

function attempt<T>(f: () => T): { value: T | null; error: string | null } {
  try {
    return { value: f(), error: null };
  } catch (e) {
    return { value: null, error: (e as Error).message };
  }
}

export function useLiveDerivatives(a: Args): LiveDerivatives {
  const { pool, grid, cases, view, settings, open } = a;
  const { dtype } = settings;
  const inputs = cases?.[Math.min(a.selected, cases.length - 1)] ?? null;
  const dir = useMemo(
    () => attempt(() => directionValues(settings.dirText, grid.N)),
    [settings.dirText, grid.N],
  );
  const th = useMemo(() => attempt(() => thetaValues(settings.theta)), [settings.theta]);
  const sens = open === 'sensitivity';
  const { objective, jac } = view;

  const wantGrad = sens || settings.overlay;
  const wantJvp = sens || settings.shadeE;
  const gradReq = useMemo(
    () => (wantGrad && cases ? { spec: grid, cases, objective, dtype } : null),
    [wantGrad, grid, cases, objective, dtype],
  );
  const jvpReq = useMemo(
    () =>
      wantJvp && inputs && dir.value
        ? { spec: grid, inputs, direction: { [settings.dirField]: dir.value }, dtype }
        : null,
    [wantJvp, grid, inputs, dir, settings.dirField, dtype],
  );
  const hessReq = useMemo(
    () => (sens && inputs && th.value ? { spec: grid, inputs, ...th.value, objective, dtype } : null),
    [sens, grid, inputs, th, objective, dtype],
  );
  const jacReq = useMemo(
    () =>
      open === 'jacobian' && inputs
        ? { spec: grid, inputs, output: jac.output, input: jac.input, record: jac.record, dtype }
        : null,
    [open, grid, inputs, jac, dtype],
  );
  return {
    grad: useLiveCall(pool.lane('grad'), gradReq, (l, q) => l.call(q), a.editAt),
    jvp: useLiveCall(pool.lane('jvp'), jvpReq, (l, q) => l.call(q), a.editAt),
    hessian: useLiveCall(pool.lane('hessian'), hessReq, (l, q) => l.call(q), a.editAt),
    jacobian: useLiveCall(pool.lane('recordJacobian'), jacReq, (l, q) => l.call(q), a.editAt),
    directionError: dir.error,
    thetaError: th.error,
  };
}

/** One line for the status bar: what the derivatives on screen cost and what ran them. */
export function derivativeStatus(d: LiveDerivatives): string | null {
  const parts: string[] = [];
  let ran: { backend: string; dtype: string } | null = null;
  const add = (label: string, r: { ms: number; backend: string; dtype: string } | null) => {
    if (!r) return;
    parts.push(`${label} ${r.ms.toFixed(0)} ms`);
    ran = r;
  };
  add('∇J', d.grad.result);
  add('jvp', d.jvp.result);
  add('H', d.hessian.result);
  add(`J(r${d.jacobian.result?.record ?? ''})`, d.jacobian.result);
  if (!ran) return null;
  const { backend, dtype } = ran as { backend: string; dtype: string };
  return `∂: ${parts.join(' · ')} on ${backend}, ${dtype}`;
}
