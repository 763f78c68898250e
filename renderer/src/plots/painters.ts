/**
 * The two ways a space-time map paints its field: three.js (one textured quad in an orthographic camera) and a
 * 2-D canvas. Both draw every cell and record as a crisp block in the same colours.
 *
 * Which one: three.js where WebGL runs on a GPU. Where WebGL is emulated on the CPU (SwiftShader, llvmpipe), the
 * page is composited in software too, and every WebGL canvas that changed is read back, synchronously, on the
 * UI thread before the frame is drawn — two maps cost ~15 ms of the UI thread per edit on the 2-core machine,
 * where the live panels wait for it. A 2-D canvas paints the same 400 × 50 picture with no readback.
 */
import * as THREE from 'three';
import { type ColormapName, type Range, toRgba } from './colormap';
import { type Field2D, putRowsBottomUp } from './field';
import { shadeRgba } from './shade';

export type PainterKind = 'webgl' | 'canvas2d';
/** What the user asked for: `auto` picks by where WebGL runs. */
export type PainterChoice = 'auto' | PainterKind;
export const PAINTER_CHOICES: readonly PainterChoice[] = ['auto', 'webgl', 'canvas2d'];

export type Shade = ArrayLike<number> | null;

export interface Painter {
  kind: PainterKind;
  paint(f: Field2D, cmap: ColormapName, range: Range, cursor: number | null, shade: Shade): void;
  resize(w: number, h: number): void;
  dispose(): void;
}

/** The painter `choice` asks for on `canvas`; the 2-D canvas wherever WebGL cannot start. */
export function makePainter(canvas: HTMLCanvasElement, choice: PainterChoice): Painter {
  const webgl = choice === 'webgl' || (choice === 'auto' && softwareWebGl() === null);
  return (webgl ? webGlPainter(canvas) : null) ?? canvasPainter(canvas);
}

const SOFTWARE_RASTERIZERS = /swiftshader|llvmpipe|softpipe|microsoft basic render|software/i;
let probed: { software: string | null } | undefined;

/** The name of the CPU rasteriser behind WebGL here (e.g. 'SwiftShader'), or null (a GPU, or no WebGL). */
export function softwareWebGl(): string | null {
  if (!probed) {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    const name = gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : '';
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    probed = { software: SOFTWARE_RASTERIZERS.exec(name)?.[0] ?? null };
  }
  return probed.software;
}

/** `?maps=auto|webgl|canvas2d` in web mode; anything else is named and replaced by auto. */
export function painterChoiceFromQuery(search: string): { choice: PainterChoice; problem: string | null } {
  const asked = new URLSearchParams(search).get('maps');
  if (asked === null) return { choice: 'auto', problem: null };
  if ((PAINTER_CHOICES as readonly string[]).includes(asked))
    return { choice: asked as PainterChoice, problem: null };
  return {
    choice: 'auto',
    problem: `maps=${asked} is not one of ${PAINTER_CHOICES.join(', ')}: auto is used`,
  };
}

/** The status bar's word on the maps: which painter, and why the 2-D canvas where it was not asked for. */
export function describePainter(
  kind: PainterKind | '',
  asked: { choice: PainterChoice; problem: string | null },
) {
  const why = kind === 'canvas2d' ? canvasReason(asked.choice) : null;
  return [kind, why && `(${why})`, asked.problem && `· ${asked.problem}`].filter(Boolean).join(' ');
}

/** Why the maps paint with the 2-D canvas under `choice`: null where that was asked for. */
function canvasReason(choice: PainterChoice): string | null {
  if (choice === 'canvas2d') return null;
  const software = choice === 'auto' ? softwareWebGl() : null;
  return software ? `WebGL here is software: ${software}` : 'no WebGL here';
}

/** The cells' colours, dimmed by `shade` when it fits the field (a stale one of another grid is skipped). */
function pixels(f: Field2D, cmap: ColormapName, range: Range, shade: Shade): Uint8Array {
  const rgba = toRgba(f.values, cmap, range);
  return shade && shade.length === f.values.length ? shadeRgba(rgba, shade) : rgba;
}

function webGlPainter(canvas: HTMLCanvasElement): Painter | null {
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

function canvasPainter(canvas: HTMLCanvasElement): Painter {
  const ctx = canvas.getContext('2d')!;
  const cells = document.createElement('canvas');
  return {
    kind: 'canvas2d',
    paint(f, cmap, range, r, shade) {
      cells.width = f.cols;
      cells.height = f.rows;
      putRowsBottomUp(cells.getContext('2d')!, pixels(f, cmap, range, shade), f.cols, f.rows);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(cells, 0, 0, canvas.width, canvas.height);
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
