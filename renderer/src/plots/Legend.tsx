/** A vertical colour bar with ticks, for the space-time maps. */
import { type ColormapName, cssColour, formatValue, type Range, ticks } from './colormap';

export function Legend({ cmap, range, label }: { cmap: ColormapName; range: Range; label: string }) {
  const h = 220;
  const steps = 48;
  const span = range.max - range.min || 1;
  return (
    <svg className="legend" width={76} height={h + 30} role="img" aria-label={`${label} colour scale`}>
      <text x={2} y={12} fontSize={11}>
        {label}
      </text>
      {Array.from({ length: steps }, (_, k) => (
        <rect
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of colour steps
          key={k}
          x={2}
          y={20 + h - ((k + 1) / steps) * h}
          width={16}
          height={h / steps + 0.5}
          fill={cssColour(cmap, (k + 0.5) / steps)}
        />
      ))}
      <rect x={2} y={20} width={16} height={h} fill="none" stroke="#333" />
      {ticks(range.min, range.max, 5).map((v) => {
        const y = 20 + h - ((v - range.min) / span) * h;
        return (
          <g key={v}>
            <line x1={18} x2={22} y1={y} y2={y} stroke="#333" />
            <text x={24} y={y + 4} fontSize={10}>
              {formatValue(v)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
