/**
 * A field over (x, t) with its time axis, legend, hover readout and record cursor, painted by three.js or a 2-D
 * canvas (painters.ts says which, where).
 */
import { createContext, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { type ColormapName, formatValue, rangeOf } from './colormap';
import type { Field2D } from './field';
import { Legend } from './Legend';
import { makePainter, type Painter, type PainterChoice, type PainterKind } from './painters';

/** Which painter the maps below use (the app sets it once, from `?maps=` in web mode). */
export const MapPainterContext = createContext<PainterChoice>('auto');

export interface SpaceTimeMapProps {
  testId: string;
  title: string;
  field: Field2D | null;
  /** Time of each record (length = field.rows). */
  times: Float64Array;
  cmap: ColormapName;
  valueLabel: string;
  /** Record drawn as a horizontal cursor line. */
  cursorRecord?: number;
  onPickRecord?: (r: number) => void;
  /** Told which painter is in use (WebGL or the 2-D fallback), for the status bar. */
  onRendererKind?: (kind: PainterKind) => void;
  /** Dim each cell by this field's magnitude (same shape), e.g. |∂E/∂θ|; drawn plain when null. */
  shade?: ArrayLike<number> | null;
  children?: React.ReactNode;
}

export function SpaceTimeMap(props: SpaceTimeMapProps) {
  const {
    testId,
    title,
    field,
    times,
    cmap,
    valueLabel,
    cursorRecord,
    onPickRecord,
    onRendererKind,
    shade = null,
    children,
  } = props;
  const choice = useContext(MapPainterContext);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const painter = useRef<Painter | null>(null);
  const lastPaint = useRef<Parameters<Painter['paint']> | null>(null);
  const onKind = useRef(onRendererKind);
  onKind.current = onRendererKind;
  const [kind, setKind] = useState<Painter['kind'] | null>(null);
  const [hover, setHover] = useState<string | null>(null);
  const range = useMemo(() => (field ? rangeOf(field.values, cmap) : { min: 0, max: 1 }), [field, cmap]);
  // A fingerprint of what is drawn, for tests and for telling at a glance that a map changed.
  const sum = useMemo(() => (field ? field.values.reduce((a, v) => a + v, 0) : null), [field]);

  useEffect(() => {
    const canvas = canvasRef.current!;
    painter.current = makePainter(canvas, choice);
    setKind(painter.current.kind);
    onKind.current?.(painter.current.kind);
    const ro = new ResizeObserver(([entry]) => {
      const { width, height } = entry!.contentRect;
      painter.current?.resize(Math.max(1, Math.round(width)), Math.max(1, Math.round(height)));
      // resizing clears the drawing buffer: paint the last picture again
      if (painter.current && lastPaint.current) painter.current.paint(...lastPaint.current);
    });
    ro.observe(canvas);
    return () => {
      ro.disconnect();
      painter.current?.dispose();
      painter.current = null;
    };
  }, [choice]);

  useEffect(() => {
    if (!field) return;
    lastPaint.current = [field, cmap, range, cursorRecord ?? null, shade];
    painter.current?.paint(...lastPaint.current);
  }, [field, cmap, range, cursorRecord, shade]);

  const locate = (e: React.MouseEvent<HTMLCanvasElement>) => {
    if (!field) return null;
    const box = e.currentTarget.getBoundingClientRect();
    const fx = (e.clientX - box.left) / box.width;
    const fy = (e.clientY - box.top) / box.height;
    const i = Math.min(field.cols - 1, Math.max(0, Math.floor(fx * field.cols)));
    const r = Math.min(field.rows - 1, Math.max(0, Math.floor((1 - fy) * field.rows)));
    return { i, r };
  };

  return (
    <figure
      className="map"
      data-testid={testId}
      data-renderer={kind ?? ''}
      data-sum={sum ?? undefined}
      data-shaded={shade && field && shade.length === field.values.length ? 'yes' : 'no'}
    >
      <figcaption>{title}</figcaption>
      <div className="map-body">
        <div className="map-axes">
          <span className="axis-y">
            t ↑ ({times.length ? `${formatValue(times[0]!)}…${formatValue(times.at(-1)!)}` : ''})
          </span>
          <canvas
            // a canvas keeps the first kind of context it gave: a new painter needs a new canvas
            key={choice}
            ref={canvasRef}
            className="map-canvas"
            data-testid={`${testId}-canvas`}
            onMouseMove={(e) => {
              const at = locate(e);
              if (!at || !field) return;
              const v = field.values[at.r * field.cols + at.i]!;
              const x = (at.i + 0.5) / field.cols;
              setHover(
                `x = ${x.toFixed(4)}, t = ${formatValue(times[at.r] ?? 0)}, ${valueLabel} = ${formatValue(v)}`,
              );
            }}
            onMouseLeave={() => setHover(null)}
            onClick={(e) => {
              const at = locate(e);
              if (at) onPickRecord?.(at.r);
            }}
          />
          <span className="axis-x">x → (0…1)</span>
        </div>
        <Legend cmap={cmap} range={range} label={valueLabel} />
      </div>
      <div className="readout" data-testid={`${testId}-readout`}>
        {hover ??
          (field ? `hover the map for values${onPickRecord ? '; click to pick a time' : ''}` : 'no data yet')}
      </div>
      {children}
    </figure>
  );
}
