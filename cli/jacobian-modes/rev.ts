/** Reverse mode: one VJP per output cell, batched with vmap (jacrev). */

import type { Tensor } from '../../core/index';
import { jacrev } from '../../core/index';
import type { JacobianMode } from './index';

export const reverseMode: JacobianMode = {
  name: 'rev',
  help: 'rev: one cotangent per output cell (jacrev)',
  jacobian: (f, x) => ({ jacobian: jacrev(f)(x) }),
  dense: (f) => jacrev(f) as (x: Tensor) => Tensor,
};
