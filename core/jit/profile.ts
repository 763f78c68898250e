/**
 * Where a compiled program's time goes: the wasm listing of printProgram with each kernel call's share of a run.
 * The program is lowered with every kernel call bracketed by an imported clock (a call costs well under a
 * microsecond, so a kernel of a few microseconds reads a little high), run once to compile and warm up, then
 * timed over `reps` runs.
 */
import type { ConcreteTensor, Tensor } from '../tensor/tensor';
import { flatten } from '../util/pytree';
import type { Jitted } from './jit';
import { lowerWasm } from './wasm/program';
import { WasmExecutable } from './wasm/runtime';

/** Options of profileProgram. */
export interface ProfileOptions {
  /** Timed runs after the warm-up run (default 5). */
  readonly reps?: number;
}

/** Per kernel call site: its listing line, and its mean milliseconds per run. */
export interface ProfiledProgram {
  /** The listing, each kernel call followed by its milliseconds per run and its share of the run. */
  readonly listing: string;
  /** Milliseconds per run, the whole program. */
  readonly totalMs: number;
  /** Milliseconds per run in kernel calls, by listing line (0 is the header). */
  readonly kernelMs: ReadonlyMap<number, number>;
}

const clock = () => performance.now();

/** Profile `f` on `args` on core's wasm target (staged as jit stages it; run on this thread). */
export async function profileProgram<F extends (...args: any[]) => any>(
  f: Jitted<F>,
  args: Parameters<F>,
  opts: ProfileOptions = {},
): Promise<ProfiledProgram> {
  const reps = Math.max(1, opts.reps ?? 5);
  const staged = f.stage(...args);
  const program = lowerWasm(staged.jaxpr, staged.consts as ConcreteTensor[], { profile: true });
  const spent = new Map<number, number>();
  let line = -1;
  let start = 0;
  const mark = (at: number) => {
    const now = clock();
    if (at >= 0) {
      line = at;
      start = now;
    } else spent.set(line, (spent.get(line) ?? 0) + now - start);
  };
  const exe = await WasmExecutable.create(program, mark);
  const inputs = (flatten(args)[0] as Tensor[]).map((t) => t.concrete('profileProgram'));
  exe.run(inputs);
  spent.clear();
  const t0 = clock();
  for (let r = 0; r < reps; r++) exe.run(inputs);
  const totalMs = (clock() - t0) / reps;
  const kernelMs = new Map([...spent].map(([l, ms]) => [l, ms / reps]));
  const lines = program.listing.split('\n').map((text, l) => {
    const ms = kernelMs.get(l);
    return ms === undefined ? text : `${text}  [${ms.toFixed(3)} ms, ${((100 * ms) / totalMs).toFixed(1)}%]`;
  });
  const inKernels = [...kernelMs.values()].reduce((a, b) => a + b, 0);
  lines.push(
    `  -- ${totalMs.toFixed(3)} ms per run, ${((100 * inKernels) / totalMs).toFixed(1)}% in kernel calls (${reps} runs)`,
  );
  return { listing: lines.join('\n'), totalMs, kernelMs };
}
