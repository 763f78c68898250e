/**
 * profileProgram: the listing printProgram shows, each kernel call with its time per run; the bracketing
 * clock calls change neither the kernels nor their numbering.
 */
import { describe, expect, it } from 'vitest';
import { fori, rand, roll, type Tensor } from '../../../core/index';
import { jit, printProgram, profileProgram } from '../../../core/jit/index';

/** A smoothing loop (two kernels a step: the stencil, then a normalisation reading its sum) and an epilogue. */
const smooth = (x: Tensor, k: Tensor) => {
  const y = fori(
    50,
    (h: Tensor) => {
      const s = h
        .add(roll(h, 1, 0))
        .add(roll(h, -1, 0))
        .mul(k);
      return s.div(s.abs().sum().add(1));
    },
    x,
  );
  return y.exp().sum();
};

const annotation = / {2}\[(\d+\.\d{3}) ms, (\d+\.\d)%\]$/;

describe('profileProgram', () => {
  it('annotates every kernel call of the wasm listing with its time, and nothing else', async () => {
    const f = jit(smooth, { backend: 'wasm', strict: true });
    const args = [
      rand([4096], { seed: 1, dtype: 'float64' }),
      rand([4096], { seed: 2, dtype: 'float64' }),
    ] as const;
    const printed = printProgram(f, ...args);
    const plain = printed.slice(printed.indexOf('wasm program')).split('\n');
    const p = await profileProgram(f, [...args], { reps: 3 });
    const lines = p.listing.split('\n');
    // the same listing, one summary line more; annotations exactly on the kernel calls
    expect(lines.length).toBe(plain.length + 1);
    expect(lines.at(-1)).toMatch(/^ {2}-- \d+\.\d{3} ms per run, \d+\.\d% in kernel calls \(3 runs\)$/);
    let inKernels = 0;
    plain.forEach((text, l) => {
      const got = lines[l]!;
      const m = annotation.exec(got);
      expect(m !== null).toBe(/ kernel\d+\(/.test(text));
      expect(got.replace(annotation, '')).toBe(text);
      if (m) {
        expect(p.kernelMs.get(l)).toBeCloseTo(Number(m[1]), 3);
        inKernels += p.kernelMs.get(l)!;
      }
    });
    expect(p.kernelMs.size).toBeGreaterThanOrEqual(2);
    // kernel time is part of the run's time
    expect(inKernels).toBeGreaterThan(0);
    expect(inKernels).toBeLessThanOrEqual(p.totalMs * 1.01);
  });
});
