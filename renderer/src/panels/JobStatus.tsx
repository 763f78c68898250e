/** Progress and cancel for a running derivative job. */
import type { Job } from '../hooks/useJob';

export function JobStatus<T>({ job, testId }: { job: Job<T>; testId: string }) {
  if (!job.running && !job.error) return null;
  return (
    <div className="job" data-testid={testId}>
      {job.running && (
        <>
          <progress value={job.progress?.fraction ?? undefined} max={1} />
          <span>{job.progress?.message ?? 'working'}</span>
          <button type="button" data-testid={`${testId}-cancel`} onClick={job.cancel}>
            Cancel
          </button>
        </>
      )}
      {job.error && (
        <span className="error" role="alert">
          {job.error}
        </span>
      )}
    </div>
  );
}
