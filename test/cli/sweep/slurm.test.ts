/**
 * `rte sweep submit --slurm` on a real one-node Slurm cluster (scripts/slurm-single-node.sh brings it up; CI
 * runs as root): an array of 4 tasks, one cancelled while it runs, `status` naming it missing, `submit --resume`
 * resubmitting only that shard, and the store then equal, byte for byte, to a local run of the same spec.
 * Skipped with one line where Slurm cannot start (not root, no packages and no network to install them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, scratch } from '../run-cli';
import { doneCount, rte, storeFiles, waitFor, writeSpec } from './helpers';

const script = join(repoRoot, 'scripts', 'slurm-single-node.sh');
const sh = (...args: string[]) =>
  spawnSync('bash', [script, ...args], { encoding: 'utf8', timeout: 240_000 });

function startSlurm(): { ok: true; startedHere: boolean } | { ok: false; why: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'not root (the one-node cluster needs root)' };
  const wasRunning = /slurmctld: running/.test(sh('status').stdout);
  const r = sh('start');
  if (r.status !== 0) return { ok: false, why: (r.stderr.trim().split('\n').pop() ?? 'start failed').trim() };
  return { ok: true, startedHere: !wasRunning };
}

const slurm = startSlurm();
if (!slurm.ok) console.log(`Slurm sweep test skipped: Slurm cannot start here (${slurm.why})`);
const tmp = scratch();
afterAll(() => {
  if (slurm.ok && slurm.startedHere) sh('stop');
  tmp.cleanup();
});

const squeue = (job: string) =>
  spawnSync('squeue', ['-h', '-r', '-j', job, '-o', '%K %T'], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(/\s+/) as [string, string]);

describe.skipIf(!slurm.ok)('rte sweep on Slurm', () => {
  const spec = writeSpec(tmp.file('spec.json'), {
    grid: { N: 200, Nvx: 8, CFL: 0.8, t_end: 4, every: 250 },
    Tini: '1 + a * sin(2*pi*x)',
    sigma: 's * (1 + 0.5 * gauss(x, 0.5, 0.1))',
    space: { product: { a: [0.1, 0.3], s: [0.5, 2] } },
    compute: ['solve', { grad: { wrt: 'Tini' } }],
    shard_size: 1,
  });
  const store = tmp.file('slurm.zarr');

  it('4 array tasks, one cancelled mid-run, resumed: the store equals a local run', async () => {
    const sub = await rte(['sweep', 'submit', spec, '--out', store, '--slurm', '--time', '00:05:00']);
    expect(sub.code, sub.stderr).toBe(0);
    const { job, submitted } = JSON.parse(sub.stdout);
    expect(submitted).toEqual([0, 1, 2, 3]);
    expect(existsSync(join(store, '.zattrs'))).toBe(true);

    // cancel a task that runs and has not finished its shard
    let victim = -1;
    await waitFor(() => {
      const running = squeue(job).find(
        ([k, state]) => state === 'RUNNING' && !existsSync(join(store, '.sweep', 'done', `${k}.json`)),
      );
      if (running) victim = Number(running[0]);
      return running !== undefined;
    });
    expect(spawnSync('scancel', [`${job}_${victim}`]).status).toBe(0);
    await waitFor(() => squeue(job).length === 0, 180_000);

    const status = await rte(['sweep', 'status', store]);
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report).toMatchObject({ done: 3, missing: [], queued: {} });
    // the cancelled task ran and left no result: failed, with the last line of its log
    expect(Object.keys(report.failed)).toEqual([String(victim)]);

    const again = await rte(['sweep', 'submit', spec, '--out', store, '--slurm']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds 3 finished shard\(s\): add --resume/);

    const resumed = await rte(['sweep', 'submit', spec, '--out', store, '--slurm', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const second = JSON.parse(resumed.stdout);
    expect(second.submitted).toEqual([victim]);
    await waitFor(() => squeue(second.job).length === 0, 180_000);
    expect(doneCount(store)).toBe(4);
    expect(JSON.parse((await rte(['sweep', 'status', store])).stdout)).toMatchObject({
      done: 4,
      failed: {},
      missing: [],
    });

    const local = tmp.file('local.zarr');
    expect((await rte(['sweep', 'run', spec, '--out', local])).code).toBe(0);
    const want = storeFiles(local);
    const got = storeFiles(store);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [path, bytes] of want) expect(got.get(path)!.equals(bytes), path).toBe(true);
  }, 300_000);
});
