/** Line plots in plain SVG with inline styling, so the on-screen element exports as a real vector file. */
import { forwardRef } from 'react';
import { formatValue, ticks } from './colormap';

export interface Series {
  name: string;
  colour: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface LinePlotProps {
  testId: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  width?: number;
  height?: number;
  /** Include zero in the y-range (signed fields such as gradients). */
  withZero?: boolean;
}

export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];

export const LinePlot = forwardRef<SVGSVGElement, LinePlotProps>(function LinePlot(props, ref) {
  const { testId, title, xLabel, yLabel, series, width = 520, height = 260, withZero = false } = props;
  const m = { l: 62, r: 14, t: 28, b: 42 };
  const pw = width - m.l - m.r;
  const ph = height - m.t - m.b;
  let [x0, x1, y0, y1] = [0, 1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const s of series)
    for (let i = 0; i < s.y.length; i++) {
      const v = s.y[i]!;
      if (Number.isFinite(v)) [y0, y1] = [Math.min(y0, v), Math.max(y1, v)];
    }
  if (withZero) [y0, y1] = [Math.min(y0, 0), Math.max(y1, 0)];
  if (!(y1 >= y0)) [y0, y1] = [0, 1];
  if (y1 === y0) [y0, y1] = [y0 - (Math.abs(y0) || 1) * 0.05, y1 + (Math.abs(y1) || 1) * 0.05];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  x0 = Math.min(x0, ...series.map((s) => s.x[0] ?? 0));
  x1 = Math.max(x1, ...series.map((s) => s.x[s.x.length - 1] ?? 1));
  const sx = (v: number) => m.l + ((v - x0) / (x1 - x0)) * pw;
  const sy = (v: number) => m.t + ph - ((v - y0) / (y1 - y0)) * ph;
  const path = (s: Series) => {
    let d = '';
    for (let i = 0; i < s.y.length; i++)
      d += `${i ? 'L' : 'M'}${sx(s.x[i]!).toFixed(2)},${sy(s.y[i]!).toFixed(2)}`;
    return d;
  };
  return (
    <svg
      ref={ref}
      data-testid={testId}
      xmlns="http://www.w3.org/2000/svg"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      fontFamily="sans-serif"
      role="img"
      aria-label={title}
    >
      <rect width={width} height={height} fill="#ffffff" />
      <text x={m.l + pw / 2} y={18} textAnchor="middle" fontSize={13}>
        {title}
      </text>
      <rect x={m.l} y={m.t} width={pw} height={ph} fill="none" stroke="#333" />
      {ticks(x0, x1, 5).map((v) => (
        <g key={`x${v}`}>
          <line x1={sx(v)} x2={sx(v)} y1={m.t + ph} y2={m.t + ph + 4} stroke="#333" />
          <text x={sx(v)} y={m.t + ph + 16} textAnchor="middle" fontSize={10}>
            {formatValue(v)}
          </text>
        </g>
      ))}
      {ticks(y0, y1, 5).map((v) => (
        <g key={`y${v}`}>
          <line x1={m.l - 4} x2={m.l} y1={sy(v)} y2={sy(v)} stroke="#333" />
          <line x1={m.l} x2={m.l + pw} y1={sy(v)} y2={sy(v)} stroke="#e4e4e4" />
          <text x={m.l - 6} y={sy(v) + 3} textAnchor="end" fontSize={10}>
            {formatValue(v)}
          </text>
        </g>
      ))}
      {withZero && y0 < 0 && y1 > 0 && (
        <line x1={m.l} x2={m.l + pw} y1={sy(0)} y2={sy(0)} stroke="#888" strokeDasharray="3 3" />
      )}
      {series.map((s) => (
        <path key={s.name} d={path(s)} fill="none" stroke={s.colour} strokeWidth={1.5}>
          <title>{s.name}</title>
        </path>
      ))}
      {series.map((s, k) => (
        <g key={`legend-${s.name}`}>
          <line
            x1={m.l + 8}
            x2={m.l + 24}
            y1={m.t + 10 + k * 14}
            y2={m.t + 10 + k * 14}
            stroke={s.colour}
            strokeWidth={2}
          />
          <text x={m.l + 28} y={m.t + 14 + k * 14} fontSize={10}>
            {s.name}
          </text>
        </g>
      ))}
      <text x={m.l + pw / 2} y={height - 6} textAnchor="middle" fontSize={11}>
        {xLabel}
      </text>
      <text transform={`translate(14 ${m.t + ph / 2}) rotate(-90)`} textAnchor="middle" fontSize={11}>
        {yLabel}
      </text>
    </svg>
  );
});
