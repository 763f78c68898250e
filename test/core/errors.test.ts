/** Errors name the op and the shapes involved, so a failure deep in a transform can be traced to its cause. */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/index';
import * as C from '../../core/index';
import { messageOf } from './support/message';

const expectMessage = (f: () => unknown, ...parts: string[]) => {
  const msg = messageOf(f);
  for (const p of parts) expect(msg).toContain(p);
};

describe('errors', () => {
  it('mismatched matmul names both shapes, also inside vmap', () => {
    expectMessage(() => C.matmul(C.zeros([2, 3]), C.zeros([4, 5])), 'matmul', '[2,3]', '[4,5]');
    expectMessage(() => C.matmul(C.zeros([3]), C.zeros([2])), 'matmul', '[3]', '[2]');
    expectMessage(
      () => C.vmap((x: Tensor) => C.matmul(x, C.zeros([4, 2])))(C.zeros([5, 2, 3])),
      'matmul',
      '[2,3]',
      '[4,2]',
    );
    expectMessage(() => C.matmul(C.zeros([2, 2, 3]), C.zeros([3, 3, 2])), 'matmul', '[2]', '[3]');
  });

  it('grad of a non-scalar output names grad and the shape', () => {
    expectMessage(() => C.grad(C.sin)(C.zeros([3])), 'grad', '0-dim', '[3]');
    expectMessage(() => C.grad((x: Tensor) => [x.sum(), x.sum()])(C.zeros([3])), 'grad', '0-dim');
    expectMessage(() => C.grad(C.sin)(C.tensor(1, { dtype: 'int32' })), 'grad', 'int32');
  });

  it('inDims that do not fit the arguments', () => {
    expectMessage(
      () => C.vmap(C.sin, { inDims: [0, 0] })(C.zeros([3])),
      'vmap',
      'inDims',
      '2 entries',
      '1 argument',
    );
    expectMessage(() => C.vmap(C.sin, { inDims: 2 })(C.zeros([3, 4])), 'vmap', 'inDims', '[3,4]', 'axis 2');
    expectMessage(
      () => C.vmap(C.add, { inDims: [null, null] })(C.zeros([3]), C.zeros([3])),
      'vmap',
      'no argument',
    );
    expectMessage(() => C.vmap(C.sin, { inDims: [[0, 1]] })(C.zeros([3])), 'vmap', 'inDims');
  });

  it('vmap with inconsistent batch sizes lists each shape and dim', () => {
    expectMessage(
      () => C.vmap(C.add)(C.zeros([3, 2]), C.zeros([4, 2])),
      'vmap',
      'batch size',
      '[3,2] at dim 0',
      '[4,2] at dim 0',
    );
    expectMessage(
      () => C.vmap(C.add, { inDims: [0, 1] })(C.zeros([3, 2]), C.zeros([3, 2])),
      '[3,2] at dim 0',
      '[3,2] at dim 1',
    );
  });

  it('bad reshape names both shapes and the element count', () => {
    expectMessage(() => C.reshape(C.zeros([2, 3]), [4]), 'reshape', '[2,3]', '[4]', '6 elements');
    expectMessage(() => C.reshape(C.zeros([2, 3]), [-1, -1]), 'reshape', '[-1,-1]');
    expectMessage(() => C.reshape(C.zeros([2, 3]), [4, -1]), 'reshape', '[2,3]', '[4,-1]');
  });

  it('out-of-range indices name the index, the axis size and the shape', () => {
    expectMessage(() => C.zeros([3]).get(3), 'index', '3', 'size 3', '[3]');
    expectMessage(() => C.zeros([2, 3]).get(0, -4), 'index', '-4', 'axis 1', '[2,3]');
    expectMessage(() => C.zeros([2, 3]).get(0, 0, 0), 'index', '3 indices', '[2,3]');
    expectMessage(() => C.sum(C.zeros([2, 3]), 2), 'sum', 'axis 2', 'rank 2');
    const ints = (v: number[][] | number[]) => C.tensor(v, { dtype: 'int32' });
    expectMessage(
      () => C.indexSelect(C.zeros([3, 2]), 0, ints([0, 3])),
      'index_select',
      'index 3',
      'size 3',
      '[3,2]',
    );
    expectMessage(
      () => C.gather(C.zeros([2, 3]), 1, ints([[5], [0]])),
      'gather',
      'index 5',
      'axis 1',
      '[2,3]',
    );
    expectMessage(
      () => C.scatterAdd(C.zeros([3]), 0, ints([-1]), C.ones([1])),
      'scatter_add',
      'index -1',
      'size 3',
      '[3]',
    );
    // Indices batched by vmap are checked by the kernel, which still names the primitive and the axis size.
    expectMessage(
      () => C.vmap((i: Tensor) => C.gather(C.zeros([3]), 0, i))(ints([[1], [4]])),
      'gather',
      '4',
      'size 3',
    );
  });

  it('other shape mismatches name the op and the shapes', () => {
    expectMessage(() => C.add(C.zeros([2, 3]), C.zeros([4])), 'add', '[2,3]', '[4]', 'broadcast');
    expectMessage(() => C.cat([C.zeros([2, 3]), C.zeros([2, 4])], 0), 'cat', '[2,3]', '[2,4]');
    expectMessage(() => C.stack([C.zeros([2]), C.zeros([3])]), 'stack', '[2]', '[3]');
    expectMessage(() => C.expand(C.zeros([2, 3]), [4, 3]), 'expand', '[2,3]', '[4,3]');
    expectMessage(
      () =>
        C.zeros([2, 3])
          .at(0)
          .set(C.zeros([4])),
      'at',
      '[4]',
      '[3]',
      '[2,3]',
    );
    expectMessage(() => C.pad(C.zeros([2]), [3, 0], 'circular'), 'pad', 'circular', 'size 2');
    expectMessage(() => C.jvp(C.sin, [C.zeros([3])], [C.zeros([4])]), 'jvp', 'tangent', '[4]', '[3]');
    // A carry that changes shape or dtype is refused before the loop runs (eagerly as under transforms).
    expectMessage(
      () => C.scan((c: Tensor) => [C.reshape(c, [1, 2]), null], C.zeros([2]), null, { length: 2 }),
      'scan',
      'float64[1,2]',
      'float64[2]',
    );
    expectMessage(
      () => C.fori(2, (c: Tensor) => C.add(c, 0.5), C.tensor([1], { dtype: 'int32' })),
      'scan',
      'int32[1]',
    );
    expectMessage(
      () => C.grad((x: Tensor) => C.fori(2, (c: Tensor) => C.stack([c, c]), x).sum())(C.zeros([2])),
      'scan',
      '[2,2]',
    );
  });
});
