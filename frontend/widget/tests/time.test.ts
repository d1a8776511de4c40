import { describe, expect, it } from 'vitest'
import { isoFromKey, timeKey } from '../src/frame/sync/time'

describe('timeKey', () => {
  const base = Date.UTC(2026, 0, 2, 3, 4, 5) * 1000

  it.each([
    ['2026-01-02T03:04:05.123456+00:00', base + 123456],
    ['2026-01-02 03:04:05.123456+00', base + 123456],
    ['2026-01-02T03:04:05.123456Z', base + 123456],
    ['2026-01-02T03:04:05.123456', base + 123456],
    ['2026-01-02T03:04:05.1+00:00', base + 100000],
    ['2026-01-02T03:04:05+00:00', base],
    ['2026-01-02T05:04:05.000001+02:00', base + 1],
    ['2026-01-02T01:34:05.5-0130', base + 500000],
    ['2026-01-02T03:04:05.1234567+00:00', base + 123456],
  ])('parses %s to microseconds', (ts, expected) => {
    expect(timeKey(ts)).toBe(expected)
  })

  it('orders microseconds that Date would collapse', () => {
    expect(timeKey('2026-01-02T03:04:05.123456Z')).toBeGreaterThan(timeKey('2026-01-02T03:04:05.123455Z'))
    expect(Date.parse('2026-01-02T03:04:05.123456Z')).toBe(Date.parse('2026-01-02T03:04:05.123455Z'))
  })

  it('returns 0 for garbage rather than NaN (sorts first, never poisons comparisons)', () => {
    expect(timeKey('not a time')).toBe(0)
  })

  it('isoFromKey rounds down to milliseconds', () => {
    expect(isoFromKey(base + 123999)).toBe('2026-01-02T03:04:05.123Z')
  })
})
