/** How fresh a live derivative is: edit → picture, worker time, what ran it; running and errors. */
import type { LiveCall } from '../../hooks/useLiveCall';
import { usePictureMs } from '../../hooks/usePictureMs';

interface Timed {
  ms: number;
  backend: string;
  dtype: string;
}

export function LiveNote<T extends Timed>({ live, testId }: { live: LiveCall<T>; testId: string }) {
  const r = live.result;
  const editMs = usePictureMs(live.from, live.generation);
  return (
    <p
      className="note live-note"
      data-testid={testId}
      data-generation={live.generation}
      data-running={live.running ? 'yes' : 'no'}
      data-edit-ms={editMs === null ? undefined : editMs.toFixed(1)}
      data-worker-ms={r ? r.ms.toFixed(1) : undefined}
      data-sent-ms={live.sentMs?.toFixed(1)}
      data-received-ms={live.receivedMs?.toFixed(1)}
    >
      {r
        ? `edit → picture ${editMs === null ? '—' : `${editMs.toFixed(0)} ms`}; computed in ${r.ms.toFixed(0)} ms on ${r.backend}, ${r.dtype}`
        : 'computing…'}
      {live.running && r && ' · updating…'}
      {live.error && (
        <span className="error" role="alert">
          {' '}
          {live.error}
        </span>
      )}
    </p>
  );
}
