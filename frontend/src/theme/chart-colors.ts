import type { Theme } from '@mui/material/styles';

type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed';

/** Chart series colours come from the palette so charts and chips agree. */
export function statusColor(theme: Theme, status: TicketStatus): string {
  switch (status) {
    case 'open':
      return theme.palette.info.main;
    case 'pending':
      return theme.palette.warning.main;
    case 'resolved':
      return theme.palette.success.main;
    case 'closed':
      return theme.palette.grey[600];
  }
}

export function seriesColors(theme: Theme): { average: string; median: string; grid: string } {
  return {
    average: theme.palette.secondary.main,
    median: theme.palette.primary.main,
    grid: theme.palette.divider,
  };
}
