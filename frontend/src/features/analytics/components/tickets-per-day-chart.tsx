import { useTheme } from '@mui/material/styles';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { statusLabel } from '@/features/tickets/data/display';
import { ticketStatuses } from '@/features/tickets/data/schema';
import { useSupabase } from '@/lib/supabase-context';
import { seriesColors, statusColor } from '@/theme/chart-colors';

import { fetchTicketsPerDay } from '../data/analytics-api';
import type { DateRange } from '../data/date-range';
import { analyticsKeys } from '../data/query-keys';
import type { Drilldown } from '../data/schema';
import { pivotPerDay, type DayPoint } from '../data/transform';
import { ChartCard } from './chart-card';
import { ChartDataTable } from './chart-data-table';

const shortDay = (day: string) => day.slice(5);

/** `tickets_per_day`: stacked bars by current status; a bar segment lists its tickets. */
export function TicketsPerDayChart({ range, onSelect }: { range: DateRange; onSelect: (selection: Drilldown) => void }) {
  const client = useSupabase();
  const theme = useTheme();
  const query = useQuery({ queryKey: analyticsKeys.perDay(range), queryFn: () => fetchTicketsPerDay(client, range) });
  const points = useMemo(() => pivotPerDay(query.data ?? [], range), [query.data, range]);
  const total = points.reduce((sum, point) => sum + point.total, 0);

  return (
    <ChartCard
      title="Tickets per day"
      description="Tickets created per UTC day, by their current status. Click a bar to list its tickets."
      loading={query.isPending}
      error={query.error}
      empty={total === 0}
    >
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={points} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={seriesColors(theme).grid} vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip />
          <Legend />
          {ticketStatuses.map((status) => (
            <Bar
              key={status}
              dataKey={status}
              name={statusLabel[status]}
              stackId="status"
              fill={statusColor(theme, status)}
              cursor="pointer"
              onClick={(item) => {
                const point = item.payload as DayPoint | undefined;
                if (point) onSelect({ kind: 'day', day: point.day, status });
              }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <ChartDataTable
        caption="Tickets created per day"
        headers={['Day', ...ticketStatuses.map((status) => statusLabel[status]), 'Total']}
        rows={points
          .filter((point) => point.total > 0)
          .map((point) => ({
            key: point.day,
            cells: [point.day, ...ticketStatuses.map((status) => String(point[status])), String(point.total)],
            actionLabel: `List tickets created on ${point.day}`,
            onSelect: () => onSelect({ kind: 'day', day: point.day, status: null }),
          }))}
      />
    </ChartCard>
  );
}
