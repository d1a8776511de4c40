import { useTheme } from '@mui/material/styles';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { useSupabase } from '@/lib/supabase-context';
import { formatDuration } from '@/lib/time';
import { seriesColors } from '@/theme/chart-colors';

import { fetchWeekly } from '../data/analytics-api';
import type { DateRange } from '../data/date-range';
import { analyticsKeys } from '../data/query-keys';
import type { Drilldown, WeeklyMetric } from '../data/schema';
import { weeklyPoints } from '../data/transform';
import { ChartCard } from './chart-card';
import { ChartDataTable } from './chart-data-table';

interface WeeklyDurationChartProps {
  range: DateRange;
  metric: WeeklyMetric;
  title: string;
  description: string;
  onSelect: (selection: Drilldown) => void;
}

/** `first_response_per_week` / `resolution_time_per_week`: average and median per week. */
export function WeeklyDurationChart({ range, metric, title, description, onSelect }: WeeklyDurationChartProps) {
  const client = useSupabase();
  const theme = useTheme();
  const colors = seriesColors(theme);
  const query = useQuery({ queryKey: analyticsKeys.weekly(range, metric), queryFn: () => fetchWeekly(client, range, metric) });
  const { points, unit } = useMemo(() => weeklyPoints(query.data ?? []), [query.data]);

  const select = (index: unknown) => {
    const point = typeof index === 'number' ? points[index] : typeof index === 'string' ? points[Number(index)] : undefined;
    if (point) onSelect({ kind: 'week', week: point.week, metric });
  };

  return (
    <ChartCard title={title} description={description} loading={query.isPending} error={query.error} empty={points.length === 0}>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart
          data={points}
          margin={{ top: 8, right: 8, left: 0, bottom: 0 }}
          onClick={(state) => select(state?.activeIndex)}
          style={{ cursor: 'pointer' }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke={colors.grid} vertical={false} />
          <XAxis dataKey="week" tickFormatter={(week: string) => week.slice(5)} />
          <YAxis width={48} label={{ value: unit.label, angle: -90, position: 'insideLeft' }} />
          <Tooltip formatter={(value) => `${String(value)} ${unit.label}`} />
          <Legend />
          <Line type="monotone" dataKey="median" name="Median" stroke={colors.median} strokeWidth={2} />
          <Line type="monotone" dataKey="average" name="Average" stroke={colors.average} strokeDasharray="5 4" />
        </LineChart>
      </ResponsiveContainer>
      <ChartDataTable
        caption={title}
        headers={['Week of', 'Median', 'Average', 'Tickets']}
        rows={points.map((point) => ({
          key: point.week,
          cells: [point.week, formatDuration(point.medianSeconds), formatDuration(point.averageSeconds), String(point.tickets)],
          actionLabel: `List tickets of the week of ${point.week}`,
          onSelect: () => onSelect({ kind: 'week', week: point.week, metric }),
        }))}
      />
    </ChartCard>
  );
}
