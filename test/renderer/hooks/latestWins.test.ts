import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LatestWinsPump, type PumpPolicy } from '../../../renderer/src/hooks/latestWins';
import { CancelledError } from '../../../renderer/src/worker/cancelled';

/** A worker stand-in: each call waits until the test settles it. */
function harness(policy: PumpPolicy) {
  let clock = 0;
  const started: string[] = [];
  const pending: { request: string; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const events = {
    running: [] as boolean[],
    results: [] as [string, number, number][],
    errors: [] as string[],
  };
  let cancels = 0;
  const pump = new LatestWinsPump<string, string>(
    (request) =>
      new Promise((resolve, reject) => {
        started.push(request);
        pending.push({ request, resolve, reject });
      }),
    () => {
      cancels++;
      pending.shift()?.reject(new CancelledError());
    },
    policy,
    {
      running: (on) => events.running.push(on),
      result: (r, t) => events.results.push([r, t.sentMs, t.receivedMs]),
      error: (e) => events.errors.push((e as Error).message),
    },
    () => clock,
  );
  const settle = async (value?: string) => {
    const p = pending.shift()!;
    if (value === undefined) p.reject(new Error(`${p.request} failed`));
    else p.resolve(value);
    await vi.advanceTimersByTimeAsync(0);
  };
  return {
    pump,
    started,
    events,
    settle,
    cancels: () => cancels,
    tick: async (ms: number) => {
      clock += ms;
      await vi.advanceTimersByTimeAsync(ms);
    },
    now: () => clock,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the latest-wins pump of the live calls', () => {
  it('debounces: requests inside the debounce window send only the last', async () => {
    const h = harness({ debounceMs: 10 });
    h.pump.request('a', 0);
    await h.tick(5);
    h.pump.request('b', 5);
    await h.tick(5);
    expect(h.started).toEqual([]);
    await h.tick(5);
    expect(h.started).toEqual(['b']);
    await h.tick(20);
    await h.settle('B');
    expect(h.events.results).toEqual([['B', 10, 30]]);
    expect(h.events.running).toEqual([true, false]);
  });

  it('a request made while a call runs waits, and a newer one replaces it: superseded requests never start', async () => {
    const h = harness({ debounceMs: 0 });
    h.pump.request('a', 0);
    h.pump.request('b', 0);
    h.pump.request('c', 0);
    expect(h.started).toEqual(['a']);
    await h.settle('A');
    expect(h.started).toEqual(['a', 'c']);
    await h.settle('C');
    expect(h.events.results.map((r) => r[0])).toEqual(['A', 'C']);
    expect(h.events.running).toEqual([true, false]);
  });

  it('by policy, a newer request cancels a call running longer than staleMs, and only then', async () => {
    const h = harness({ debounceMs: 0, staleMs: 100 });
    h.pump.request('a', 0);
    await h.tick(50);
    h.pump.request('b', 50);
    expect(h.cancels()).toBe(0);
    await h.tick(100);
    h.pump.request('c', 150);
    expect(h.cancels()).toBe(1);
    await h.tick(0);
    expect(h.started).toEqual(['a', 'c']);
    expect(h.events.errors).toEqual([]); // a cancellation is not an error
    const never = harness({ debounceMs: 0 });
    never.pump.request('a', 0);
    await never.tick(10_000);
    never.pump.request('b', 0);
    expect(never.cancels()).toBe(0);
  });

  it('stop drops the waiting request and cancels the running call; idle, it does nothing', async () => {
    const h = harness({ debounceMs: 10 });
    expect(h.pump.stop()).toBe(false);
    h.pump.request('a', 0);
    await h.tick(10);
    h.pump.request('b', 10);
    expect(h.pump.stop()).toBe(true);
    await h.tick(20);
    expect(h.started).toEqual(['a']);
    expect(h.cancels()).toBe(1);
    expect(h.pump.busy).toBe(false);
  });

  it('reports a failure and carries on with the next request', async () => {
    const h = harness({ debounceMs: 0 });
    h.pump.request('a', 0);
    h.pump.request('b', 0);
    await h.settle();
    expect(h.events.errors).toEqual(['a failed']);
    expect(h.started).toEqual(['a', 'b']);
    await h.settle('B');
    expect(h.events.results.map((r) => r[0])).toEqual(['B']);
  });
});
