import { Logger } from 'pino';

/** How far ahead each look arms timers, and how often it looks. */
export const LOOKAHEAD_MS = 2_000;
const LOOK_EVERY_MS = 500;

export interface DueTimersSpec<T> {
  /** Items due before `time` (including overdue ones). */
  dueBefore: (time: Date) => Promise<T[]>;
  keyOf: (item: T) => string;
  dueAt: (item: T) => number;
  /** Runs at the item's time; the key stays armed until `disarm(key)`. */
  fire: (item: T, key: string) => void;
  log: Logger;
  what: string;
}

/**
 * Timers for whatever is due soon: every look at the store arms one timer per item due within the
 * look-ahead, so work fires within milliseconds of its time, and an item whose time passed while no
 * instance ran is due at once.
 */
export class DueTimers<T> {
  private readonly armed = new Map<string, NodeJS.Timeout>();
  private looker?: NodeJS.Timeout;

  constructor(private readonly spec: DueTimersSpec<T>) {}

  async start(): Promise<void> {
    this.looker = setInterval(() => void this.look(), LOOK_EVERY_MS);
    await this.look();
  }

  stop(): void {
    clearInterval(this.looker);
    this.armed.forEach((t) => clearTimeout(t));
    this.armed.clear();
  }

  async look(): Promise<void> {
    try {
      (await this.spec.dueBefore(new Date(Date.now() + LOOKAHEAD_MS))).forEach((item) => this.arm(item));
    } catch (e) {
      this.spec.log.error({ err: e }, `looking for ${this.spec.what} failed`);
    }
  }

  arm(item: T): void {
    const key = this.spec.keyOf(item);
    if (this.armed.has(key)) return;
    this.armed.set(
      key,
      setTimeout(() => this.spec.fire(item, key), Math.max(0, this.spec.dueAt(item) - Date.now())),
    );
  }

  /** The next look may arm the key again (when its item is still due). */
  disarm(key: string, afterMs = 0): void {
    if (afterMs > 0) setTimeout(() => this.armed.delete(key), afterMs);
    else this.armed.delete(key);
  }
}
