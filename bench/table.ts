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
  return row;
}

/** A JSON array with one row per line. */
export function formatTable(rows: readonly object[]): string {
  if (rows.length === 0) return '[]';
  return `[\n${rows.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]`;
}
