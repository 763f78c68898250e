/**
 * A sweep worker thread: the CLI's own entry file started with this role in its workerData (so it works from
 * the esbuild bundle and from the TypeScript sources alike). It opens the store, compiles once, and computes
 * the shards the main thread sends, one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isBadInput, oneLine } from '../errors';
import { shardRunner } from './shard';
import { sweepOfStore } from './store';

export const SWEEP_WORKER_ROLE = 'rte-sweep-worker';

export interface WorkerReply {
  shard: number;
  ok: boolean;
  cases?: number;
  backend?: string;
  seconds?: number;
  badInput?: boolean;
  message?: string;
}

export const isSweepWorker = (data: unknown): boolean =>
  (data as { role?: string } | null)?.role === SWEEP_WORKER_ROLE;

export function serveSweepWorker(): void {
  const port = parentPort!;
  const { store } = workerData as { store: string };
  const runner = shardRunner(sweepOfStore(store), store);
  port.on('message', async ({ shard }: { shard: number }) => {
    try {
      const r = await runner.run(shard);
      port.postMessage({ shard, ok: true, ...r } satisfies WorkerReply);
    } catch (e) {
      const bad = isBadInput(e);
      const err = e as Error;
      const message = oneLine(bad ? err.message : `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`);
      port.postMessage({ shard, ok: false, badInput: bad, message } satisfies WorkerReply);
    }
  });
}
