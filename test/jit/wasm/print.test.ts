/** The staged jaxpr and the lowered WebAssembly program of a small loop, pinned as text (what a user reads). */
import { describe, expect, it } from 'vitest';
import { fori, printJaxpr, rand, type Tensor } from '../../../core/index';
import { makeJaxpr } from '../../../core/ir/stage';
import { jit, printProgram } from '../../../core/jit/index';

const x = rand([6], { seed: 1, dtype: 'float32' });
const k = rand([], { seed: 2, dtype: 'float32' });
const f = (h0: Tensor, a: Tensor) => fori(4, (h: Tensor) => h.mul(a).add(1), h0).sin();

describe('printing what jit compiles', () => {
  it('printJaxpr names variables per print and shows the scan body', () => {
    const { jaxpr } = makeJaxpr((h: Tensor, a: Tensor) => [f(h, a)], [x, k], true);
    expect(printJaxpr(jaxpr)).toMatchInlineSnapshot(`
      "{ lambda a:f32[], b:f32[6], c:f32[] .
        let d:f32[6] = scan[numConsts=2 numCarry=1 length=4 checkpoints=0] c a b
              { lambda e:f32[], f:f32[], g:f32[6] .
                let h:f32[6] = mul g e
                    i:f32[6] = add h f
                in ( i ) }
            j:f32[6] = sin d
        in ( j ) }"
    `);
  });

  it('printProgram shows the buffers, the loop with its swapped carry, and each kernel’s nests', () => {
    expect(printProgram(jit(f), x, k)).toMatchInlineSnapshot(`
      "{ lambda a:f32[], b:f32[6], c:f32[] .
        let d:f32[6] = scan[numConsts=2 numCarry=1 length=4 checkpoints=0] c a b
              { lambda e:f32[], f:f32[], g:f32[6] .
                let h:f32[6] = mul g e
                    i:f32[6] = add h f
                in ( i ) }
            j:f32[6] = sin d
        in ( j ) }
      wasm program: 2 input(s), 1 output(s), 2 kernel function(s)
        in0: f32[6]
        in1: f32[]
        carry0.0 = copy in0
        loop i0 < 4 {
          carry0.0' = f32[6] kernel1(carry0.0, in1)  1 nest, 1 in 4 lanes
          swap carry0.0 carry0.0'
        }
        out0 = f32[6] kernel2(carry0.0)  1 nest, 1 in 4 lanes
        return out0"
    `);
  });
});
