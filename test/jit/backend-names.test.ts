import { describe, expect, it } from 'vitest';
import { BACKEND_CHOICES } from '../../cli/backend';
import { BACKEND_ORDER } from '../../core/jit/backends';
import { BACKEND_LABELS, GPUJS_BACKENDS, isFloat32Only, JIT_BACKENDS, ranLabel } from '../../core/jit/index';
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
