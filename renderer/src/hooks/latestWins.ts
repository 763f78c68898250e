/**
 * The pump behind every live worker call (the solve and each derivative panel): requests are debounced, the
 * latest wins (one made while a call runs waits and replaces any older waiting one, so superseded requests
 * never start), and, by policy, a newer request cancels a call that has run too long. No React here: the hook
 * (useLiveCall) turns the events into state.
 */
import { CancelledError } from '../worker/cancelled';

export interface PumpPolicy {
  /** Wait this long after the last request before sending it (ms). */
  debounceMs: number;
  /** A newer request cancels a call that has run longer than this (ms); never when absent. */
  staleMs?: number;
}

export interface Timing {
  /** When the edit (or settings change) behind the request happened (performance.now()). */
  from: number;
  /** Edit → call sent, and edit → result back on this thread (ms). */
  sentMs: number;
  receivedMs: number;
}

export interface PumpEvents<T> {
  running(on: boolean): void;
  result(result: T, timing: Timing): void;
  /** A failure other than a cancellation. */
  error(e: unknown): void;
}

export class LatestWinsPump<Q, T> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private waiting: { request: Q; from: number } | null = null;
  private runningSince: number | null = null;

  constructor(
    private readonly run: (request: Q) => Promise<T>,
    private readonly cancelRunning: () => void,
    private readonly policy: PumpPolicy,
    private readonly events: PumpEvents<T>,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Ask for `request`, caused by an edit at `from`; replaces any request not yet sent. */
  request(request: Q, from: number): void {
    this.clearTimer();
    const send = () => {
      this.timer = null;
      this.waiting = { request, from };
      if (this.runningSince === null) void this.pump();
      else if (this.policy.staleMs !== undefined && this.clock() - this.runningSince > this.policy.staleMs)
        this.cancelRunning();
    };
    if (this.policy.debounceMs <= 0) send();
    else this.timer = setTimeout(send, this.policy.debounceMs);
  }

  /** Drop the waiting request and cancel the running call; true when one was running. */
  stop(): boolean {
    this.clearTimer();
    this.waiting = null;
    if (this.runningSince === null) return false;
    this.cancelRunning();
    return true;
  }

  /** A request not yet sent is dropped (the component is going away or the request changed). */
  clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  get busy(): boolean {
    return this.runningSince !== null;
  }

  private async pump(): Promise<void> {
    this.events.running(true);
    while (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      this.runningSince = this.clock();
      try {
        const sentMs = this.clock() - w.from;
        const result = await this.run(w.request);
        this.events.result(result, { from: w.from, sentMs, receivedMs: this.clock() - w.from });
      } catch (e) {
        if (!(e instanceof CancelledError)) this.events.error(e);
      } finally {
        this.runningSince = null;
      }
    }
    this.events.running(false);
  }
}
