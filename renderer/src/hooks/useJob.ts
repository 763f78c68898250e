/** A long, cancellable worker job with progress: derivative panels use one each. */
import { useCallback, useRef, useState } from 'react';
import { userMessage } from '../model/messages';
import type { ProgressInfo } from '../worker/api';
import { CancelledError, type SolverClient } from '../worker/client';

export interface Job<T> {
  result: T | null;
  running: boolean;
  progress: ProgressInfo | null;
  error: string | null;
  run(work: (client: SolverClient, onProgress: (p: ProgressInfo) => void) => Promise<T>): Promise<void>;
  cancel(): void;
  clear(): void;
}

export function useJob<T>(client: SolverClient): Job<T> {
  const [result, setResult] = useState<T | null>(null);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<ProgressInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const run = useCallback(
    async (work: (c: SolverClient, p: (p: ProgressInfo) => void) => Promise<T>) => {
      const mine = ++generation.current;
      setRunning(true);
      setError(null);
      setProgress({ fraction: null, message: 'starting' });
      try {
        const r = await work(client, (p) => {
          if (generation.current === mine) setProgress(p);
        });
        if (generation.current === mine) setResult(r);
      } catch (e) {
        if (generation.current === mine) setError(e instanceof CancelledError ? 'cancelled' : userMessage(e));
      } finally {
        if (generation.current === mine) {
          setRunning(false);
          setProgress(null);
        }
      }
    },
    [client],
  );

  const cancel = useCallback(() => client.cancel(), [client]);
  const clear = useCallback(() => setResult(null), []);
  return { result, running, progress, error, run, cancel, clear };
}
