// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { createFakeSupabase, json } from '@/test/fake-supabase';

import { fetchDrilldown, fetchMetrics } from './analytics-api';
import { dateRangeSchema, daysOf, lastDays, parseDateRange, rpcRange } from './date-range';
import { durationUnit, formatShare, pivotPerDay, weeklyPoints } from './transform';

const range = { from: '2026-11-01', to: '2026-11-03' };

describe('date ranges', () => {
  it('turns whole UTC days into the half-open instant range the SQL functions take', () => {
    expect(rpcRange(range)).toEqual({ range_start: '2026-11-01T00:00:00Z', range_end: '2026-11-04T00:00:00Z' });
  });

  it('defaults to the last 30 days when the URL has none or a bad one', () => {
    const today = new Date('2026-11-27T15:00:00Z');
    expect(parseDateRange(new URLSearchParams(), today)).toEqual({ from: '2026-10-29', to: '2026-11-27' });
    expect(parseDateRange(new URLSearchParams('from=2026-11-10&to=2026-11-01'), today)).toEqual(lastDays(30, today));
  });

  it('validates order and length', () => {
    expect(dateRangeSchema.safeParse(range).success).toBe(true);
    expect(dateRangeSchema.safeParse({ from: '2026-11-03', to: '2026-11-01' }).error?.issues[0]?.message).toBe(
      'The end date must be on or after the start date',
    );
    expect(dateRangeSchema.safeParse({ from: '2024-01-01', to: '2026-01-01' }).error?.issues[0]?.message).toBe(
      'Choose at most one year',
    );
  });

  it('lists every day of the range', () => {
    expect(daysOf(range)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
  });
});

describe('transforms', () => {
  it('pivots tickets_per_day rows into one zero-filled point per day', () => {
    const points = pivotPerDay(
      [
        { day: '2026-11-01', status: 'open', tickets: 2 },
        { day: '2026-11-01', status: 'resolved', tickets: 1 },
        { day: '2026-11-03', status: 'closed', tickets: 4 },
        { day: '2026-12-25', status: 'open', tickets: 9 },
      ],
      range,
    );
    expect(points).toEqual([
      { day: '2026-11-01', total: 3, open: 2, pending: 0, resolved: 1, closed: 0 },
      { day: '2026-11-02', total: 0, open: 0, pending: 0, resolved: 0, closed: 0 },
      { day: '2026-11-03', total: 4, open: 0, pending: 0, resolved: 0, closed: 4 },
    ]);
  });

  it('picks a readable unit for weekly durations', () => {
    expect(durationUnit(90 * 60).label).toBe('minutes');
    expect(durationUnit(5 * 3600).label).toBe('hours');
    expect(durationUnit(3 * 86_400).label).toBe('days');
    const { points, unit } = weeklyPoints([{ week: '2026-11-02', avg_seconds: 5400, median_seconds: 3600, tickets: 3 }]);
    expect(unit.label).toBe('minutes');
    expect(points[0]).toMatchObject({ week: '2026-11-02', average: 90, median: 60, tickets: 3 });
  });

  it('formats the resolved share', () => {
    expect(formatShare(0.456)).toBe('46%');
    expect(formatShare(null)).toBe('—');
  });
});

describe('analytics API', () => {
  it('calls ticket_metrics with the range and accepts numeric strings and nulls', async () => {
    const { client, backend } = createFakeSupabase();
    backend.on('POST', '/rest/v1/rpc/ticket_metrics', () =>
      json([{ open_tickets: '4', new_today: 1, new_in_range: 9, avg_first_response_seconds: null, median_first_response_seconds: 60.5, avg_resolution_seconds: null, median_resolution_seconds: null, resolved_share: 0.5 }]),
    );
    const metrics = await fetchMetrics(client, range);
    expect(backend.to('/rest/v1/rpc/ticket_metrics')[0]?.body).toEqual(rpcRange(range));
    expect(metrics).toMatchObject({ open_tickets: 4, median_first_response_seconds: 60.5, avg_first_response_seconds: null });
  });

  it('drills a day bar down to that day’s tickets with that status', async () => {
    const { client, backend } = createFakeSupabase();
    backend.on('GET', '/rest/v1/tickets', () => json([]));
    await fetchDrilldown(client, range, { kind: 'day', day: '2026-11-02', status: 'open' });
    const params = backend.to('/rest/v1/tickets')[0]!.url.searchParams;
    expect(params.getAll('created_at')).toEqual(['gte.2026-11-02T00:00:00Z', 'lt.2026-11-03T00:00:00Z']);
    expect(params.get('status')).toBe('eq.open');
  });

  it('drills a week point down to that week’s answered tickets, clipped to the range', async () => {
    const { client, backend } = createFakeSupabase();
    backend.on('GET', '/rest/v1/tickets', () => json([]));
    await fetchDrilldown(client, range, { kind: 'week', week: '2026-10-26', metric: 'first_response' });
    const params = backend.to('/rest/v1/tickets')[0]!.url.searchParams;
    expect(params.getAll('created_at')).toEqual(['gte.2026-11-01T00:00:00Z', 'lt.2026-11-02T00:00:00Z']);
    expect(params.get('first_response_at')).toBe('not.is.null');
  });
});
