/** Time a function: one warm-up (so the JIT has compiled the path), then the median of `reps` runs. */
import { median } from './stats';

export interface Timing {
  median_s: number;
  times_s: number[];
}

export async function timeReps(
  run: () => unknown,
  opts: { reps: number; warmup?: (() => unknown) | null },
): Promise<Timing> {
  // The warm-up defaults to the run itself; slow rows pass a scaled-down version of the same path instead.
  const warmup = opts.warmup === undefined ? run : opts.warmup;
  if (warmup) await warmup();
  const times: number[] = [];
  for (let i = 0; i < opts.reps; i++) {
    const t0 = performance.now();
    await run();
    times.push((performance.now() - t0) / 1000);
  }
  return { median_s: median(times), times_s: times };
}
