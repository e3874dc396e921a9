import { DateTime, IANAZone } from 'luxon';

/** Local opening hours, `HH:MM` each; `end` before `start` spans midnight (e.g. 20:00-08:00). */
export interface CallWindow {
  start: string;
  end: string;
  timezone: string;
}

export function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The window that applies to one contact: its own time zone wins over the campaign's. */
export function windowFor(campaignWindow: CallWindow | undefined, contactTimezone?: string): CallWindow | undefined {
  if (!campaignWindow) return undefined;
  return contactTimezone && isValidTimezone(contactTimezone) ? { ...campaignWindow, timezone: contactTimezone } : campaignWindow;
}

/** Whether a call may start at `now` (daylight saving follows the zone's rules). */
export function isWithinWindow(window: CallWindow, now: Date): boolean {
  const local = DateTime.fromJSDate(now, { zone: window.timezone });
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return true;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** `now` when the window is open, else the next instant it opens. */
export function nextOpening(window: CallWindow, now: Date): Date {
  if (isWithinWindow(window, now)) return now;
  const local = DateTime.fromJSDate(now, { zone: window.timezone });
  const [hour, minute] = window.start.split(':').map(Number);
  for (let day = 0; day <= 2; day++) {
    let candidate = local.plus({ days: day }).set({ hour, minute, second: 0, millisecond: 0 });
    // A start time skipped by a spring-forward jump: the window opens when the clocks jump.
    if (candidate.hour !== hour || candidate.minute !== minute) candidate = candidate.startOf('hour');
    if (candidate.toMillis() > now.getTime()) return candidate.toJSDate();
  }
  throw new Error(`call window ${window.start}-${window.end} ${window.timezone} never opens`);
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
