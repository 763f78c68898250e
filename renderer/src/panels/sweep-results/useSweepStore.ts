/** The opened sweep store, the picked case, and a sentence for anything that went wrong. */
import { useState } from 'react';
import { filesOfFolder, openSweepStore, type SweepStore } from '../../io/sweep-store';

export function useSweepStore() {
  const [store, setStore] = useState<SweepStore | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const open = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    try {
      const s = await openSweepStore(filesOfFolder(files));
      setStore(s);
      setError(null);
      setSelected(s.cases[0]?.index ?? null);
    } catch (e) {
      setStore(null);
      setSelected(null);
      setError((e as Error).message);
    }
  };
  const close = () => {
    setStore(null);
    setError(null);
    setSelected(null);
  };
  return { store, error, selected, setSelected, open, close };
}
