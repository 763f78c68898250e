/** One solver worker per job kind, so a slow job of one kind never queues behind another's. */
import { useState } from 'react';
import { SolverClient } from '../worker/client';

export interface SolverClients {
  live: SolverClient;
  aux: SolverClient;
  deriv: SolverClient;
  dense: SolverClient;
}

export function useSolverClients(): SolverClients {
  const [clients] = useState(() => ({
    live: new SolverClient('live solve'),
    aux: new SolverClient('grid checks'),
    deriv: new SolverClient('derivatives'),
    dense: new SolverClient('dense Jacobian'),
  }));
  return clients;
}
