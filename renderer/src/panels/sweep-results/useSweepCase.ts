/** The picked case's arrays, read from the store (the chunks of its shard only), and the coordinates. */
import { useEffect, useState } from 'react';
import { readCase, readWhole, type SweepStore } from '../../io/sweep-store';

export interface SweepCase {
  x: Float64Array;
  t: Float64Array;
  /** Every array over the cases, this case's slice: E and T [record, x], grad_* [x], Jacobians, … */
  arrays: Record<string, { shape: number[]; values: Float64Array }>;
  /** Each sparse Jacobian's pattern (…_vals → rows, cols). */
  patterns: Record<string, { rows: Float64Array; cols: Float64Array }>;
}

async function load(store: SweepStore, index: number): Promise<SweepCase> {
  const arrays: SweepCase['arrays'] = {};
  const patterns: SweepCase['patterns'] = {};
  for (const [name, meta] of Object.entries(store.arrays)) {
    if (meta.dims[0] !== 'case' || name === 'params') continue;
    arrays[name] = await readCase(store, name, index);
    if (name.endsWith('_vals')) {
      const stem = name.slice(0, -'_vals'.length);
      patterns[name] = {
        rows: await readWhole(store, `${stem}_rows`),
        cols: await readWhole(store, `${stem}_cols`),
      };
    }
  }
  return { x: await readWhole(store, 'x'), t: await readWhole(store, 't'), arrays, patterns };
}

export function useSweepCase(store: SweepStore, index: number) {
  const [state, setState] = useState<{ index: number; data?: SweepCase; error?: string } | null>(null);
  useEffect(() => {
    let live = true;
    load(store, index).then(
      (data) => live && setState({ index, data }),
      (e: Error) => live && setState({ index, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [store, index]);
  return state?.index === index ? state : null;
}
