/**
 * One variant of the memory benchmark, in its own process so peaks do not mix: grad of sum(E_final) w.r.t.
 * sigma (case 0) with the given checkpoints, printing one JSON line with the peaks and the gradient.
 *
 *   node --expose-gc --no-concurrent-array-buffer-sweeping --import tsx bench/memory-child.ts \
 *     --tEnd 1 --checkpoints default|N [--sample-every K] [--backend wasm]
 *
 * With --backend wasm the gradient is compiled by jit (core's WebAssembly target, float64): its memory is the
 * module's planned memory (printed as program_mb) within the process's peak resident set.
 *
 * Core runs synchronously, so a timer would never fire during the solve. Instead the backend is wrapped:
 * every K primitive executions force a GC and read process.memoryUsage(), which measures the live set (tape
 * and checkpoints) rather than garbage a lazy collector has not freed yet. Tensor data lives in ArrayBuffers,
 * which V8 frees on a background thread after a GC unless concurrent sweeping is off: without the flag the
 * numbers swing by several MB between samples. Peak RSS is the OS's high-water mark for the whole process.
 */
import { readFileSync } from 'node:fs';
import { currentBackend, grad, setBackend, sum, type Tensor } from '../core/index';
import { jit, lowerWasm } from '../core/jit/index';
import { type RteSpec, rteGrid, SEED_SPEC, seedCases, solve } from '../core/rte/index';
import { MiB } from './stats';

export interface MemoryChildResult {
  tEnd: number;
  Nt: number;
  checkpoints: number | 'default' | 'unrolled';
  /** Live bytes (V8 heap + array buffers, after GC) before the gradient started. */
  baseline_live_mb: number;
  /** The largest live set seen during the gradient (after GC). */
  peak_live_mb: number;
  peak_heap_used_mb: number;
  peak_array_buffers_mb: number;
  /** The process's peak resident set (includes garbage, allocator slack and the loaded code). */
  peak_rss_mb: number;
  baseline_rss_mb: number;
  samples: number;
  /** wasm: the compiled program's planned memory (buffers, stored carries, guard zones). */
  program_mb?: number;
  backend?: 'wasm';
  /** Wall time including the forced GCs: not a timing of the solver. */
  seconds: number;
  grad: number[];
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/**
 * The peak resident set of this process in bytes. getrusage's maxRSS would do, but Linux carries it over from
 * the parent across fork + exec, so a child of a large benchmark process would report the parent's peak;
 * VmHWM belongs to this process's own address space.
 */
function peakRss(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux: fall back below
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** The compiled gradient: its program's planned memory and the process's peak RSS. */
async function compiled(tEnd: number): Promise<void> {
  const spec = { ...SEED_SPEC, tEnd };
  const { Tini, sigma } = seedCases(spec.N, [1]);
  const T0 = Tini.get(0);
  const f = (s: Tensor) => grad((u: Tensor) => sum(solve(spec, T0, u).E.get(-1)))(s);
  const g = jit(f, { backend: 'wasm', strict: true });
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  const out = (await g(sigma.get(0))) as Tensor;
  const seconds = (performance.now() - t0) / 1000;
  const staged = g.stage(sigma.get(0));
  const program = lowerWasm(staged.jaxpr, staged.consts as never);
  const result: MemoryChildResult = {
    tEnd,
    Nt: rteGrid(spec).Nt,
    checkpoints: 'default',
    baseline_live_mb: 0,
    peak_live_mb: 0,
    peak_heap_used_mb: 0,
    peak_array_buffers_mb: 0,
    peak_rss_mb: peakRss() / MiB,
    baseline_rss_mb: baseline / MiB,
    samples: 0,
    program_mb: program.memoryBytes / MiB,
    backend: 'wasm',
    seconds,
    grad: Array.from(out.toTypedArray()),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function main(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory-child: run node with --expose-gc');
  const tEnd = Number(flag('--tEnd', '1'));
  const ck = flag('--checkpoints', 'default');
  // 'unrolled': the time loop as plain ops (a full tape, as the seed's PyTorch code keeps).
  const opts =
    ck === 'unrolled'
      ? { loop: 'unrolled' as const }
      : { checkpoints: ck === 'default' ? undefined : Number(ck) };
  const every = Number(flag('--sample-every', '250'));
  const spec = { ...SEED_SPEC, tEnd };
  const gradOf = (sp: RteSpec) => {
    const { Tini, sigma } = seedCases(sp.N, [1]);
    const T0 = Tini.get(0);
    return () => grad((s: Tensor) => sum(solve(sp, T0, s, opts).E.get(-1)))(sigma.get(0)) as Tensor;
  };
  const run = gradOf(spec);
  // Warm up on a 10x coarser grid, so compiled code is part of the baseline and not of the peak.
  gradOf({ ...spec, N: 40 })();

  const live = () => {
    const m = process.memoryUsage();
    return { heap: m.heapUsed, buffers: m.arrayBuffers, live: m.heapUsed + m.external, rss: m.rss };
  };
  gc();
  const base = live();
  const peak = { ...base };
  let samples = 0;
  const sample = () => {
    gc();
    const m = live();
    samples++;
    peak.heap = Math.max(peak.heap, m.heap);
    peak.buffers = Math.max(peak.buffers, m.buffers);
    peak.live = Math.max(peak.live, m.live);
  };
  const inner = currentBackend();
  let calls = 0;
  setBackend({
    name: inner.name,
    execute(prim, inputs, params) {
      const out = inner.execute(prim, inputs, params);
      if (++calls % every === 0) sample();
      return out;
    },
  });

  const t0 = performance.now();
  const g = run();
  const seconds = (performance.now() - t0) / 1000;
  sample();
  setBackend(inner);

  const result: MemoryChildResult = {
    tEnd,
    Nt: rteGrid(spec).Nt,
    checkpoints: ck === 'default' || ck === 'unrolled' ? ck : Number(ck),
    baseline_live_mb: base.live / MiB,
    peak_live_mb: peak.live / MiB,
    peak_heap_used_mb: peak.heap / MiB,
    peak_array_buffers_mb: peak.buffers / MiB,
    peak_rss_mb: peakRss() / MiB,
    baseline_rss_mb: base.rss / MiB,
    samples,
    seconds,
    grad: Array.from(g.toTypedArray()),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (flag('--backend', 'eager') === 'wasm') await compiled(Number(flag('--tEnd', '1')));
else main();
