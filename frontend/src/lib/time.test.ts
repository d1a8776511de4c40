// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { addDays, formatDuration, formatMicros, parseTimestampMicros } from './time';

const base = Date.UTC(2026, 10, 27, 10, 0, 0) * 1000;

describe('parseTimestampMicros', () => {
  it.each([
    ['2026-11-27T10:00:00Z', base],
    ['2026-11-27T10:00:00.123456+00:00', base + 123_456],
    ['2026-11-27 10:00:00.123456+00', base + 123_456],
    ['2026-11-27T12:00:00.5+02:00', base + 500_000],
    ['2026-11-27T05:30:00-04:30', base],
    ['2026-11-27T10:00:00.123456789Z', base + 123_456],
  ])('%s', (value, expected) => {
    expect(parseTimestampMicros(value)).toBe(expected);
  });

  it('returns NaN for garbage', () => {
    expect(parseTimestampMicros('not a date')).toBeNaN();
  });
});

describe('formatMicros', () => {
  it('round-trips with six fractional digits', () => {
    expect(formatMicros(base + 7)).toBe('2026-11-27T10:00:00.000007Z');
    expect(parseTimestampMicros(formatMicros(base + 987_654))).toBe(base + 987_654);
  });
});

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [45, '45s'],
    [600, '10m'],
    [3600, '1h'],
    [3900, '1h 5m'],
    [86_400 * 2 + 3600 * 4, '2d 4h'],
  ])('%s seconds → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('addDays', () => {
  it('crosses month and year ends in UTC', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
