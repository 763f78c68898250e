/**
 * Autosave to local storage, one record per window (page load), so two tabs never overwrite each other and a
 * reload never overwrites the work it is about to offer back. Beside each record a small state key says how
 * its window ended: `closed` (the page was left normally), `busy` (left while a long solve ran, e.g. a reload
 * of a stuck page) or still `open`. A record whose window is gone and did not end `closed` is offered for
 * restore at the next start; every other window's record stays listed as recoverable.
 */
import { parseSession, type Session } from '../model/session';

const RECORD = 'rte-workbench:autosave:';
const STATE = 'rte-workbench:state:';
/** Records of windows that are gone, newest first, beyond which the oldest are dropped. */
export const KEEP_RECORDS = 6;

type Ending = 'open' | 'busy' | 'closed';

export interface Recoverable {
  windowId: string;
  savedAt: string;
  /** How its window ended: true unless it was left normally. */
  unclean: boolean;
  cases: number;
  firstCase: string;
}

export type SaveResult = { ok: true } | { ok: false; message: string };

/** The subset of Storage used (localStorage in the page, a Map in tests). */
export type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

const isQuota = (e: unknown) =>
  e instanceof DOMException && (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED');

export class Autosave {
  private live: ReadonlySet<string> = new Set();

  constructor(
    private readonly store: Store,
    readonly windowId: string,
    /** Windows that are still open (their records are theirs, not recoverable). */
    private readonly liveWindows: () => Promise<ReadonlySet<string>> = async () => new Set(),
  ) {}

  /** Ask again which windows are open; call before listing. */
  async refresh(): Promise<void> {
    this.live = await this.liveWindows();
  }

  private isLive(windowId: string): boolean {
    return this.live.has(windowId);
  }

  /** Mark this window open: until it is left normally, its record counts as unclean. */
  start(): void {
    this.setState(this.windowId, 'open');
  }

  /** The page is being left: `busy` when a long solve was running (the user may be escaping a stuck page). */
  end(busy: boolean): void {
    this.setState(this.windowId, busy ? 'busy' : 'closed');
  }

  save(session: Session): SaveResult {
    const text = JSON.stringify(session);
    try {
      this.store.setItem(RECORD + this.windowId, text);
      return { ok: true };
    } catch (e) {
      if (!isQuota(e)) return this.fail(`local storage refused it (${(e as Error).message})`);
    }
    // make room from gone windows' clean records, oldest first, and try once more
    for (const r of this.list().reverse()) if (!r.unclean) this.discard(r.windowId);
    try {
      this.store.setItem(RECORD + this.windowId, text);
      return { ok: true };
    } catch {
      return this.fail(
        `this browser's local storage has no room for the session (${Math.ceil(text.length / 1024)} KiB)`,
      );
    }
  }

  /** Gone windows' records, newest first. */
  list(): Recoverable[] {
    const out: Recoverable[] = [];
    for (const id of this.windowIds()) {
      if (id === this.windowId || this.isLive(id)) continue;
      const session = this.read(id);
      if (!session) continue;
      out.push({
        windowId: id,
        savedAt: session.savedAt,
        unclean: this.store.getItem(STATE + id) !== 'closed',
        cases: session.cases.length,
        firstCase: session.cases[0]?.name ?? '',
      });
    }
    return out.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  /** The records offered at start: windows that ended uncleanly. */
  offers(): Recoverable[] {
    return this.list().filter((r) => r.unclean);
  }

  /** A gone window's session (and its record is dropped: this window's autosave now holds it). */
  take(windowId: string): Session | null {
    const session = this.read(windowId);
    this.discard(windowId);
    return session;
  }

  /** Keep the records but stop offering them at start. */
  dismiss(windowIds: string[]): void {
    for (const id of windowIds) this.setState(id, 'closed');
  }

  discard(windowId: string): void {
    this.store.removeItem(RECORD + windowId);
    this.store.removeItem(STATE + windowId);
  }

  /** Drop the oldest records of gone windows beyond KEEP_RECORDS, and state keys without a record. */
  prune(): void {
    for (const r of this.list().slice(KEEP_RECORDS)) this.discard(r.windowId);
    for (let i = this.store.length - 1; i >= 0; i--) {
      const key = this.store.key(i);
      if (key?.startsWith(STATE) && this.store.getItem(RECORD + key.slice(STATE.length)) === null) {
        const id = key.slice(STATE.length);
        if (id !== this.windowId && !this.isLive(id)) this.store.removeItem(key);
      }
    }
  }

  private fail(why: string): SaveResult {
    // an older autosave must not come back as if it were the current state
    this.store.removeItem(RECORD + this.windowId);
    return {
      ok: false,
      message: `autosave stopped: ${why}. Save the session to a file to keep your work.`,
    };
  }

  private read(windowId: string): Session | null {
    const text = this.store.getItem(RECORD + windowId);
    if (text === null) return null;
    try {
      return parseSession(text);
    } catch {
      return null; // unreadable (written by another version): not offered
    }
  }

  private setState(windowId: string, ending: Ending): void {
    try {
      this.store.setItem(STATE + windowId, ending);
    } catch {
      // full storage: the record, if any, then counts as unclean, which errs on the side of offering it
    }
  }

  private windowIds(): string[] {
    const ids: string[] = [];
    for (let i = 0; i < this.store.length; i++) {
      const key = this.store.key(i);
      if (key?.startsWith(RECORD)) ids.push(key.slice(RECORD.length));
    }
    return ids;
  }
}

/**
 * This page's autosave, with liveness from Web Locks: each window holds a lock named after it for as long as it
 * lives, and the browser releases it when the page goes, however it goes (a crash included).
 */
export async function openAutosave(): Promise<Autosave> {
  const windowId = `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const locks = (globalThis as { navigator?: { locks?: WindowLocks } }).navigator?.locks;
  void locks?.request(`${LOCK}${windowId}`, () => new Promise<void>(() => {}));
  const liveWindows = async () => {
    if (!locks) return new Set<string>(); // no Web Locks: every other window's record counts as gone
    const held = (await locks.query()).held ?? [];
    return new Set<string>(
      held.flatMap((l) => (l.name?.startsWith(LOCK) ? [l.name.slice(LOCK.length)] : [])),
    );
  };
  const autosave = new Autosave(localStorage, windowId, liveWindows);
  autosave.start();
  await autosave.refresh();
  autosave.prune();
  return autosave;
}

const LOCK = 'rte-workbench:window:';

/** The part of the Web Locks API used (typed here: the core and test builds have no DOM types). */
interface WindowLocks {
  request(name: string, cb: () => Promise<void>): Promise<void>;
  query(): Promise<{ held?: { name?: string }[] }>;
}
