/** The benchmark harness's pure parts: flags, row selection, ratios and the JSON table (no timings). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BenchArgsError, parseBenchArgs, selectRows, wantsMemory, wantsSparse } from '../../bench/args';
import { benchCases } from '../../bench/cases';
import { executorLabel } from '../../bench/jit';
import { memoryRow, variantName } from '../../bench/memory-group';
import { timeInRounds } from '../../bench/rounds';
import { maxAbsDiff, median, ratio, sig } from '../../bench/stats';
import { formatTable, timeRow } from '../../bench/table';
import { torchArgs } from '../../bench/torch';
import type { JitRunInfo } from '../../core/jit/index';

const rows = [
  { name: 'fast', slow: false },
  { name: 'slow', slow: true },
];

describe('parseBenchArgs', () => {
  it('has defaults that run every row and the float32 peer', () => {
    expect(parseBenchArgs([])).toEqual({
      json: null,
      only: null,
      reps: null,
      rounds: 3,
      quick: false,
      memory: false,
      torchF32: true,
      limit: true,
      threads: null,
      help: false,
    });
  });

  it('reads every flag, with separate or inline values', () => {
    const a = parseBenchArgs([
      '--only',
      'grad, solve_B4',
      '--reps=2',
      '--rounds',
      '5',
      '--threads',
      '2',
      '--quick',
      '--memory',
      '--no-f32',
      '--json',
      'o.json',
    ]);
    expect(a).toMatchObject({
      only: ['grad', 'solve_B4'],
      reps: 2,
      rounds: 5,
      threads: 2,
      quick: true,
      memory: true,
      torchF32: false,
      json: 'o.json',
    });
  });

  it('refuses bad input with a message naming the flag', () => {
    expect(() => parseBenchArgs(['--reps', '0'])).toThrow(/--reps must be a positive integer/);
    expect(() => parseBenchArgs(['--reps', 'x'])).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(['--rounds', '-1'])).toThrow(/--rounds must be a positive integer/);
    expect(() => parseBenchArgs(['--threads=0'])).toThrow(/--threads must be a positive integer \(got 0\)/);
    expect(() => parseBenchArgs(['--json'])).toThrow(/--json needs a value/);
    expect(() => parseBenchArgs(['--quick=1'])).toThrow(/takes no value/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown argument --fast/);
  });
});

describe('selectRows', () => {
  it('runs all rows, or the fast ones with --quick', () => {
    expect(selectRows(rows, parseBenchArgs([])).map((r) => r.name)).toEqual(['fast', 'slow']);
    expect(selectRows(rows, parseBenchArgs(['--quick'])).map((r) => r.name)).toEqual(['fast']);
  });

  it('keeps list order for --only and knows the memory group', () => {
    const a = parseBenchArgs(['--only', 'slow,fast,memory']);
    expect(selectRows(rows, a).map((r) => r.name)).toEqual(['fast', 'slow']);
    expect(wantsMemory(a)).toBe(true);
    expect(selectRows(rows, parseBenchArgs(['--only', 'memory']))).toEqual([]);
    expect(wantsMemory(parseBenchArgs([]))).toBe(false);
    expect(wantsMemory(parseBenchArgs(['--memory']))).toBe(true);
  });

  it('names unknown rows and lists the known ones', () => {
    expect(() => selectRows(rows, parseBenchArgs(['--only', 'nope']))).toThrow(
      /unknown row nope; known: fast, slow, memory/,
    );
  });
});

describe('stats', () => {
  it('takes the median as numpy does', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('gives ratio = torch / ours, null when a side is missing', () => {
    expect(ratio(4.3, 2)).toBe(2.15);
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(1, 0)).toBeNull();
  });

  it('rounds to significant digits', () => {
    expect(sig(0.123456)).toBe(0.123);
    expect(sig(1234.5, 2)).toBe(1200);
    expect(sig(null)).toBeNull();
  });

  it('measures the largest difference', () => {
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 2])).toBe(1);
    expect(() => maxAbsDiff([1], [1, 2])).toThrow(/lengths differ/);
  });
});

describe('timeInRounds', () => {
  // A machine whose speed changes between rounds (1×, 2×, 1.5× slower), as the VM's cores do: each side's
  // time scales with it, so each round's own ratio is exact while a ratio of medians is not.
  // The clock is simulated, so that a loaded machine (the test suite runs beside other work) cannot move the result.
  const slowdown = [1, 2, 1.5];
  let round = 0;
  let now = 0;
  const busy = (ms: number) => {
    now += ms * slowdown[round]!;
  };
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('compares ours with each yardstick round by round, and ours over all its runs', async () => {
    round = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const calls: string[] = [];
    const t = await timeInRounds(
      () => {
        calls.push('ours');
        busy(6);
      },
      { reps: 2, rounds: 3, warmup: () => calls.push('warm-up') },
      {
        limit: async () => {
          calls.push('limit');
          return (4 * slowdown[round++]!) / 1000;
        },
        broken: async () => null,
      },
    );
    expect(calls).toEqual(['warm-up', ...Array(3).fill(['ours', 'ours', 'limit']).flat()]);
    expect(t.times_s).toHaveLength(6);
    expect(t.rounds).toBe(3);
    // ours ran 6 ms × (1, 2, 1.5): each round's ratio is 6 / 4 whatever the machine did
    expect(t.compared.limit!.ours_over).toBeCloseTo(1.5, 12);
    expect(t.compared.limit!.median_s).toBeCloseTo(0.006, 12);
    // ours over all its runs: 6, 6, 12, 12, 9, 9 ms
    expect(t.median_s).toBeCloseTo(0.009, 12);
    expect(t.compared.broken).toEqual({ median_s: null, ours_over: null });
  });
});

describe('table', () => {
  const row = timeRow({
    name: 'grad',
    oursS: 2,
    torchS: 3,
    torchF32S: 1,
    backend: 'cpu-float64',
    dtype: 'float64',
    reps: 5,
  });

  it('computes both ratios from the unrounded times', () => {
    expect(row).toEqual({
      name: 'grad',
      ours_s: 2,
      torch_s: 3,
      ratio: 1.5,
      backend: 'cpu-float64',
      dtype: 'float64',
      reps: 5,
      torch_f32_s: 1,
      ratio_f32: 0.5,
    });
  });

  it('keeps torch_s and the ratio null without the peer', () => {
    const r = timeRow({
      name: 'x',
      oursS: 1,
      torchS: null,
      torchF32S: null,
      backend: 'b',
      dtype: 'float64',
      reps: 1,
    });
    expect([r.torch_s, r.ratio, r.torch_f32_s, r.ratio_f32]).toEqual([null, null, null, null]);
  });

  it('takes the paired ratios from the rounds where given, else the ratio of the medians', () => {
    const base = {
      name: 's',
      oursS: 2,
      torchS: null,
      torchF32S: null,
      backend: 'wasm',
      dtype: 'float32',
      reps: 3,
    };
    const paired = timeRow({ ...base, limitS: 1, vsLimit: 1.8, wasmLimitS: 4, vsWasmLimit: 0.45 });
    expect(paired).toMatchObject({ limit_s: 1, vs_limit: 1.8, wasm_limit_s: 4, vs_wasm_limit: 0.45 });
    expect(timeRow({ ...base, limitS: 1 }).vs_limit).toBe(2);
    expect(timeRow({ ...base, oneThreadS: 3, threadsSpeedup: 1.7 })).toMatchObject({
      one_thread_s: 3,
      threads_speedup: 1.7,
    });
    expect(timeRow({ ...base, oneThreadS: 3 }).threads_speedup).toBe(1.5);
    expect(timeRow(base)).not.toHaveProperty('threads_speedup');
  });

  it('adds first_call_s only for rows that report one, after the required fields', () => {
    expect(row).not.toHaveProperty('first_call_s');
    const r = timeRow({
      name: 'grad_webasm',
      oursS: 0.1,
      torchS: 0.5,
      torchF32S: null,
      backend: 'webasm/fused-sync',
      dtype: 'float32',
      reps: 5,
      firstCallS: 5.123456,
    });
    expect(r).toMatchObject({
      name: 'grad_webasm',
      ours_s: 0.1,
      torch_s: 0.5,
      ratio: 5,
      first_call_s: 5.123,
    });
    expect(Object.keys(r).slice(0, 6)).toEqual(['name', 'ours_s', 'torch_s', 'ratio', 'backend', 'dtype']);
    expect(
      timeRow({ ...r, oursS: 1, torchS: null, torchF32S: null, firstCallS: null }).first_call_s,
    ).toBeNull();
  });

  it('prints valid JSON with one row per line', () => {
    const text = formatTable([row, row]);
    expect(JSON.parse(text)).toEqual([row, row]);
    expect(text.split('\n')).toHaveLength(4);
    expect(formatTable([])).toBe('[]');
  });
});

describe('peer arguments', () => {
  it('passes what, batch, dtype and reps to the script', () => {
    const args = torchArgs({ what: 'jacrev', B: 1, dtype: 'float64', reps: 1 });
    expect(args.slice(1)).toEqual(['jacrev', '--B', '1', '--dtype', 'float64', '--reps', '1']);
    expect(args[0]).toMatch(/torch_seed\.py$/);
  });
  it('asks for a device when one is named (the GPU rows: cuda)', () => {
    const args = torchArgs({ what: 'solve', B: 1024, dtype: 'float32', device: 'cuda' });
    expect(args.slice(1)).toEqual(['solve', '--B', '1024', '--dtype', 'float32', '--device', 'cuda']);
  });
});

describe('memory rows', () => {
  const child = {
    tEnd: 1,
    Nt: 500,
    checkpoints: 1 as const,
    baseline_live_mb: 10,
    peak_live_mb: 16,
    peak_heap_used_mb: 9,
    peak_array_buffers_mb: 7,
    peak_rss_mb: 100,
    baseline_rss_mb: 90,
    samples: 10,
    seconds: 1,
    grad: [1, -2],
  };

  it('reports growth over the baseline and the gradient difference', () => {
    const r = memoryRow({ tEnd: 1, checkpoints: 1 }, child, [1, -2 + 1e-14]);
    expect(r).toMatchObject({
      name: 'memory_grad_t1_ckpt_1',
      live_growth_mb: 6,
      rss_growth_mb: 10,
      max_abs_grad: 2,
    });
    expect(r.grad_max_abs_diff / 1e-14).toBeCloseTo(1, 2);
  });

  it('refuses gradients that disagree', () => {
    expect(() => memoryRow({ tEnd: 1, checkpoints: 1 }, child, [1, -2.001])).toThrow(/gradient differs/);
    expect(variantName({ tEnd: 4, checkpoints: 'default' })).toBe('memory_grad_t4_ckpt_default');
  });
});

describe('sparse-Jacobian group selection', () => {
  it('runs by default and when named, not when other rows are picked', () => {
    expect(wantsSparse(parseBenchArgs([]))).toBe(true);
    expect(wantsSparse(parseBenchArgs(['--only', 'sparse_E4']))).toBe(true);
    expect(wantsSparse(parseBenchArgs(['--only', 'grad']))).toBe(false);
  });
});

describe('compiled rows', () => {
  const cases = benchCases();
  const names = cases.map((c) => c.name);

  it('follow the eager row they compile (webasm in float32, wasm in the row dtype); the rest come last', () => {
    expect(names).toEqual([
      'solve_B4',
      'solve_B4_webasm',
      'solve_B4_wasm',
      'solve_B4_wasm_f64',
      'solve_B256',
      'solve_B256_webasm',
      'solve_B256_wasm',
      'solve_B256_wasm_threads',
      'grad',
      'grad_webasm',
      'grad_wasm',
      'grad_wasm_f32',
      'jacfwd_400',
      'jacfwd_400_webasm',
      'jacfwd_400_wasm',
      'jacfwd_400_wasm_threads',
      'jacfwd_400_wasm_f32',
      'jacfwd_400_wasm_f32_threads',
      'jacrev_400',
      'jacrev_400_webasm',
      'jacrev_400_wasm',
      'jacrev_400_wasm_threads',
      'jacrev_400_wasm_f32',
      'jacrev_400_wasm_f32_threads',
      'solve_B1024_wasm',
      'solve_B1024_wasm_threads',
      'hessian_theta_wasm',
      'hessian_theta_wasm_threads',
    ]);
    for (const c of cases.filter((c) => c.name.endsWith('_webasm'))) {
      const eager = cases.find((e) => `${e.name}_webasm` === c.name)!;
      expect(c).toMatchObject({ dtype: 'float32', torch: eager.torch, slow: eager.slow, reps: eager.reps });
    }
    for (const c of cases.filter((c) => /_(webasm|wasm)/.test(c.name))) {
      // the warm-up is the row itself, so the compiling first call is never timed
      expect(c.warmup).toBeUndefined();
      expect(c.firstCallS?.()).toBeNull();
      expect(c.backend()).toBe('not run');
    }
    expect(cases.find((c) => c.name === 'solve_B4_wasm_f64')!.dtype).toBe('float64');
    expect(cases.find((c) => c.name === 'grad_wasm')!.dtype).toBe('float64');
    expect(cases.find((c) => c.name === 'grad_wasm_f32')!.dtype).toBe('float32');
    expect(cases.find((c) => c.name === 'jacrev_400_wasm')!.dtype).toBe('float64');
    expect(cases.find((c) => c.name === 'jacrev_400_wasm_f32_threads')!.dtype).toBe('float32');
    for (const c of cases.filter((c) => /^jac(fwd|rev)_400_wasm/.test(c.name))) {
      // several runs of ours, but PyTorch's Jacobian (17–80 s a run) is the eager row's one measurement, reused
      const eager = cases.find((e) => c.name.startsWith(`${e.name}_`))!;
      expect(c.peerReps ?? c.reps).toBe(eager.reps);
      // a row without rounds (no one-thread yardstick) takes the median of 3 runs
      if (!c.oneThread) expect(c.reps).toBeGreaterThanOrEqual(3);
    }
  });

  it('are selectable by name and skipped with the slow rows by --quick', () => {
    const only = parseBenchArgs(['--only', 'solve_B4,solve_B4_webasm,grad,grad_webasm']);
    expect(selectRows(cases, only).map((c) => c.name)).toEqual([
      'solve_B4',
      'solve_B4_webasm',
      'grad',
      'grad_webasm',
    ]);
    expect(selectRows(cases, parseBenchArgs(['--quick'])).map((c) => c.name)).toEqual([
      'solve_B4',
      'solve_B4_webasm',
      'solve_B4_wasm',
      'solve_B4_wasm_f64',
      'solve_B256_wasm',
      'solve_B256_wasm_threads',
      'grad',
      'grad_webasm',
      'grad_wasm',
      'grad_wasm_f32',
      'hessian_theta_wasm',
      'hessian_theta_wasm_threads',
    ]);
  });

  it('name the executor gpu.js reported', () => {
    const run = (executors: { backend: string; executorKind: string }[], backend = 'webasm') =>
      ({ backend, executors }) as unknown as JitRunInfo;
    expect(executorLabel(null)).toBe('not run');
    expect(
      executorLabel(
        run([
          { backend: 'webasm', executorKind: 'fused-sync' },
          { backend: 'webasm', executorKind: 'fused-sync' },
        ]),
      ),
    ).toBe('webasm/fused-sync');
    expect(
      executorLabel(
        run([
          { backend: 'webasm', executorKind: 'fused-threaded' },
          { backend: 'webasm', executorKind: 'fused-sync' },
        ]),
      ),
    ).toBe('webasm/fused-threaded,webasm/fused-sync');
    expect(executorLabel(run([], 'eager'))).toBe('eager');
  });
});
