import { describe, expect, it } from 'vitest';
import { checkElectron, electronBinary } from '../../scripts/lib/electron-check';

describe('npm start: can Electron run here?', () => {
  it('says why not when there is no binary, and never downloads one', () => {
    const r = checkElectron({ DISPLAY: ':0' }, 'linux');
    if (electronBinary()) expect(r).toEqual({ ok: true, binary: electronBinary() });
    else
      expect(r).toEqual({
        ok: false,
        reason: expect.stringMatching(/^no Electron binary: .*downloads it on first use/),
      });
  });

  it('needs a display on Linux', () => {
    const r = checkElectron({}, 'linux');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(electronBinary() ? /no display/ : /no Electron binary/);
  });

  it('can be told to use the web mode', () => {
    expect(checkElectron({ RTE_WEB: '1', DISPLAY: ':0' }, 'linux')).toEqual({
      ok: false,
      reason: 'RTE_WEB=1 asks for the web mode',
    });
  });
});
