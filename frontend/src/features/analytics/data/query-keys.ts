import type { DateRange } from './date-range';
import type { Drilldown, WeeklyMetric } from './schema';

export const analyticsKeys = {
  all: ['analytics'] as const,
  range: (range: DateRange) => [...analyticsKeys.all, range] as const,
  metrics: (range: DateRange) => [...analyticsKeys.range(range), 'metrics'] as const,
  perDay: (range: DateRange) => [...analyticsKeys.range(range), 'per-day'] as const,
  weekly: (range: DateRange, metric: WeeklyMetric) => [...analyticsKeys.range(range), 'weekly', metric] as const,
  drilldown: (range: DateRange, selection: Drilldown) => [...analyticsKeys.range(range), 'drilldown', selection] as const,
};
