import * as z from 'zod/v4/mini';

import { addDays, isoDay } from '@/lib/time';

export const MAX_RANGE_DAYS = 366;

const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the format YYYY-MM-DD'));

/** A range of whole UTC days, both ends included (the analytics functions count UTC days). */
export const dateRangeSchema = z.object({ from: day, to: day }).check(
  z.refine((range) => range.from <= range.to, { path: ['to'], error: 'The end date must be on or after the start date' }),
  z.refine((range) => daysBetween(range.from, range.to) < MAX_RANGE_DAYS, {
    path: ['from'],
    error: 'Choose at most one year',
  }),
);
export type DateRange = z.infer<typeof dateRangeSchema>;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function lastDays(days: number, today: Date = new Date()): DateRange {
  const to = isoDay(today);
  return { from: addDays(to, -(days - 1)), to };
}

/** `?from=&to=` from the URL, or the last 30 days. */
export function parseDateRange(params: URLSearchParams, today: Date = new Date()): DateRange {
  const parsed = dateRangeSchema.safeParse({ from: params.get('from'), to: params.get('to') });
  return parsed.success ? parsed.data : lastDays(30, today);
}

/** The RPC arguments: the half-open instant range [from 00:00Z, day after `to` 00:00Z). */
export function rpcRange(range: DateRange): { range_start: string; range_end: string } {
  return { range_start: `${range.from}T00:00:00Z`, range_end: `${addDays(range.to, 1)}T00:00:00Z` };
}

/** Every day of the range, in order. */
export function daysOf(range: DateRange): string[] {
  const days: string[] = [];
  for (let current = range.from; current <= range.to && days.length <= MAX_RANGE_DAYS; current = addDays(current, 1)) {
    days.push(current);
  }
  return days;
}
