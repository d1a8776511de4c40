import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';

import { parseDateRange, type DateRange } from '../data/date-range';
import type { Drilldown } from '../data/schema';
import { DateRangeForm } from './date-range-form';
import { DrilldownList } from './drilldown-list';
import { MetricsCards } from './metrics-cards';
import { TicketsPerDayChart } from './tickets-per-day-chart';
import { WeeklyDurationChart } from './weekly-duration-chart';

/** Analytics tab (its own lazy chunk with Recharts): cards, charts, drill-down to tickets. */
export function AnalyticsDashboard() {
  const [params, setParams] = useSearchParams();
  const from = params.get('from');
  const to = params.get('to');
  const range = useMemo(() => parseDateRange(new URLSearchParams({ from: from ?? '', to: to ?? '' })), [from, to]);
  const [selection, setSelection] = useState<Drilldown | null>(null);

  const applyRange = useCallback(
    (next: DateRange) => {
      setSelection(null);
      setParams({ from: next.from, to: next.to }, { replace: true });
    },
    [setParams],
  );

  return (
    <Stack spacing={3}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ justifyContent: 'space-between' }}>
        <Typography component="h2" variant="h1">
          Analytics
        </Typography>
        <DateRangeForm range={range} onApply={applyRange} />
      </Stack>
      <MetricsCards range={range} />
      <TicketsPerDayChart range={range} onSelect={setSelection} />
      <Stack direction={{ xs: 'column', lg: 'row' }} spacing={2} sx={{ '& > *': { flex: 1, minWidth: 0 } }}>
        <WeeklyDurationChart
          range={range}
          metric="first_response"
          title="First response time per week"
          description="Median and average time to the first agent reply, by week of ticket creation (UTC)."
          onSelect={setSelection}
        />
        <WeeklyDurationChart
          range={range}
          metric="resolution"
          title="Resolution time per week"
          description="Median and average time from creation to resolution, by week of ticket creation (UTC)."
          onSelect={setSelection}
        />
      </Stack>
      {selection && <DrilldownList range={range} selection={selection} onClose={() => setSelection(null)} />}
    </Stack>
  );
}
