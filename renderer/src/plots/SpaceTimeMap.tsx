/**
 * A field over (x, t) drawn with three.js: one textured quad in an orthographic camera, sampled nearest so every
 * cell and record stays a crisp block. Falls back to a 2-D canvas where WebGL is unavailable.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { type ColormapName, formatValue, type Range, rangeOf, toRgba } from './colormap';
import type { Field2D } from './field';
import { Legend } from './Legend';
import { shadeRgba } from './shade';

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
  onRendererKind?: (kind: 'webgl' | 'canvas2d') => void;
  /** Dim each cell by this field's magnitude (same shape), e.g. |∂E/∂θ|; drawn plain when null. */
  shade?: ArrayLike<number> | null;
  children?: React.ReactNode;
}

type Shade = ArrayLike<number> | null;

/** The cells' colours, dimmed by `shade` when it fits the field (a stale one of another grid is skipped). */
function pixels(f: Field2D, cmap: ColormapName, range: Range, shade: Shade): Uint8Array {
  const rgba = toRgba(f.values, cmap, range);
  return shade && shade.length === f.values.length ? shadeRgba(rgba, shade) : rgba;
}

interface Painter {
  kind: 'webgl' | 'canvas2d';
  paint(f: Field2D, cmap: ColormapName, range: Range, cursor: number | null, shade: Shade): void;
  resize(w: number, h: number): void;
  dispose(): void;
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
    painter.current = makeWebGlPainter(canvas) ?? makeCanvasPainter(canvas);
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
  }, []);

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

function makeWebGlPainter(canvas: HTMLCanvasElement): Painter | null {
  let renderer: THREE.WebGLRenderer;
  try {
    renderer = new THREE.WebGLRenderer({ canvas, antialias: false, preserveDrawingBuffer: true });
  } catch {
    return null;
  }
  const scene = new THREE.Scene();
  const camera = new THREE.OrthographicCamera(0, 1, 1, 0, -1, 1);
  const material = new THREE.MeshBasicMaterial();
  const quad = new THREE.Mesh(new THREE.PlaneGeometry(1, 1), material);
  quad.position.set(0.5, 0.5, 0);
  scene.add(quad);
  const cursorGeom = new THREE.BufferGeometry().setFromPoints([
    new THREE.Vector3(0, 0, 0.5),
    new THREE.Vector3(1, 0, 0.5),
  ]);
  const cursor = new THREE.Line(cursorGeom, new THREE.LineBasicMaterial({ color: 0xffffff }));
  scene.add(cursor);
  let texture: THREE.DataTexture | null = null;
  return {
    kind: 'webgl',
    paint(f, cmap, range, r, shade) {
      texture?.dispose();
      texture = new THREE.DataTexture(pixels(f, cmap, range, shade), f.cols, f.rows, THREE.RGBAFormat);
      texture.magFilter = THREE.NearestFilter;
      texture.minFilter = THREE.NearestFilter;
      texture.colorSpace = THREE.SRGBColorSpace;
      texture.needsUpdate = true;
      material.map = texture;
      material.needsUpdate = true;
      cursor.visible = r !== null;
      if (r !== null) cursor.position.y = (r + 0.5) / f.rows;
      renderer.render(scene, camera);
    },
    resize(w, h) {
      renderer.setPixelRatio(window.devicePixelRatio || 1);
      renderer.setSize(w, h, false);
    },
    dispose() {
      texture?.dispose();
      material.dispose();
      renderer.dispose();
    },
  };
}

function makeCanvasPainter(canvas: HTMLCanvasElement): Painter {
  const ctx = canvas.getContext('2d')!;
  const off = document.createElement('canvas');
  return {
    kind: 'canvas2d',
    paint(f, cmap, range, r, shade) {
      off.width = f.cols;
      off.height = f.rows;
      const img = off.getContext('2d')!.createImageData(f.cols, f.rows);
      const rgba = pixels(f, cmap, range, shade);
      for (let k = 0; k < f.rows; k++)
        img.data.set(rgba.subarray(k * f.cols * 4, (k + 1) * f.cols * 4), (f.rows - 1 - k) * f.cols * 4);
      off.getContext('2d')!.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
      if (r !== null) {
        const y = canvas.height - ((r + 0.5) / f.rows) * canvas.height;
        ctx.strokeStyle = '#fff';
        ctx.beginPath();
        ctx.moveTo(0, y);
        ctx.lineTo(canvas.width, y);
        ctx.stroke();
      }
    },
    resize(w, h) {
      canvas.width = w;
      canvas.height = h;
    },
    dispose() {},
  };
}
