/**
 * Timestamps as microseconds since the epoch. PostgREST and Realtime may render the same
 * timestamptz differently ("2026-01-02T03:04:05.123456+00:00" vs "2026-01-02 03:04:05.123456+00"),
 * and Date.parse drops microseconds, which the (created_at, id) cursor needs.
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseTimestampMicros(value: string): number {
  const match = TIMESTAMP.exec(value.trim());
  if (!match) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? Number.NaN : ms * 1000;
  }
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  return (ms - zoneOffsetMinutes(zone) * 60_000) * 1000 + micros;
}

function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || '0');
  return sign * (hours * 60 + minutes);
}

/** Renders microseconds as ISO 8601 UTC with all six fractional digits. */
export function formatMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const rest = String(micros - ms * 1000).padStart(3, '0');
  return new Date(ms).toISOString().replace('Z', `${rest}Z`);
}

/** "45s", "12m", "3h 5m", "2d 4h" */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}d ${hours % 24}h` : `${days}d`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export function formatDateTime(value: string): string {
  const ms = parseTimestampMicros(value) / 1000;
  return Number.isNaN(ms) ? value : dateTime.format(ms);
}

export function formatTime(value: string): string {
  const ms = parseTimestampMicros(value) / 1000;
  return Number.isNaN(ms) ? value : timeOnly.format(ms);
}

/** YYYY-MM-DD (UTC) of a Date, the format of `<input type="date">` and of the analytics days. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Adds days to a YYYY-MM-DD string (UTC calendar). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDay(date);
}
