/** Pick the record shown by the line plots; play steps through the records. */
import { useEffect, useState } from 'react';
import { formatValue } from '../plots/colormap';

interface Props {
  record: number;
  times: Float64Array;
  onRecord(r: number): void;
}

export function TimeScrubber({ record, times, onRecord }: Props) {
  const [playing, setPlaying] = useState(false);
  const R = times.length;
  useEffect(() => {
    if (!playing || R < 2) return;
    const id = setInterval(() => onRecord((record + 1) % R), 120);
    return () => clearInterval(id);
  }, [playing, record, R, onRecord]);
  return (
    <div className="scrubber">
      <button type="button" data-testid="play" onClick={() => setPlaying((p) => !p)} aria-pressed={playing}>
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <input
        type="range"
        data-testid="time-slider"
        min={0}
        max={Math.max(0, R - 1)}
        value={Math.min(record, Math.max(0, R - 1))}
        onChange={(e) => onRecord(Number(e.target.value))}
        aria-label="record"
      />
      <span data-testid="time-label">
        record {Math.min(record, R - 1)} / {R - 1}, t = {formatValue(times[Math.min(record, R - 1)] ?? 0)}
      </span>
    </div>
  );
}
