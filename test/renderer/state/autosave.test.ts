/** Autosave per window: no window overwrites another, unclean ends are offered, a full storage is reported. */
import { describe, expect, it } from 'vitest';
import { makeSession, type Session } from '../../../renderer/src/model/session';
import { Autosave, KEEP_RECORDS, type Store } from '../../../renderer/src/state/autosave';
import { initialState } from '../../../renderer/src/state/store';

/** localStorage's behaviour over a Map, optionally with a quota in characters. */
class MemoryStore implements Store {
  readonly map = new Map<string, string>();
  constructor(private readonly quota = Number.POSITIVE_INFINITY) {}
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  setItem(k: string, v: string) {
    const used = [...this.map].reduce((n, [key, val]) => n + (key === k ? 0 : key.length + val.length), 0);
    if (used + k.length + v.length > this.quota) throw new DOMException('full', 'QuotaExceededError');
    this.map.set(k, v);
  }
}

const named = (name: string, savedAt = new Date().toISOString()): Session => {
  const s = initialState();
  const session = makeSession(s.grid, s.cases, s.view);
  session.cases[0]!.name = name;
  return { ...session, savedAt };
};
const live =
  (...ids: string[]) =>
  async () =>
    new Set(ids);

describe('autosave per window', () => {
  it('two windows keep their own records; an open window’s record is not offered to the other', async () => {
    const store = new MemoryStore();
    const a = new Autosave(store, 'A', live('B'));
    const b = new Autosave(store, 'B', live('A'));
    a.start();
    b.start();
    a.save(named('from A'));
    b.save(named('from B'));
    await a.refresh();
    await b.refresh();
    expect(a.offers()).toEqual([]);
    expect(b.offers()).toEqual([]);
    // B crashes (no end(), its lock released): A, asked again, lists B's work
    const a2 = new Autosave(store, 'A', live());
    await a2.refresh();
    expect(a2.offers().map((r) => [r.windowId, r.firstCase])).toEqual([['B', 'from B']]);
    expect(a2.take('B')!.cases[0]!.name).toBe('from B');
    expect(a2.list()).toEqual([]);
  });

  it('a reload while a long solve ran is offered, and the fresh page writes elsewhere', async () => {
    const store = new MemoryStore();
    const first = new Autosave(store, 'old');
    first.start();
    first.save(named('stuck work'));
    first.end(true); // pagehide with a solve running for over a second
    const fresh = new Autosave(store, 'new');
    fresh.start();
    await fresh.refresh();
    expect(fresh.offers().map((r) => r.firstCase)).toEqual(['stuck work']);
    fresh.save(named('fresh default'));
    expect(fresh.take('old')!.cases[0]!.name).toBe('stuck work');
  });

  it('a normal close is listed as recoverable but not offered; dismissed offers are not offered again', async () => {
    const store = new MemoryStore();
    const closed = new Autosave(store, 'closed');
    closed.start();
    closed.save(named('closed normally'));
    closed.end(false);
    const crashed = new Autosave(store, 'crashed');
    crashed.start();
    crashed.save(named('crashed'));
    const next = new Autosave(store, 'next');
    expect(next.offers().map((r) => r.windowId)).toEqual(['crashed']);
    expect(
      next
        .list()
        .map((r) => r.windowId)
        .sort(),
    ).toEqual(['closed', 'crashed']);
    next.dismiss(['crashed']);
    expect(next.offers()).toEqual([]);
  });

  it('keeps only the newest records of gone windows', () => {
    const store = new MemoryStore();
    for (let i = 0; i < KEEP_RECORDS + 3; i++) {
      const w = new Autosave(store, `w${i}`);
      w.save(named(`n${i}`, new Date(2026, 0, 1, 0, i).toISOString()));
    }
    const now = new Autosave(store, 'now');
    now.prune();
    expect(now.list().map((r) => r.firstCase)).toEqual(
      Array.from({ length: KEEP_RECORDS }, (_, i) => `n${KEEP_RECORDS + 2 - i}`),
    );
  });

  it('a full storage is reported, makes room from clean records, and never leaves an older state behind', () => {
    const big = named('x'.repeat(200));
    const size = JSON.stringify(big).length;
    const store = new MemoryStore(1.5 * size);
    const old = new Autosave(store, 'old');
    old.save(big);
    old.end(false);
    const w = new Autosave(store, 'w');
    // the closed window's record makes room for this one
    expect(w.save(big)).toEqual({ ok: true });
    expect(store.getItem('rte-workbench:autosave:old')).toBeNull();
    const huge = named('y'.repeat(200));
    huge.cases = [1, 2, 3].flatMap((k) => huge.cases.map((c) => ({ ...c, id: `${c.id}${k}` })));
    expect(w.save(huge)).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^autosave stopped: this browser's local storage has no room for the session \(\d+ KiB\)\. Save/,
      ),
    });
    expect(store.getItem('rte-workbench:autosave:w')).toBeNull();
    expect(new Autosave(store, 'later').list().map((r) => r.windowId)).toEqual([]);
  });

  it('an unreadable record is skipped, not offered', () => {
    const store = new MemoryStore();
    store.setItem('rte-workbench:autosave:bad', '{"format": "rte-workbench-session", "version": "1"}');
    expect(new Autosave(store, 'w').offers()).toEqual([]);
  });
});
