/**
 * Running a lowered program on a gpu.js device: one pipeline per phase, inputs and constants uploaded as
 * flat float32 arrays, results read back once, scan records stacked into one flat array per output.
 */
import { allocate, type DType } from '../tensor/dtype';
import { sizeOf } from '../tensor/shape';
import { ConcreteTensor } from '../tensor/tensor';
import type { ExecutorReport, GpuJsDevice, PArg, PhasePlan, PhaseRunner } from './gpujs';
import { layoutOf, padRows, unpadRows } from './layout';
import { litTensor } from './lit';
import type { Program } from './lower';

export interface DeviceRun {
  readonly outputs: ConcreteTensor[];
  readonly reports: ExecutorReport[];
}

/** Float results come back as float32; integer and boolean results keep their dtype. */
function toTensor(data: Float32Array, shape: readonly number[], dtype: DType): ConcreteTensor {
  if (dtype === 'float32' || dtype === 'float64') return new ConcreteTensor(data, shape, 'float32');
  const out = allocate(dtype, data.length);
  for (let i = 0; i < data.length; i++) out[i] = dtype === 'bool' ? +(data[i] !== 0) : Math.round(data[i]!);
  return new ConcreteTensor(out, shape, dtype);
}

export class CompiledProgram {
  private readonly runners: PhaseRunner[];

  constructor(
    readonly program: Program,
    readonly device: GpuJsDevice,
  ) {
    this.runners = program.phases.map((ph) => {
      const argIndex = new Map(ph.args.map((id, i) => [id, i]));
      const launchIndex = new Map(ph.launches.map((l, i) => [l.out, i]));
      const plan: PhasePlan = {
        argDims: ph.args.map((id) => layoutOf(program.vals[id]!.shape).dims),
        launches: ph.launches.map((l) => ({
          kernel: l.kernel,
          args: l.args.map((a): PArg => {
            if (a.k === 'int') return { k: 'int', v: a.v };
            const step = launchIndex.get(a.id);
            if (step !== undefined) return { k: 'step', i: step };
            return { k: 'arg', i: argIndex.get(a.id)! };
          }),
        })),
        results: ph.results.map((id) => launchIndex.get(id)!),
      };
      return device.pipeline(plan);
    });
  }

  async run(inputs: readonly ConcreteTensor[]): Promise<DeviceRun> {
    const { vals, phases, outputs } = this.program;
    const host = new Map<number, Float32Array>();
    const stacked = new Set<number>();
    for (const v of vals) {
      if (v.origin.k === 'input') {
        const d = inputs[v.origin.index]!.data;
        host.set(v.id, d instanceof Float32Array ? d : Float32Array.from(d));
      } else if (v.origin.k === 'const') host.set(v.id, v.origin.data);
    }
    const stackReady = () => {
      for (const v of vals) {
        if (v.origin.k !== 'stack' || stacked.has(v.id)) continue;
        const parts = v.origin.parts;
        if (!parts.every((p) => host.has(p))) continue;
        const m = sizeOf(v.shape) / parts.length;
        const out = new Float32Array(m * parts.length);
        parts.forEach((p, i) => {
          out.set(host.get(p)!, i * m);
        });
        host.set(v.id, out);
        stacked.add(v.id);
      }
    };
    for (let p = 0; p < phases.length; p++) {
      const ph = phases[p]!;
      const args = ph.args.map((id) => {
        const d = host.get(id);
        if (!d) throw new Error(`jit runtime: value ${id} is not on the host before phase ${p}`);
        return padRows(layoutOf(vals[id]!.shape), d);
      });
      const res = await this.runners[p]!.run(args);
      ph.results.forEach((id, i) => {
        host.set(id, unpadRows(layoutOf(vals[id]!.shape), res[i]!));
      });
      stackReady();
    }
    const tensors = outputs.map((r) => {
      if (r.k === 'lit') {
        const t = litTensor(r.lit);
        const f = Float32Array.from(t.data);
        return toTensor(f, t.shape, t.dtype);
      }
      if (r.k !== 'val') throw new Error('jit runtime: an output is a scan row');
      const v = vals[r.id]!;
      const d = host.get(r.id);
      if (!d) throw new Error(`jit runtime: output value ${r.id} was not read back`);
      return toTensor(d, v.shape, v.dtype);
    });
    return { outputs: tensors, reports: this.runners.map((r) => r.report()) };
  }

  destroy(): void {
    for (const r of this.runners) r.destroy();
  }
}
