// @vitest-environment happy-dom
/**
 * PanelBoundary rendered for real (React DOM in happy-dom): a panel that throws while rendering shows its
 * boundary's message in its own place, its neighbours keep rendering and responding, and "Try again" renders
 * the panel afresh.
 */
import { act, createElement as h, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PanelBoundary } from '../../../renderer/src/panels/PanelBoundary';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let broken = true;
/** A panel whose data cannot be drawn (as a malformed result would make it) until `broken` is cleared. */
function ResultsLike() {
  if (broken) throw new RangeError('Invalid typed array length: -8');
  return h('p', { 'data-testid': 'results-ok' }, 'results drawn');
}

/** A neighbouring panel with state of its own: it must keep both through its neighbour's failure. */
function Counter() {
  const [n, setN] = useState(0);
  return h('button', { type: 'button', 'data-testid': 'count', onClick: () => setN(n + 1) }, `clicked ${n}`);
}

const app = () =>
  h(
    'div',
    null,
    h(PanelBoundary, { name: 'cases' }, h(Counter)),
    h(PanelBoundary, { name: 'results' }, h(ResultsLike)),
  );

let root: Root;
let host: HTMLElement;
const q = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const click = (id: string) =>
  act(() => {
    q(id)!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });

beforeEach(() => {
  broken = true;
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  // React reports the caught error to the console (and the boundary logs it): expected here, kept quiet
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.restoreAllMocks();
});

describe('PanelBoundary', () => {
  it('shows the failing panel’s message in its place; the rest of the page keeps working', () => {
    act(() => root.render(app()));
    const alert = q('panel-error')!;
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain(
      'The results panel failed: the problem is too large for the memory this page may use',
    );
    expect(alert.textContent).toContain('Your session is kept');
    expect(host.querySelectorAll('[data-testid="panel-error"]')).toHaveLength(1);
    expect(q('results-ok')).toBeNull();
    // the neighbour is mounted and still answers
    click('count');
    click('count');
    expect(q('count')!.textContent).toBe('clicked 2');
    expect(console.warn).toHaveBeenCalledWith('results panel failed:', expect.any(RangeError));
  });

  it('"Try again" renders the panel afresh once it can be drawn; the neighbour keeps its state', () => {
    act(() => root.render(app()));
    click('count');
    broken = false;
    click('panel-retry');
    expect(q('panel-error')).toBeNull();
    expect(q('results-ok')!.textContent).toBe('results drawn');
    expect(q('count')!.textContent).toBe('clicked 1');
  });

  it('a panel still broken on retry shows the message again instead of blanking the page', () => {
    act(() => root.render(app()));
    click('panel-retry');
    expect(q('panel-error')).not.toBeNull();
    expect(q('count')).not.toBeNull();
  });
});
