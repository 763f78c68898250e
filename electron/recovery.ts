/**
 * When the page's process dies or stops responding, say so and offer a reload. The work is not lost either way:
 * the page autosaves to local storage, and a reloaded page offers back the session of a window that did not
 * close cleanly.
 */
import type { BrowserWindow, Dialog, RenderProcessGoneDetails } from 'electron';

export interface RecoveryDeps {
  dialog: Pick<Dialog, 'showMessageBox'>;
}

const KEPT = 'Your work is autosaved: after the reload the workbench offers to restore it.';

export function watchRenderer(win: BrowserWindow, { dialog }: RecoveryDeps): void {
  const contents = win.webContents;
  let asking = false;
  // a page we crash on purpose (to reload a hung one) is not reported as gone
  let crashedOnPurpose = false;

  const ask = async (message: string, detail: string, buttons: [string, string]) => {
    if (asking || win.isDestroyed()) return null;
    asking = true;
    try {
      const r = await dialog.showMessageBox(win, {
        type: 'warning',
        title: 'RTE Workbench',
        message,
        detail,
        buttons,
        defaultId: 0,
        cancelId: 1,
        noLink: true,
      });
      return r.response;
    } finally {
      asking = false;
    }
  };

  contents.on('render-process-gone', async (_e, details: RenderProcessGoneDetails) => {
    if (details.reason === 'clean-exit' || crashedOnPurpose) {
      crashedOnPurpose = false;
      return;
    }
    const choice = await ask(`The workbench page stopped (${describeGone(details)}).`, KEPT, [
      'Reload',
      'Close the window',
    ]);
    if (choice === 0) contents.reload();
    else if (choice === 1) win.close();
  });

  contents.on('unresponsive', async () => {
    const choice = await ask(
      'The workbench page is not responding.',
      `A long computation may still finish: wait, or reload the page. ${KEPT}`,
      ['Reload', 'Wait'],
    );
    // a hung page cannot run its unload handlers: end its process, then load the page afresh
    if (choice === 0 && !win.isDestroyed()) {
      crashedOnPurpose = true;
      contents.forcefullyCrashRenderer();
      contents.reload();
    }
  });
}

function describeGone(d: RenderProcessGoneDetails): string {
  switch (d.reason) {
    case 'oom':
      return 'it ran out of memory';
    case 'crashed':
      return 'it crashed';
    case 'killed':
      return 'it was ended by the system';
    case 'launch-failed':
      return 'it could not start';
    default:
      return `${d.reason}, exit code ${d.exitCode}`;
  }
}
