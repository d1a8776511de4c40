/**
 * Postgres timestamps keep microseconds; Date keeps milliseconds. `timeKey` turns any of the
 * spellings we may receive (PostgREST "2026-01-02T03:04:05.123456+00:00", realtime/wal2json
 * "2026-01-02 03:04:05.123456+00", "...Z", no zone = UTC) into integer epoch microseconds,
 * which are exact in a double until the year 2255.
 */
const TS = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

export function timeKey(ts: string): number {
  const m = TS.exec(ts.trim())
  if (!m) {
    const ms = Date.parse(ts)
    return Number.isNaN(ms) ? 0 : ms * 1000
  }
  const [, date, time, fraction = '', zone = 'Z'] = m
  let offset = zone.toUpperCase()
  if (offset !== 'Z') {
    const digits = offset.replace(':', '')
    offset = `${digits.slice(0, 3)}:${digits.slice(3, 5) || '00'}`
  }
  const seconds = Date.parse(`${date}T${time.length === 5 ? time + ':00' : time}${offset}`)
  if (Number.isNaN(seconds)) return 0
  return seconds * 1000 + Number((fraction + '000000').slice(0, 6))
}

/** ISO string (millisecond precision, rounded down) for epoch microseconds. */
export function isoFromKey(key: number): string {
  return new Date(Math.floor(key / 1000)).toISOString()
}
