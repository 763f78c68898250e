import { useEffect, useState } from 'react';
import type { SolverBackend } from '../worker/api';
import type { SolverClient } from '../worker/client';

/** Backends the worker says cannot run here (the CSP forbids gpu.js's JavaScript target), with why. */
export function useBlockedBackends(client: SolverClient): ReadonlyMap<SolverBackend, string> {
  const [blocked, setBlocked] = useState<ReadonlyMap<SolverBackend, string>>(new Map());
  useEffect(() => {
    let live = true;
    void client.call('info', undefined).then((info) => {
      if (live) setBlocked(new Map(info.blocked.map((b) => [b.backend, b.reason])));
    });
    return () => {
      live = false;
    };
  }, [client]);
  return blocked;
}
