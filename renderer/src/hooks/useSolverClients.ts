/** One solver worker per job kind, so a slow job of one kind never queues behind another's. */
import { useState } from 'react';
import { SolverClient } from '../worker/client';
import { DERIVATIVE_LANES, SolverPool } from '../worker/pool';

export interface SolverClients {
  live: SolverClient;
  aux: SolverClient;
  /** The gradient, the jvp field with the record Jacobian, and the θ-hessian: a worker each. */
  deriv: SolverPool;
  dense: SolverClient;
}

export function useSolverClients(): SolverClients {
  const [clients] = useState(() => ({
    live: new SolverClient('live solve'),
    aux: new SolverClient('grid checks'),
    deriv: new SolverPool('derivatives', DERIVATIVE_LANES, (label) => new SolverClient(label)),
    dense: new SolverClient('dense Jacobian'),
  }));
  return clients;
}
