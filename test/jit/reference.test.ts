/**
 * Every reference case (forward runs, gradients, Jacobians, the jvp field, hessians) compiled with jit on each
 * gpu.js backend available in Node, against the PyTorch files at the float32 tolerance (see
 * reference-cases.ts for the two derivatives where float32 itself, PyTorch's included, cannot reach 1e-4).
 * Each backend runs in a child process (jobs/reference-cases.ts): the 400×400 Jacobians take tens of seconds
 * of synchronous work. Every case must have run on the backend asked for, with gpu.js's fused executor.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './helpers';
import { caseOutputs, referenceCases } from './reference-cases';

const run = promisify(execFile);
const job = fileURLToPath(new URL('./jobs/reference-cases.ts', import.meta.url));

interface CaseReport {
  name: string;
  ran: string;
  fallbacks: string[];
  executors: string[];
  dtypes: string[];
  errors: number[];
  tolerance: number;
  seconds: number;
}

const EXECUTOR = { webgpu: 'fused-encoder', webasm: 'fused-sync', cpu: 'generic' } as const;
const cases = referenceCases();

/** Each backend in float32; wasm, the one target that computes in float64, in float64 too. */
const RUNS = [...BACKENDS.map((b) => [b, 'float32'] as const), ['wasm', 'float64'] as const] as const;

describe.each(RUNS)('every reference case compiled on %s in %s', (backend, dtype) => {
  const reports = new Map<string, CaseReport>();
  beforeAll(async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', job, backend, 'all', dtype], {
      maxBuffer: 1 << 22,
      timeout: 1_500_000,
    });
    for (const line of stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const r = JSON.parse(line) as CaseReport;
      reports.set(r.name, r);
    }
  }, 1_600_000);

  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const r = reports.get(name);
    expect(r, `the job printed no report for ${name}`).toBeDefined();
    expect(r!.ran).toBe(backend);
    expect(r!.fallbacks).toEqual([]);
    if (backend === 'wasm') {
      // core's target reports no gpu.js executor; float64 programs stay float64
      if (dtype === 'float64') expect(r!.dtypes.every((d) => d === 'float64')).toBe(true);
    } else {
      expect(r!.executors.length).toBeGreaterThan(0);
      for (const e of r!.executors) expect(e).toBe(`${backend}/${EXECUTOR[backend]}`);
      expect(r!.dtypes.every((d) => d === 'float32')).toBe(true);
    }
    expect(r!.errors).toHaveLength(caseOutputs(c, dtype).length);
    for (const err of r!.errors) expect(err).toBeLessThan(r!.tolerance);
  });
});
