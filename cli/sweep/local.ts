/**
 * `rte sweep run`: the shards a store still lacks, computed over a pool of worker threads (each compiles the
 * shard program once), with a progress line on stderr. SIGINT/SIGTERM stop the workers at once: shards in
 * flight have no marker (their partial files are removed) and the next run redoes them.
 */
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors';
import { Progress } from './progress';
import type { Sweep } from './spec';
import { arraysOf, doneShards, shardCases } from './store';
import { SWEEP_WORKER_ROLE, type WorkerReply } from './worker';
import { removePartials } from './zarr-v2';

export interface LocalResult {
  shardsRun: number;
  casesRun: number;
  shardsDone: number;
  stopped: boolean;
  rate: number;
  backend: string;
}

export async function runLocal(dir: string, sweep: Sweep, workers: number): Promise<LocalResult> {
  const done = doneShards(dir);
  const todo = Array.from({ length: sweep.shards }, (_, k) => k).filter((k) => !done.has(k));
  const casesDone = [...done].reduce((a, k) => a + shardCases(sweep, k)[1] - shardCases(sweep, k)[0], 0);
  const progress = new Progress(sweep.shards, sweep.cases.count, done.size, casesDone);
  const result: LocalResult = {
    shardsRun: 0,
    casesRun: 0,
    shardsDone: done.size,
    stopped: false,
    rate: 0,
    backend: sweep.json.backend,
  };
  if (todo.length === 0) return result;
  progress.print(true);
  const pool: Worker[] = [];
  const inFlight = new Set<number>();
  let failure: Error | null = null;

  await new Promise<void>((finish) => {
    let active = 0;
    let stopping = false;
    const stop = (why: Error | null) => {
      if (stopping) return;
      stopping = true;
      if (why) failure = why;
      void Promise.all(pool.map((w) => w.terminate())).then(() => {
        // a shard stopped mid-write leaves temporary files (never a chunk under its final name): remove them
        for (const k of inFlight)
          for (const name of Object.keys(arraysOf(sweep))) removePartials(join(dir, name), `${k}.`);
        finish();
      });
    };
    const onSignal = () => {
      result.stopped = true;
      stop(null);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const cleanup = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    const feed = (w: Worker) => {
      const k = todo.shift();
      if (k === undefined) {
        active--;
        if (active === 0) {
          cleanup();
          stop(null);
        }
        return;
      }
      inFlight.add(k);
      w.postMessage({ shard: k });
    };
    const count = Math.max(1, Math.min(workers, todo.length));
    active = count;
    for (let i = 0; i < count; i++) {
      const w = new Worker(resolve(process.argv[1]!), {
        workerData: { role: SWEEP_WORKER_ROLE, store: dir },
      });
      w.on('message', (m: WorkerReply) => {
        inFlight.delete(m.shard);
        if (!m.ok) {
          cleanup();
          stop(m.badInput ? new UsageError(m.message!) : new Error(`shard ${m.shard}: ${m.message}`));
          return;
        }
        result.shardsRun++;
        result.shardsDone++;
        result.casesRun += m.cases!;
        result.backend = m.backend!;
        progress.shardFinished(m.cases!);
        if (!failure && !result.stopped) feed(w);
      });
      w.on('error', (e) => {
        cleanup();
        stop(e);
      });
      // a worker that dies without an error event (out of memory, killed) must not leave the run waiting
      w.on('exit', (code) => {
        if (stopping) return;
        cleanup();
        stop(new Error(`a sweep worker exited (code ${code}) while shards were left`));
      });
      pool.push(w);
      feed(w);
    }
  });
  progress.print(true);
  result.rate = progress.rate();
  if (failure) throw failure;
  return result;
}
