import { describe, expect, it } from 'vitest';
import { BACKEND_CHOICES, planBackend as cliPlan } from '../../cli/backend';
import { BACKEND_ORDER } from '../../core/jit/backends';
import {
  BACKEND_LABELS,
  computeDtype,
  GPUJS_BACKENDS,
  isFloat32Only,
  JIT_BACKENDS,
  planBackend,
  ranLabel,
} from '../../core/jit/index';
import { viewSchema } from '../../renderer/src/model/session';
import { SOLVER_BACKENDS } from '../../renderer/src/worker/api';

describe('backend names: declared once in core', () => {
  it('the CLI, the worker API, the session schema and the fallback order all use core’s list', () => {
    expect(BACKEND_CHOICES).toBe(JIT_BACKENDS);
    expect(SOLVER_BACKENDS).toBe(JIT_BACKENDS);
    expect(viewSchema.shape.backend.unwrap().options).toEqual([...JIT_BACKENDS]);
    expect(BACKEND_ORDER).toEqual(JIT_BACKENDS.filter((b) => b !== 'auto'));
  });

  it('only gpu.js’s targets are float32-only', () => {
    expect(JIT_BACKENDS.filter(isFloat32Only)).toEqual([...GPUJS_BACKENDS]);
    expect(isFloat32Only('eager')).toBe(false);
    expect(isFloat32Only('wasm')).toBe(false);
  });

  it('the eager reference and gpu.js’s JavaScript target read apart in every label', () => {
    const labels = Object.values(BACKEND_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
    expect(BACKEND_LABELS.eager).not.toMatch(/cpu/i);
    expect(BACKEND_LABELS.cpu).toMatch(/gpu\.js/);
    expect(ranLabel('eager')).toBe('eager (reference)');
    expect(ranLabel('cpu')).toBe('cpu (gpu.js JavaScript)');
    expect(ranLabel('webasm')).toBe('webasm (gpu.js)');
    expect(ranLabel('wasm')).toBe('wasm (core)');
  });
});

describe('backend policy: one meaning of each choice for the CLI and the workbench', () => {
  it('auto keeps float64 on core’s wasm with the eager reference behind it; float32 takes jit’s chain', () => {
    expect(planBackend('auto', 'float64')).toEqual({ kind: 'compiled', backend: 'wasm', orEager: true });
    expect(planBackend('auto', 'float32')).toEqual({ kind: 'compiled', backend: 'auto', orEager: false });
    expect(planBackend('eager', 'float64')).toEqual({ kind: 'eager' });
    expect(planBackend('webasm', 'float32')).toEqual({ kind: 'compiled', backend: 'webasm', orEager: false });
  });

  it('gpu.js targets compute in float32 whatever is asked; core’s own paths keep the dtype', () => {
    expect(computeDtype('cpu', 'float64')).toBe('float32');
    expect(computeDtype('webgpu', 'float64')).toBe('float32');
    expect(computeDtype('wasm', 'float64')).toBe('float64');
    expect(computeDtype('eager', 'float64')).toBe('float64');
    expect(computeDtype('auto', 'float64')).toBe('float64');
  });

  it('the CLI plans by the same policy, refusing only what it cannot run as asked', () => {
    for (const choice of JIT_BACKENDS.filter((b) => b !== 'webgl2'))
      expect(cliPlan(choice, 'float32')).toEqual(planBackend(choice, 'float32'));
    expect(cliPlan('auto', 'float64')).toEqual(planBackend('auto', 'float64'));
    expect(() => cliPlan('cpu', 'float64')).toThrow(/computes in float32/);
    expect(() => cliPlan('webgl2', 'float32')).toThrow(/only in a browser/);
  });
});
