/**
 * Edit → picture: from the edit behind the result on screen to the frame after the commit that shows it. Kept in
 * the component that displays it, so the second render it causes is that component's alone, not the app's.
 */
import { useEffect, useState } from 'react';

/** Null until the frame showing result `generation` (caused by an edit at `from`) has come. */
export function usePictureMs(from: number | null, generation: number): number | null {
  const [shown, setShown] = useState<{ generation: number; ms: number } | null>(null);
  useEffect(() => {
    if (from === null) return;
    const id = requestAnimationFrame(() => setShown({ generation, ms: performance.now() - from }));
    return () => cancelAnimationFrame(id);
  }, [from, generation]);
  return shown?.generation === generation ? shown.ms : null;
}
