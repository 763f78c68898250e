/** Benchmark rows and their JSON-table form: one row per line, so the output is valid JSON and readable. */
import { ratio, sig } from './stats';

/** One timing row: our median time against the peer's, measured in the same run. */
export interface TimeRow {
  name: string;
  ours_s: number | null;
  /** The peer in the same dtype as ours. */
  torch_s: number | null;
  /** torch_s / ours_s: above 1 means we are faster. */
  ratio: number | null;
  backend: string;
  dtype: string;
  /** Timed runs of ours (each side also ran one warm-up). */
  reps: number;
  /** The peer in float32 (its default, the issue's numbers); null when skipped or unavailable. */
  torch_f32_s: number | null;
  ratio_f32: number | null;
  /** Compiled rows only: the first call, staging and compilation included (the warm-up; not in ours_s). */
  first_call_s?: number | null;
  /** Rows with a limit: the hand-written C solver (one thread, same dtype), measured in the same run. */
  limit_s?: number | null;
  /**
   * ours / limit: how many times slower than the C limit we are (1 = as fast); where both were measured in
   * rounds (bench/rounds.ts), the median of each round's own ratio.
   */
  vs_limit?: number | null;
  /** Solve rows with a limit: the same C kernel as WebAssembly SIMD128 in Node (float32, one thread). */
  wasm_limit_s?: number | null;
  /** ours / wasm_limit, as vs_limit. */
  vs_wasm_limit?: number | null;
  /** *_threads rows: the same function on this thread alone, measured in the same rounds. */
  one_thread_s?: number | null;
  /** one thread / ours, the median of each round's own ratio: above 1, the threads help. */
  threads_speedup?: number | null;
}

export function timeRow(r: {
  name: string;
  oursS: number | null;
  torchS: number | null;
  torchF32S: number | null;
  backend: string;
  dtype: string;
  reps: number;
  firstCallS?: number | null;
  /** The C limit's time (null: not measured); absent for rows without a limit, which get no limit columns. */
  limitS?: number | null;
  /** The WebAssembly limit's time; absent for rows (grad, no limit) that have none. */
  wasmLimitS?: number | null;
  /** ours / limit and ours / WebAssembly limit paired round by round; computed from the medians when absent. */
  vsLimit?: number | null;
  vsWasmLimit?: number | null;
  /** *_threads rows: the one-thread time and one thread / ours paired round by round. */
  oneThreadS?: number | null;
  threadsSpeedup?: number | null;
}): TimeRow {
  const row: TimeRow = {
    name: r.name,
    ours_s: sig(r.oursS, 4),
    torch_s: sig(r.torchS, 4),
    ratio: sig(ratio(r.torchS, r.oursS)),
    backend: r.backend,
    dtype: r.dtype,
    reps: r.reps,
    torch_f32_s: sig(r.torchF32S, 4),
    ratio_f32: sig(ratio(r.torchF32S, r.oursS)),
  };
  if (r.firstCallS !== undefined) row.first_call_s = sig(r.firstCallS, 4);
  // ratio(a, b) is a / b: here ours over the limit, so above 1 means the limit is faster.
  if (r.limitS !== undefined) {
    row.limit_s = sig(r.limitS, 4);
    row.vs_limit = sig(r.vsLimit !== undefined ? r.vsLimit : ratio(r.oursS, r.limitS));
  }
  if (r.wasmLimitS !== undefined) {
    row.wasm_limit_s = sig(r.wasmLimitS, 4);
    row.vs_wasm_limit = sig(r.vsWasmLimit !== undefined ? r.vsWasmLimit : ratio(r.oursS, r.wasmLimitS));
  }
  if (r.oneThreadS !== undefined) {
    row.one_thread_s = sig(r.oneThreadS, 4);
    row.threads_speedup = sig(
      r.threadsSpeedup !== undefined ? r.threadsSpeedup : ratio(r.oneThreadS, r.oursS),
    );
  }
  return row;
}

/** A JSON array with one row per line. */
export function formatTable(rows: readonly object[]): string {
  if (rows.length === 0) return '[]';
  return `[\n${rows.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]`;
}
