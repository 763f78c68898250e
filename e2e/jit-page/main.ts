/**
 * A page that compiles the reference cases (test/jit/reference-cases.ts) with core's jit on a browser
 * backend. The test passes the input files in and compares the outputs with the reference in Node.
 */
import '../../core/index';
import { ConcreteTensor, type Tensor, treeFlatten, vmap } from '../../core/index';
import { browserThreadsUnavailable, installBrowserThreads } from '../../core/jit/browser-threads';
import { availableModes, type JitBackend, jit } from '../../core/jit/index';
import { seedCases, solve } from '../../core/rte/index';
import { caseArgs, referenceCases } from '../../test/jit/reference-cases';
import type { CaseRun, WireArray } from './wire';

const cases = new Map(referenceCases().map((c) => [c.name, c]));

async function runCase(
  name: string,
  backend: JitBackend,
  files: Record<string, WireArray>,
): Promise<CaseRun> {
  const c = cases.get(name);
  if (!c) throw new Error(`no reference case named ${name}`);
  const load = (file: string): Tensor => {
    const w = files[file];
    if (!w) throw new Error(`the test did not pass ${file}`);
    return new ConcreteTensor(Float64Array.from(w.data), w.shape, 'float64');
  };
  const g = jit(c.fn, { backend, strict: true, threads: false });
  const t0 = performance.now();
  const outs = treeFlatten(await g(...caseArgs(c, load)))[0] as ConcreteTensor[];
  const seconds = (performance.now() - t0) / 1000;
  const run = g.lastRun!;
  return {
    ran: run.backend,
    fallbacks: [...run.fallbacks],
    executors: run.executors.map((e) => `${e.backend}/${e.executorKind}`),
    outputs: outs.map((o) => ({
      shape: [...o.shape],
      data: Array.from(o.data as Float32Array),
      dtype: o.dtype,
    })),
    seconds,
  };
}

/** 16 cases of a small solve on wasm, on one thread and on this thread plus one worker. */
async function threadsRun() {
  const unavailable = browserThreadsUnavailable();
  const started = installBrowserThreads(1);
  const spec = { N: 48, Nvx: 6, CFL: 0.8, tEnd: 0.3, every: 4 };
  const all = vmap((t: Tensor, s: Tensor) => solve(spec, t, s).E);
  const { Tini, sigma } = seedCases(
    spec.N,
    Array.from({ length: 16 }, (_, i) => 1 + i / 4),
    'float64',
  );
  const one = jit(all, { backend: 'wasm', strict: true, threads: false });
  const two = jit(all, { backend: 'wasm', strict: true });
  const a = ((await one(Tini, sigma)) as ConcreteTensor).data;
  const b = ((await two(Tini, sigma)) as ConcreteTensor).data;
  return {
    unavailable,
    started,
    threads: two.lastRun!.threads,
    same: a.length === b.length && a.every((x, i) => x === b[i]),
  };
}

const api = {
  modes: () => availableModes(),
  threadsRun,
  caseNames: () => [...cases.keys()],
  runCase,
};
(globalThis as unknown as { rteJit: typeof api }).rteJit = api;
document.body.dataset.ready = 'true';
