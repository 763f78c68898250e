/**
 * Ours and the row's yardsticks (the hand-written limits, our own one-thread run) measured in rounds, back to
 * back, and compared round by round. On the 2-core VM the same WebAssembly kernel runs 2.4 ms in one second and
 * 4.1 ms in the next (whole processes land in the slow phase): a ratio of two times taken a minute apart
 * measures the machine, not the code. Within a round both sides see the same machine.
 */
import { median } from './stats';
import { type Timing, timeReps } from './timing';

/** One yardstick's measurement for a round: its median seconds, or null when it could not run. */
export type Yardstick = () => Promise<number | null>;

export interface Compared {
  /** Median over the rounds of the yardstick's time (null: it never ran). */
  median_s: number | null;
  /** Median over the rounds of ours / the yardstick, each round's own pair (null: it never ran). */
  ours_over: number | null;
}

export interface RoundsTiming extends Timing {
  rounds: number;
  /** Per yardstick, by the name it was given. */
  compared: Record<string, Compared>;
}

/**
 * `rounds` rounds of: `reps` timed runs of ours (after one warm-up before the first round), then each
 * yardstick once. ours' median is over all its runs.
 */
export async function timeInRounds(
  run: () => unknown,
  opts: { reps: number; rounds: number; warmup?: (() => unknown) | null },
  yardsticks: Record<string, Yardstick>,
): Promise<RoundsTiming> {
  const times: number[] = [];
  const names = Object.keys(yardsticks);
  const pairs = new Map(names.map((n) => [n, [] as { ours: number; them: number }[]]));
  for (let r = 0; r < opts.rounds; r++) {
    const round = await timeReps(run, { reps: opts.reps, warmup: r === 0 ? opts.warmup : null });
    times.push(...round.times_s);
    for (const n of names) {
      const them = await yardsticks[n]!();
      if (them !== null && them > 0) pairs.get(n)!.push({ ours: round.median_s, them });
    }
  }
  const compared: Record<string, Compared> = {};
  for (const n of names) {
    const p = pairs.get(n)!;
    compared[n] = p.length
      ? { median_s: median(p.map((x) => x.them)), ours_over: median(p.map((x) => x.ours / x.them)) }
      : { median_s: null, ours_over: null };
  }
  return { median_s: median(times), times_s: times, rounds: opts.rounds, compared };
}
