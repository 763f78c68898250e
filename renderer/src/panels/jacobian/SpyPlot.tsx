/** One record's Jacobian as a spy plot: colour by value on a symmetric scale with its legend; hover reads it. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatValue, rangeOf, toRgba } from '../../plots/colormap';
import { Legend } from '../../plots/Legend';
import type { RecordJacobianResult } from '../../worker/api';

interface Props {
  res: RecordJacobianResult;
  output: string;
  input: string;
}

export function SpyPlot({ res, output, input }: Props) {
  const { N, J } = res;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<string | null>(null);
  const range = useMemo(() => rangeOf(J, 'diverging'), [J]);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    c.width = N;
    c.height = N;
    const ctx = c.getContext('2d')!;
    const img = ctx.createImageData(N, N);
    img.data.set(toRgba(J, 'diverging', range));
    ctx.putImageData(img, 0, 0);
  }, [N, J, range]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const j = Math.min(N - 1, Math.floor(((e.clientX - box.left) / box.width) * N));
    const i = Math.min(N - 1, Math.floor(((e.clientY - box.top) / box.height) * N));
    const at = (k: number) => ((k + 0.5) / N).toFixed(3);
    setHover(`∂${output}(x_${i} = ${at(i)})/∂${input}(x_${j} = ${at(j)}) = ${formatValue(J[i * N + j]!)}`);
  };

  return (
    <div>
      <div className="row">
        <canvas
          ref={canvas}
          className="spy"
          data-testid="spy"
          data-sum={J.reduce((a, v) => a + v, 0)}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
          title={`rows: ${output} cell i (top = 0); columns: ${input} cell j`}
        />
        <Legend cmap="diverging" range={range} label={`∂${output}/∂${input}`} />
      </div>
      <div className="readout" data-testid="spy-readout">
        {hover ??
          `hover the spy plot for ∂${output}(xᵢ)/∂${input}(xⱼ); rows i top-down, columns j left to right`}
      </div>
    </div>
  );
}
