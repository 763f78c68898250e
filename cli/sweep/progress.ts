/** The sweep's progress line on stderr: shards and cases done, cases per second, and the time left. */
export class Progress {
  private readonly t0 = performance.now();
  private casesThisRun = 0;
  private lastPrint = 0;
  private lastLine = '';
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly totalShards: number,
    private readonly totalCases: number,
    private shardsDone: number,
    private casesDone: number,
  ) {}

  shardFinished(cases: number): void {
    this.shardsDone++;
    this.casesDone += cases;
    this.casesThisRun += cases;
    this.print(false);
  }

  /** Cases per second in this run so far. */
  rate(): number {
    const s = (performance.now() - this.t0) / 1000;
    return s > 0 ? this.casesThisRun / s : 0;
  }

  line(): string {
    const rate = this.rate();
    const left = this.totalCases - this.casesDone;
    const eta = rate > 0 ? `ETA ${formatSeconds(left / rate)}` : 'ETA —';
    return `sweep: ${this.shardsDone}/${this.totalShards} shards, ${this.casesDone}/${this.totalCases} cases, ${rate.toFixed(1)} cases/s, ${eta}`;
  }

  /** Redraw in place on a terminal; elsewhere one line at most every 2 s (and the last one always). */
  print(final: boolean): void {
    const now = performance.now();
    if (!final && !this.tty && now - this.lastPrint < 2000) return;
    const line = this.line();
    if (!this.tty && line === this.lastLine) return;
    this.lastPrint = now;
    this.lastLine = line;
    process.stderr.write(this.tty ? `\r\x1b[K${line}${final ? '\n' : ''}` : `${line}\n`);
  }
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
