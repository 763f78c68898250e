/**
 * Where core follows torch.func's behaviour at the edges: gradients at clamp's bounds, refusals with messages
 * that name the fix. Expected values and messages were taken from functorch (PyTorch 1.13) in float64.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../core/index';
import * as C from '../../../core/index';
import { assertClose, expectExact } from '../support/close';
import { messageOf } from '../support/message';

const x = C.tensor([-1, -0.5, 0, 0.5, 1, 2]);

describe('gradients at kinks follow PyTorch', () => {
  it('clamp passes the gradient at its bounds (torch: [0, 1, 1, 1, 1, 0])', () => {
    expectExact(C.grad((z: Tensor) => C.clamp(z, -0.5, 1).sum())(x) as Tensor, [0, 1, 1, 1, 1, 0]);
    const [, t] = C.jvp((z: Tensor) => C.clamp(z, -0.5, 1), [x], [C.onesLike(x)]) as Tensor[];
    expectExact(t!, [0, 1, 1, 1, 1, 0]);
    expectExact(C.clamp(x, -0.5, 1), [-0.5, -0.5, 0, 0.5, 1, 1]);
  });

  it('clamp with one side open, tensor bounds, and lo > hi (every entry is hi, as torch)', () => {
    expectExact(C.clamp(x, null, 0), [-1, -0.5, 0, 0, 0, 0]);
    expectExact(C.clamp(x, 0.5), [0.5, 0.5, 0.5, 0.5, 1, 2]);
    expectExact(C.clamp(x, 1, 0), [0, 0, 0, 0, 0, 0]);
    const lo = C.tensor([0, 0, 0, 0, 0, 0]);
    // torch: the gradient w.r.t. a tensor min flows where it is the result (x < min)
    expectExact(C.grad((b: Tensor) => C.clamp(x, b, 1).sum())(lo) as Tensor, [1, 1, 0, 0, 0, 0]);
    expect(messageOf(() => C.clamp(x))).toContain('at least one of lo and hi');
  });

  it('relu has gradient 0 at 0 (torch: [0, 0, 0, 1, 1, 1]) and keeps NaN', () => {
    expectExact(C.grad((z: Tensor) => C.relu(z).sum())(x) as Tensor, [0, 0, 0, 1, 1, 1]);
    expectExact(C.relu(x), [0, 0, 0, 0.5, 1, 2]);
    expect(Number.isNaN(C.relu(C.tensor([Number.NaN])).item())).toBe(true);
  });
});

describe('refusals with a message that names the fix', () => {
  it('vmap refuses a batch dim for a non-tensor input instead of broadcasting it', () => {
    const msg = messageOf(() => C.vmap((a: Tensor, b: number) => C.mul(a, b), { inDims: 0 })(C.ones([3]), 2));
    expect(msg).toContain('inDims 0 for argument 1');
    expect(msg).toContain('number');
    expect(msg).toContain('inDims null');
    expect(
      messageOf(() => C.vmap((p: { w: Tensor; k: number }) => C.mul(p.w, p.k))({ w: C.ones([3]), k: 2 })),
    ).toContain('argument 0.k');
    expect(messageOf(() => C.vmap((a: Tensor, _b?: Tensor) => a)(C.ones([3]), undefined))).toContain(
      'argument 1, which is undefined',
    );
    // null for the number: it is the same for every element
    expectExact(
      C.vmap((a: Tensor, b: number) => C.mul(a, b), { inDims: [0, null] })(C.ones([3]), 2),
      [2, 2, 2],
    );
  });

  it('grad of a non-0-dim output refuses, as torch does, and suggests vjp or jacrev', () => {
    const msg = messageOf(() => C.grad((z: Tensor) => z.sum().reshape(1))(x));
    expect(msg).toContain('0-dim');
    expect(msg).toContain('[1]');
    expect(msg).toContain('maybe you wanted vjp or jacrev');
    expect(messageOf(() => C.grad((z: Tensor) => z.sum().reshape(1, 1))(x))).toContain('[1,1]');
    // a 0-dim output is what grad takes
    expectExact(C.grad((z: Tensor) => z.sum())(x) as Tensor, [1, 1, 1, 1, 1, 1]);
  });

  it('grad of a function returning a number says so', () => {
    const msg = messageOf(() => C.grad((_z: Tensor) => 1.5)(x));
    expect(msg).toContain('got number 1.5');
    expect(msg).not.toContain('structure');
    expect(messageOf(() => C.grad((z: Tensor) => [z.sum(), z.sum()])(x))).toContain('hasAux');
  });

  it('jacrev, jacfwd and vjp refuse bool outputs (a Jacobian of zeros would be silently wrong)', () => {
    for (const [op, run] of [
      ['jacrev', () => C.jacrev((z: Tensor) => C.gt(z, 0))(x)],
      ['jacfwd', () => C.jacfwd((z: Tensor) => C.gt(z, 0))(x)],
      ['vjp', () => C.vjp((z: Tensor) => C.gt(z, 0), x)],
    ] as const) {
      const msg = messageOf(run);
      expect(msg).toContain(op);
      expect(msg).toContain('bool');
      expect(msg).toContain('floating');
    }
    // as aux, a bool output is fine
    const [jac, aux] = C.jacrev((z: Tensor) => [C.sin(z), C.gt(z, 0)], { hasAux: true })(x) as Tensor[];
    assertClose(jac!, C.mul(C.eye(6), C.cos(x)));
    expect(aux!.dtype).toBe('bool');
  });
});

describe('hasAux where torch.func and JAX have it', () => {
  it('vjp(f, x, {hasAux: true}) returns [output, pullback, aux] (torch: (output, vjp_fn, aux))', () => {
    const f = (z: Tensor) => [C.sin(z), C.cos(z)];
    const [out, pullback, aux] = C.vjp(f, x, { hasAux: true });
    assertClose(out as Tensor, C.sin(x));
    assertClose(aux as Tensor, C.cos(x));
    const [ct] = pullback(C.onesLike(x));
    assertClose(ct as Tensor, C.cos(x));
    // without the option, the pair is the output (a two-leaf tree) and the pullback takes a pair
    const [pair, pb2] = C.vjp(f, x);
    expect((pair as Tensor[]).length).toBe(2);
    assertClose(pb2([C.onesLike(x), C.zerosLike(x)])[0] as Tensor, C.cos(x));
  });

  it('hessian(f, {hasAux: true}) returns [hessian, aux], not the Jacobian of aux', () => {
    const v = C.tensor([0.3, -0.7]);
    const f = (z: Tensor) => [C.sum(C.pow(z, 3)), C.mul(z, 2)];
    const [h, aux] = C.hessian(f, { hasAux: true })(v) as Tensor[];
    assertClose(h!, C.mul(C.eye(2), C.mul(v, 6)));
    assertClose(aux!, C.mul(v, 2));
  });
});
