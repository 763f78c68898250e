/** Backend, dtype, solve time and edit-to-picture time of what is on screen. */
import type { SolveResult } from '../worker/api';

interface Props {
  result: SolveResult | null;
  solving: boolean;
  editToPictureMs: number | null;
  renderer: string;
  message: string | null;
  /** Stops the running solve (offered while one runs). */
  onStop(): void;
  /** Timings, backend and dtype of the derivatives on screen. */
  derivatives?: string | null;
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(0)} ms`);

export function StatusBar({
  result,
  solving,
  editToPictureMs,
  renderer,
  message,
  onStop,
  derivatives,
}: Props) {
  return (
    <footer className="status" data-testid="status-bar">
      <span data-testid="status-state">{solving ? 'solving…' : 'ready'}</span>
      <button
        type="button"
        data-testid="status-stop"
        onClick={onStop}
        disabled={!solving}
        title="stop the running solve"
      >
        Stop
      </button>
      <span data-testid="status-backend" title={result?.notes.join('\n') || undefined}>
        backend: {result?.backend ?? '—'}
        {result?.notes.length ? ' (fell back: hover for why)' : ''}
      </span>
      <span data-testid="status-dtype">dtype: {result?.dtype ?? '—'}</span>
      <span data-testid="status-solve">last solve: {ms(result?.ms)}</span>
      <span
        data-testid="status-edit"
        title="from the last edit to the frame showing its result (goal: < 100 ms for B=4, N=400)"
      >
        edit → picture: {ms(editToPictureMs)}
      </span>
      <span>
        {result ? `B=${result.B} R=${result.R} N=${result.N}` : ''} {renderer && `· maps: ${renderer}`}
      </span>
      {derivatives && <span data-testid="status-deriv">{derivatives}</span>}
      {message && <span className="status-message">{message}</span>}
    </footer>
  );
}
