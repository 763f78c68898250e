/** Forward mode: one JVP per input cell, batched with vmap (jacfwd). */

import type { Tensor } from '../../core/index';
import { jacfwd } from '../../core/index';
import type { JacobianMode } from './index';

export const forwardMode: JacobianMode = {
  name: 'fwd',
  help: 'fwd: one tangent per input cell (jacfwd)',
  jacobian: (f, x) => ({ jacobian: jacfwd(f)(x) }),
  dense: (f) => jacfwd(f) as (x: Tensor) => Tensor,
};
