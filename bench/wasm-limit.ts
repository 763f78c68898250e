/**
 * The limit's WebAssembly build (`wasm/solve.wasm` in the limit's folder), instantiated in this process and
 * called through its exports, so that it and ours run in the same process, round by round (bench/rounds.ts).
 * Why not its own runner in a child process: on the 2-core VM that module took 2.3 ms in some Node processes and
 * 4.3 ms in others for the same B = 4 solve (6 of 8 processes slow), while ours and it in one process kept a
 * steady ratio (1.25–1.29 over five processes, whichever speed the process drew). The interface (alloc,
 * ws_floats, solve, memory) is the one its runner calls; its output is checked against the reference before it
 * is timed, so a module with another interface gives a reason, not a time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpy } from '../core/index';
import { rteGrid, SEED_SPEC } from '../core/rte/index';
import { relErr } from '../scripts/reference-data';
import { timeReps } from './timing';

/** The seed's grid, which the limit hard-codes. */
const { N, Nvx: NV, every: EVERY } = SEED_SPEC;
const { dx, dt, Nt, R } = rteGrid(SEED_SPEC);

/** The part of the host's WebAssembly used here (the project's TypeScript lib has no DOM types). */
interface WasmHost {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: object } }>;
}
const engine = (globalThis as unknown as { WebAssembly?: WasmHost }).WebAssembly ?? null;

interface LimitExports {
  memory: { readonly buffer: ArrayBuffer };
  alloc(bytes: number): number;
  ws_floats(n: number, nv: number): number;
  solve(...args: number[]): void;
}

export interface WasmLimit {
  /** Median seconds of `reps` solves (the load's checked run was the warm-up). */
  time(reps: number): Promise<number>;
  /** max|E − E_ref| / max|E_ref| over the reference's four cases (the cases repeat beyond four). */
  readonly relErrE: number;
}

/**
 * Instantiate `dir/wasm/solve.wasm` for a batch of B seed cases (the four of the reference folder, repeated)
 * and run it once.
 */
export async function loadWasmLimit(dir: string, reference: string, B: number): Promise<WasmLimit> {
  const load = (name: string) => {
    const file = join(reference, `${name}.npy`);
    return parseNpy(readFileSync(file), file).data;
  };
  if (!engine) throw new Error('this JavaScript engine has no WebAssembly');
  const { instance } = await engine.instantiate(
    new Uint8Array(readFileSync(join(dir, 'wasm', 'solve.wasm'))),
    {},
  );
  const x = instance.exports as unknown as LimitExports;
  for (const name of ['memory', 'alloc', 'ws_floats', 'solve'] as const)
    if (!(name in x)) throw new Error(`${join(dir, 'wasm', 'solve.wasm')} exports no ${name}`);
  const floats = (n: number) => x.alloc(4 * n);
  const view = (ptr: number, n: number) => new Float32Array(x.memory.buffer, ptr, n);
  const [mu, w, T, S, E, Tr, ws] = [NV, NV, B * N, B * N, B * R * N, B * R * N, x.ws_floats(N, NV)].map(
    floats,
  ) as [number, number, number, number, number, number, number];
  view(mu, NV).set(load('gauss8_mu'));
  view(w, NV).set(load('gauss8_w'));
  const tini = load('seed_Tini_f32');
  const sigma = load('seed_sigma_f32');
  const cases = tini.length / N;
  for (let b = 0; b < B; b++) {
    const k = b % cases;
    view(T + 4 * b * N, N).set(tini.subarray(k * N, (k + 1) * N));
    view(S + 4 * b * N, N).set(sigma.subarray(k * N, (k + 1) * N));
  }
  const run = () =>
    x.solve(B, N, NV, Nt, EVERY, Math.fround(dt / dx), Math.fround(dt), mu, w, T, S, E, Tr, ws);
  run();
  const Eref = load('seed_E_f32');
  const n = Math.min(B, cases) * R * N;
  const relErrE = relErr(view(E, n), Eref.subarray(0, n));
  return {
    relErrE,
    time: async (reps) => (await timeReps(run, { reps, warmup: null })).median_s,
  };
}
