import { describe, expect, it } from 'vitest';
import { DERIVATIVE_LANES, SolverPool } from '../../renderer/src/worker/pool';

/** A worker stand-in that records what ran on it. */
const fake = (label: string) => ({
  label,
  calls: [] as string[],
  cancels: 0,
  disposed: false,
  call(method: string) {
    this.calls.push(method);
    return Promise.resolve(`${method} on ${label}`) as never;
  },
  cancel() {
    this.cancels++;
  },
  dispose() {
    this.disposed = true;
  },
});

describe('the pool of solver workers', () => {
  it('runs the hessian on a worker of its own, apart from the gradient; one worker per lane', () => {
    const pool = new SolverPool('derivatives', DERIVATIVE_LANES, fake);
    const grad = pool.clientFor('grad');
    const hessian = pool.clientFor('hessian');
    expect(hessian).not.toBe(grad);
    expect(pool.clientFor('jvp')).toBe(pool.clientFor('recordJacobian'));
    expect(pool.clientFor('grad')).toBe(grad);
    expect(pool.started).toBe(3);
    expect(hessian.label).toBe('derivatives 3: hessian');
    pool.dispose();
    expect(grad.disposed && hessian.disposed).toBe(true);
  });

  it('a lane starts its worker on its first call only, and cancel reaches only that worker', async () => {
    const pool = new SolverPool('derivatives', DERIVATIVE_LANES, fake);
    const lane = pool.lane('hessian');
    expect(pool.lane('hessian')).toBe(lane);
    lane.cancel(); // nothing started: nothing to cancel
    expect(pool.started).toBe(0);
    expect(await lane.call({} as never)).toBe('hessian on derivatives 3: hessian');
    expect(await pool.lane('grad').call({} as never)).toBe('grad on derivatives 1: grad');
    lane.cancel();
    expect(pool.clientFor('hessian').cancels).toBe(1);
    expect(pool.clientFor('grad').cancels).toBe(0);
    expect(pool.started).toBe(2);
  });

  it('names a method no lane runs, and refuses a method in two lanes', () => {
    const pool = new SolverPool('derivatives', DERIVATIVE_LANES, fake);
    expect(() => pool.lane('solve')).toThrow(
      "SolverPool derivatives: no lane runs 'solve' (lanes: grad, jvp+recordJacobian, hessian)",
    );
    expect(() => new SolverPool('x', [['grad'], ['grad', 'jvp']], fake)).toThrow(
      "SolverPool x: method 'grad' is in more than one lane",
    );
  });
});
