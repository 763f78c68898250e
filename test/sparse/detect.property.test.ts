import { describe, expect, it } from 'vitest';
import { jacfwd, jacobianSparsity, reshape, SparsityPattern, type Tensor } from '../../core/index';
import { randomProgram, sampleInput, shapeFrom } from '../core/support/random-programs';

// On random programs over every kind of op (abs, max, where... included): the true nonzeros at the sample
// lie in the local pattern, which lies in the global one.
describe('jacobianSparsity on random programs', () => {
  for (let seed = 1; seed <= 60; seed++)
    it(`program ${seed}`, () => {
      const x = sampleInput(shapeFrom(seed, 1, 3, 4), seed);
      const prog = randomProgram(seed, x, { steps: 6 });
      const J = jacfwd(prog.run)(x) as Tensor;
      const truth = SparsityPattern.fromDense(reshape(J, [J.size / x.size, x.size]));
      const local = jacobianSparsity(prog.run, { local: true })(x);
      const global = jacobianSparsity(prog.run)(x);
      expect(truth.isSubsetOf(local), prog.text).toBe(true);
      expect(local.isSubsetOf(global), prog.text).toBe(true);
    });
});
