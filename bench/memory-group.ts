/**
 * The memory group: peak memory of grad of sum(E_final) w.r.t. sigma with default checkpointing, with
 * `checkpoints: 1`, and with the loop unrolled (a plain tape of every step, as PyTorch keeps), at the seed's
 * horizon and a 4x longer one, each variant in a fresh child process.
 *
 * The solver is two nested scans (records x steps per record) and `checkpoints` applies to each. With 1, each
 * level keeps only its start and replays its whole length on the way back, so the outer level's tape holds one
 * inner start carry per record: memory grows with Nt / every, not with the full per-step tape. The default
 * (about sqrt(length) per level) grows with sqrt(Nt).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MemoryChildResult } from './memory-child';
import { maxAbs, maxAbsDiff, sig } from './stats';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const childScript = fileURLToPath(new URL('./memory-child.ts', import.meta.url));

/** Node flags for the child: gc() for sampling, synchronous ArrayBuffer freeing (see memory-child.ts). */
export const CHILD_NODE_FLAGS = ['--expose-gc', '--no-concurrent-array-buffer-sweeping', '--import', 'tsx'];

export interface MemoryRow {
  name: string;
  tEnd: number;
  Nt: number;
  checkpoints: number | 'default' | 'unrolled';
  /** Growth of the live set (V8 heap + ArrayBuffers after GC) over the baseline: the tape and checkpoints. */
  live_growth_mb: number;
  peak_live_mb: number;
  peak_heap_used_mb: number;
  peak_array_buffers_mb: number;
  peak_rss_mb: number;
  rss_growth_mb: number;
  /** max |grad − grad with default checkpointing| at the same horizon. */
  grad_max_abs_diff: number;
  max_abs_grad: number;
  /** wasm rows: the compiled program's planned memory (its stored carries included). */
  program_mb?: number;
}

export interface Variant {
  tEnd: number;
  checkpoints: number | 'default' | 'unrolled';
  /** Compiled by jit on core's WebAssembly target (default checkpointing) instead of eager. */
  backend?: 'wasm';
}

/** Each horizon with default checkpointing, with one checkpoint per loop level, and unrolled (a full tape). */
export const variantsFor = (horizons: readonly number[]): Variant[] =>
  horizons.flatMap((tEnd) => [
    { tEnd, checkpoints: 'default' as const },
    { tEnd, checkpoints: 1 },
    { tEnd, checkpoints: 'unrolled' as const },
  ]);

/**
 * The seed's horizon (Nt = 500) and a 4x longer one (Nt = 2000), to show how memory grows with Nt; and the
 * compiled gradient at Nt = 500 and 5,000.
 */
export const DEFAULT_VARIANTS: Variant[] = [
  ...variantsFor([1, 4]),
  { tEnd: 1, checkpoints: 'default', backend: 'wasm' },
  { tEnd: 10, checkpoints: 'default', backend: 'wasm' },
];

export const variantName = (v: Variant) =>
  `memory_grad_t${v.tEnd}_ckpt_${v.checkpoints}${v.backend ? `_${v.backend}` : ''}`;

async function runChild(v: Variant): Promise<MemoryChildResult> {
  const args = [
    ...CHILD_NODE_FLAGS,
    childScript,
    '--tEnd',
    String(v.tEnd),
    '--checkpoints',
    String(v.checkpoints),
    ...(v.backend ? ['--backend', v.backend] : []),
  ];
  const { stdout } = await run(process.execPath, args, { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as MemoryChildResult;
}

/** One row per variant; throws if a variant's gradient differs from the default-checkpointed one. */
export function memoryRow(v: Variant, r: MemoryChildResult, reference: readonly number[]): MemoryRow {
  const diff = maxAbsDiff(r.grad, reference);
  const scale = maxAbs(reference);
  // Checkpointing only regroups the sums of per-step cotangents, so results agree to rounding.
  if (!(diff <= 1e-10 * scale))
    throw new Error(
      `${variantName(v)}: gradient differs from default checkpointing by ${diff} (max |g| ${scale})`,
    );
  return {
    name: variantName(v),
    tEnd: r.tEnd,
    Nt: r.Nt,
    checkpoints: r.checkpoints,
    live_growth_mb: sig(r.peak_live_mb - r.baseline_live_mb)!,
    peak_live_mb: sig(r.peak_live_mb)!,
    peak_heap_used_mb: sig(r.peak_heap_used_mb)!,
    peak_array_buffers_mb: sig(r.peak_array_buffers_mb)!,
    peak_rss_mb: sig(r.peak_rss_mb)!,
    rss_growth_mb: sig(r.peak_rss_mb - r.baseline_rss_mb)!,
    grad_max_abs_diff: sig(diff)!,
    max_abs_grad: sig(scale)!,
    ...(r.program_mb === undefined ? {} : { program_mb: sig(r.program_mb)! }),
  };
}

/** Run the variants one after another (never in parallel: they would share the cores and the memory). */
export async function runMemoryGroup(
  variants: readonly Variant[] = DEFAULT_VARIANTS,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<MemoryRow[]> {
  const results: { v: Variant; r: MemoryChildResult }[] = [];
  for (const v of variants) {
    log(`memory: ${variantName(v)} ...`);
    const r = await runChild(v);
    log(`memory: ${variantName(v)} done in ${r.seconds.toFixed(1)} s (${r.samples} samples, GC included)`);
    results.push({ v, r });
  }
  return results.map(({ v, r }) => {
    const ref =
      results.find((o) => o.v.tEnd === v.tEnd && o.v.checkpoints === 'default' && !o.v.backend)?.r ?? r;
    return memoryRow(v, r, ref.grad);
  });
}
