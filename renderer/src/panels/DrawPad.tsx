/** A profile preview that doubles as a drawing surface: drag across it to redraw that part of the curve. */
import { useMemo, useRef, useState } from 'react';
import { formatValue, ticks } from '../plots/colormap';

interface Props {
  testId: string;
  values: Float64Array | null;
  onStroke(points: [number, number][]): void;
}

const W = 300;
const H = 130;
const M = { l: 40, r: 8, t: 8, b: 18 };

export function DrawPad({ testId, values, onStroke }: Props) {
  const [stroke, setStroke] = useState<[number, number][] | null>(null);
  const yMax = useMemo(() => {
    let m = 0;
    for (const v of values ?? []) m = Math.max(m, v);
    return m > 0 ? m * 1.3 : 1;
  }, [values]);
  const scale = useRef(yMax);
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const sy = (v: number, top = yMax) => M.t + ph - (v / top) * ph;

  const toData = (e: React.PointerEvent<SVGSVGElement>): [number, number] => {
    const box = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - box.left) / box.width) * W;
    const py = ((e.clientY - box.top) / box.height) * H;
    const x = Math.min(1, Math.max(0, (px - M.l) / pw));
    const y = Math.max(0, ((M.t + ph - py) / ph) * scale.current);
    return [x, y];
  };

  const curve = (pts: ArrayLike<number>, xs?: (i: number) => number) => {
    let d = '';
    const n = pts.length;
    for (let i = 0; i < n; i++)
      d += `${i ? 'L' : 'M'}${(M.l + (xs ? xs(i) : (i + 0.5) / n) * pw).toFixed(1)},${sy(pts[i]!).toFixed(1)}`;
    return d;
  };

  return (
    <svg
      className="drawpad"
      data-testid={testId}
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        scale.current = yMax;
        setStroke([toData(e)]);
      }}
      onPointerMove={(e) => {
        if (stroke) setStroke([...stroke, toData(e)]);
      }}
      onPointerUp={() => {
        if (stroke && stroke.length > 1) onStroke(dedupe(stroke));
        setStroke(null);
      }}
      role="img"
      aria-label="profile; drag to draw"
    >
      <rect x={M.l} y={M.t} width={pw} height={ph} fill="#fafafa" stroke="#999" />
      {ticks(0, yMax, 3).map((v) => (
        <text key={v} x={M.l - 4} y={sy(v) + 3} fontSize={9} textAnchor="end">
          {formatValue(v)}
        </text>
      ))}
      <text x={M.l} y={H - 4} fontSize={9}>
        0
      </text>
      <text x={W - M.r} y={H - 4} fontSize={9} textAnchor="end">
        x = 1
      </text>
      {values && <path d={curve(values)} fill="none" stroke="#1f77b4" strokeWidth={1.5} />}
      {stroke && (
        <path
          d={curve(
            stroke.map((p) => p[1]),
            (i) => stroke[i]![0],
          )}
          fill="none"
          stroke="#d62728"
          strokeWidth={2}
        />
      )}
    </svg>
  );
}

/** Sort a stroke by x and keep one point per distinct x (a drag can go back and forth). */
function dedupe(points: [number, number][]): [number, number][] {
  const byX = new Map<number, number>();
  for (const [x, y] of points) byX.set(Number(x.toFixed(4)), y);
  return [...byX.entries()].sort((a, b) => a[0] - b[0]);
}
