import * as z from 'zod/v4/mini';

import { ticketStatusSchema, type TicketStatus } from '@/features/tickets/data/schema';

/** PostgREST renders bigint and double precision as numbers; accept numeric strings too. */
const num = z.union([
  z.number(),
  z.pipe(z.string().check(z.regex(/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i)), z.transform(Number)),
]);
const optionalNum = z.pipe(z.optional(z.nullable(num)), z.transform((value) => value ?? null));

export const ticketMetricsSchema = z.object({
  open_tickets: num,
  new_today: num,
  new_in_range: num,
  avg_first_response_seconds: optionalNum,
  median_first_response_seconds: optionalNum,
  avg_resolution_seconds: optionalNum,
  median_resolution_seconds: optionalNum,
  resolved_share: optionalNum,
});
export type TicketMetrics = z.infer<typeof ticketMetricsSchema>;

export const ticketsPerDayRowSchema = z.object({
  day: z.string(),
  status: ticketStatusSchema,
  tickets: num,
});
export type TicketsPerDayRow = z.infer<typeof ticketsPerDayRowSchema>;

export const weeklyDurationRowSchema = z.object({
  week: z.string(),
  avg_seconds: optionalNum,
  median_seconds: optionalNum,
  tickets: num,
});
export type WeeklyDurationRow = z.infer<typeof weeklyDurationRowSchema>;

export const weeklyMetrics = ['first_response', 'resolution'] as const;
export type WeeklyMetric = (typeof weeklyMetrics)[number];

/** What a click on a chart point asks to list. */
export type Drilldown =
  | { kind: 'day'; day: string; status: TicketStatus | null }
  | { kind: 'week'; week: string; metric: WeeklyMetric };
