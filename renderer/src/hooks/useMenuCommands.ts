/** The application menu's commands (desktop shell): session file actions, data and figure export. */
import { useEffect } from 'react';
import { flushSync } from 'react-dom';
import { encodeNpyArray } from '../../../core/index';
import { platform } from '../platform/platform';
import type { SolveResult } from '../worker/api';
import type { SessionFile } from './useSessionFile';

export function useMenuCommands(
  file: SessionFile,
  result: SolveResult | null,
  showResults: () => void,
): void {
  const { open, save, reset } = file;
  useEffect(
    () =>
      platform.onMenu((cmd) => {
        if (cmd === 'new') reset();
        else if (cmd === 'open-session') void open();
        else if (cmd === 'save-session' || cmd === 'save-session-as') void save();
        else if (cmd === 'export-data' && result)
          void platform.saveFile('E.npy', encodeNpyArray(result.E, [result.B, result.R, result.N]));
        else if (cmd === 'export-figure') {
          // the results tab skips redraws while hidden: show it (committed now) so the figure is the current one
          flushSync(showResults);
          document.querySelector<HTMLButtonElement>('[data-testid="export-map-E-png"]')?.click();
        }
      }),
    [open, save, reset, result, showResults],
  );
}
