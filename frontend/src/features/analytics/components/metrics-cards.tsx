import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import { useQuery } from '@tanstack/react-query';

import { userMessage } from '@/lib/api-error';
import { useSupabase } from '@/lib/supabase-context';
import { formatDuration } from '@/lib/time';

import { fetchMetrics } from '../data/analytics-api';
import type { DateRange } from '../data/date-range';
import { analyticsKeys } from '../data/query-keys';
import type { TicketMetrics } from '../data/schema';
import { formatShare } from '../data/transform';
import { MetricCard, type MetricCardProps } from './metric-card';

export function metricCards(metrics: TicketMetrics | null | undefined): MetricCardProps[] {
  const ready = metrics !== undefined;
  const m = metrics ?? null;
  return [
    { title: 'Open tickets', value: ready ? String(m?.open_tickets ?? 0) : null, caption: 'Open or pending now' },
    { title: 'New today', value: ready ? String(m?.new_today ?? 0) : null, caption: ready ? `${m?.new_in_range ?? 0} in the selected range` : undefined },
    {
      title: 'First response (median)',
      value: ready ? formatDuration(m?.median_first_response_seconds) : null,
      caption: ready ? `Average ${formatDuration(m?.avg_first_response_seconds)}` : undefined,
    },
    {
      title: 'Resolution (median)',
      value: ready ? formatDuration(m?.median_resolution_seconds) : null,
      caption: ready ? `Average ${formatDuration(m?.avg_resolution_seconds)}` : undefined,
    },
    { title: 'Resolved share', value: ready ? formatShare(m?.resolved_share ?? null) : null, caption: 'Of tickets created in the range' },
  ];
}

/** The `ticket_metrics` RPC as five cards. */
export function MetricsCards({ range }: { range: DateRange }) {
  const client = useSupabase();
  const metrics = useQuery({ queryKey: analyticsKeys.metrics(range), queryFn: () => fetchMetrics(client, range) });
  if (metrics.error) return <Alert severity="error">{userMessage(metrics.error)}</Alert>;
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fit, minmax(190px, 1fr))' }}>
      {metricCards(metrics.data).map((card) => (
        <MetricCard key={card.title} {...card} />
      ))}
    </Box>
  );
}
