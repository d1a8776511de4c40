import type { TicketStatus } from '@/features/tickets/data/schema';

import { daysOf, type DateRange } from './date-range';
import type { TicketsPerDayRow, WeeklyDurationRow } from './schema';

export type DayPoint = { day: string; total: number } & Record<TicketStatus, number>;

/** One point per day of the range (days without tickets are zeros), one field per status. */
export function pivotPerDay(rows: readonly TicketsPerDayRow[], range: DateRange): DayPoint[] {
  const byDay = new Map<string, DayPoint>();
  for (const day of daysOf(range)) byDay.set(day, { day, total: 0, open: 0, pending: 0, resolved: 0, closed: 0 });
  for (const row of rows) {
    const point = byDay.get(row.day.slice(0, 10));
    if (!point) continue;
    point[row.status] += row.tickets;
    point.total += row.tickets;
  }
  return [...byDay.values()];
}

export type DurationUnit = { label: 'minutes' | 'hours' | 'days'; seconds: number };

/** The unit that keeps the largest value readable (≤ 2 days → hours, ≤ 2 hours → minutes). */
export function durationUnit(maxSeconds: number): DurationUnit {
  if (maxSeconds <= 2 * 3600) return { label: 'minutes', seconds: 60 };
  if (maxSeconds <= 2 * 86_400) return { label: 'hours', seconds: 3600 };
  return { label: 'days', seconds: 86_400 };
}

export interface WeekPoint {
  week: string;
  average: number | null;
  median: number | null;
  averageSeconds: number | null;
  medianSeconds: number | null;
  tickets: number;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export function weeklyPoints(rows: readonly WeeklyDurationRow[]): { points: WeekPoint[]; unit: DurationUnit } {
  const maxSeconds = Math.max(0, ...rows.flatMap((row) => [row.avg_seconds ?? 0, row.median_seconds ?? 0]));
  const unit = durationUnit(maxSeconds);
  const scale = (value: number | null) => (value === null ? null : round1(value / unit.seconds));
  return {
    unit,
    points: rows.map((row) => ({
      week: row.week.slice(0, 10),
      average: scale(row.avg_seconds),
      median: scale(row.median_seconds),
      averageSeconds: row.avg_seconds,
      medianSeconds: row.median_seconds,
      tickets: row.tickets,
    })),
  };
}

/** "45%" from a 0..1 share. */
export function formatShare(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}
