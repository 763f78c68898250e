/**
 * The compiled (jit) rows' shared pieces: which webasm executors to try, how to name the one that ran, and a
 * row runner that keeps the first call (compilation included) apart from the steady state.
 */
import { type JitOptions, type JitRunInfo, type Jitted, jit } from '../core/jit/index';

/** What actually ran, from gpu.js's own reports: `webasm/fused-sync` (distinct executors joined by ','). */
export function executorLabel(run: JitRunInfo | null): string {
  if (!run) return 'not run';
  if (run.executors.length === 0) return run.backend;
  return [...new Set(run.executors.map((e) => `${e.backend}/${e.executorKind}`))].join(',');
}

/**
 * A compiled bench row's runner: `run()` calls the jitted function (a Promise); the first call compiles
 * (staging, fusion, gpu.js's kernel and WebAssembly compilation) and its time is kept in `firstCallS`.
 */
export function compiledRunner<F extends (...args: any[]) => any>(
  f: F,
  args: Parameters<F>,
  opts: JitOptions,
): {
  run: () => Promise<unknown>;
  firstCallS: () => number | null;
  backend: () => string;
  release: () => void;
} {
  let g: Jitted<F> | null = null;
  let first: number | null = null;
  let ran = '';
  return {
    run: async () => {
      if (g) return g(...args);
      g = jit(f, opts);
      const t0 = performance.now();
      const out = await g(...args);
      first = (performance.now() - t0) / 1000;
      return out;
    },
    firstCallS: () => first,
    backend: () => ran || executorLabel(g?.lastRun ?? null),
    release: () => {
      ran = executorLabel(g?.lastRun ?? null);
      g = null;
    },
  };
}
