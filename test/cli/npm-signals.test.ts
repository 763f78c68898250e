/**
 * Signals sent to `npm run --silent rte -- …` stop the solver too (issue 17): npm used to exit 143/129 while
 * the solver, behind a shell, went on and wrote its outputs later. A long eager solve is interrupted a moment
 * after it starts; the solver must be gone within seconds and leave no output folder or temporary files.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, scratch } from './run-cli';

const tmp = scratch();
afterAll(tmp.cleanup);
// the bundle is built before the clock starts (a stale one is rebuilt on the first run)
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/rte.mjs', '--help'], { cwd: repoRoot });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A long solve (tens of seconds eagerly), unless it is stopped. */
const longSolve = (out: string) => [
  'solve',
  '--preset',
  'seed',
  '--N',
  '3000',
  '--nvx',
  '8',
  '--cfl',
  '0.8',
  '--t-end',
  '3',
  '--every',
  '100',
  '--backend',
  'eager',
  '--out',
  out,
];

/** Whether a process still runs (a zombie waiting to be reaped counts as gone). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pid of the solver under `parent`: npm's child running scripts/rte.mjs. */
async function solverUnder(parent: number): Promise<number> {
  for (let i = 0; i < 300; i++) {
    for (const entry of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (ppid === parent && cmd.includes('scripts/rte.mjs')) return Number(entry);
      } catch {
        // the process ended while we looked
      }
    }
    await sleep(50);
  }
  throw new Error(`no solver process appeared under ${parent}`);
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );

let strays: number[] = [];
afterEach(() => {
  for (const pid of strays) if (running(pid)) process.kill(pid, 'SIGKILL');
  strays = [];
});

describe('signals through npm run', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)(
    '%s to npm stops the solver, and no outputs appear later',
    async (signal) => {
      const out = join(tmp.dir, `out-${signal}`);
      const npm = spawn('npm', ['run', '--silent', 'rte', '--', ...longSolve(out)], {
        cwd: repoRoot,
        stdio: 'ignore',
      });
      const solver = await solverUnder(npm.pid!);
      strays.push(solver);
      await sleep(1000); // computing by now
      const npmExit = exited(npm);
      npm.kill(signal);
      await npmExit; // npm itself ends by the signal (or with its number + 128)
      for (let i = 0; i < 40 && running(solver); i++) await sleep(100);
      expect(running(solver)).toBe(false);
      await sleep(500);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(tmp.dir)).toEqual([]);
    },
    60_000,
  );

  it('SIGHUP to the solver itself stops it while computing', async () => {
    const out = join(tmp.dir, 'out-direct');
    const solver = spawn(process.execPath, ['scripts/rte.mjs', ...longSolve(out)], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    strays.push(solver.pid!);
    await sleep(1500);
    const done = exited(solver);
    solver.kill('SIGHUP');
    await done;
    expect(running(solver.pid!)).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual([]);
  }, 60_000);
});
