import { isWithinWindow, nextOpening, windowFor } from './call-window';

const ny = { start: '09:00', end: '20:00', timezone: 'America/New_York' };

describe('call window', () => {
  it('is open between start and end local time, closed at end', () => {
    expect(isWithinWindow(ny, new Date('2026-07-01T13:00:00Z'))).toBe(true); // 09:00 EDT
    expect(isWithinWindow(ny, new Date('2026-07-01T12:59:00Z'))).toBe(false); // 08:59 EDT
    expect(isWithinWindow(ny, new Date('2026-07-02T00:00:00Z'))).toBe(false); // 20:00 EDT
    expect(isWithinWindow(ny, new Date('2026-07-01T23:59:00Z'))).toBe(true); // 19:59 EDT
  });

  it('follows daylight saving: 09:00 local is 14:00 UTC in winter and 13:00 UTC in summer', () => {
    expect(isWithinWindow(ny, new Date('2026-01-15T13:30:00Z'))).toBe(false); // 08:30 EST
    expect(isWithinWindow(ny, new Date('2026-01-15T14:00:00Z'))).toBe(true);
    expect(nextOpening(ny, new Date('2026-01-15T05:00:00Z')).toISOString()).toBe('2026-01-15T14:00:00.000Z');
    expect(nextOpening(ny, new Date('2026-07-15T05:00:00Z')).toISOString()).toBe('2026-07-15T13:00:00.000Z');
  });

  it('opens on the day after the DST switch at the right UTC instant', () => {
    // US clocks go forward on 2026-03-08; the evening before is EST, the next morning EDT.
    expect(nextOpening(ny, new Date('2026-03-08T02:00:00Z')).toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it('handles a start time skipped by the spring-forward jump', () => {
    const early = { start: '02:30', end: '05:00', timezone: 'America/New_York' };
    const opening = nextOpening(early, new Date('2026-03-08T05:00:00Z')); // 00:00 EST
    expect(isWithinWindow(early, opening)).toBe(true);
    expect(opening.toISOString()).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT, the first valid instant
  });

  it('spans midnight when end is before start', () => {
    const night = { start: '22:00', end: '06:00', timezone: 'UTC' };
    expect(isWithinWindow(night, new Date('2026-07-01T23:00:00Z'))).toBe(true);
    expect(isWithinWindow(night, new Date('2026-07-01T05:59:00Z'))).toBe(true);
    expect(isWithinWindow(night, new Date('2026-07-01T12:00:00Z'))).toBe(false);
    expect(nextOpening(night, new Date('2026-07-01T12:00:00Z')).toISOString()).toBe('2026-07-01T22:00:00.000Z');
  });

  it('returns now when already open, and the next day once closed for today', () => {
    const now = new Date('2026-07-01T15:00:00Z');
    expect(nextOpening(ny, now)).toBe(now);
    expect(nextOpening(ny, new Date('2026-07-02T01:00:00Z')).toISOString()).toBe('2026-07-02T13:00:00.000Z');
  });

  it("uses the contact's time zone over the campaign's, ignoring an unknown zone", () => {
    expect(windowFor(ny, 'Europe/Berlin')?.timezone).toBe('Europe/Berlin');
    expect(windowFor(ny, 'Mars/Olympus')?.timezone).toBe('America/New_York');
    expect(windowFor(undefined, 'Europe/Berlin')).toBeUndefined();
  });
});
