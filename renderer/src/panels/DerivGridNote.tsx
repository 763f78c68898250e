/** Derivative panels run on a coarser copy of the grid; say so, and let the user change it. */
import type { GridSpec } from '../worker/api';

export function DerivGridNote({ spec, onN }: { spec: GridSpec; onN(n: number): void }) {
  return (
    <p className="note" data-testid="deriv-grid-note">
      Derivatives use the main grid with N ={' '}
      <input
        data-testid="deriv-N"
        type="number"
        min={8}
        max={400}
        step={8}
        value={spec.N}
        onChange={(e) => {
          const n = Number(e.target.value);
          if (Number.isInteger(n) && n >= 8 && n <= 400) onN(n);
        }}
      />{' '}
      cells (Nvx = {spec.Nvx}, CFL = {spec.CFL}, t_end = {spec.tEnd}, every = {spec.every}): a dense Jacobian
      costs N forward passes, so N = 400 takes tens of seconds on this backend.
    </p>
  );
}
