import Alert from '@mui/material/Alert';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';

import { userMessage } from '@/lib/api-error';

interface ChartCardProps {
  title: string;
  description: string;
  loading: boolean;
  error: unknown;
  empty: boolean;
  children: ReactNode;
}

/** A titled chart with its loading, error and empty states. */
export function ChartCard({ title, description, loading, error, empty, children }: ChartCardProps) {
  const id = useId();
  return (
    <Card component="section" aria-labelledby={id} sx={{ height: '100%' }}>
      <CardContent>
        <Typography id={id} component="h3" variant="h3">
          {title}
        </Typography>
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 2 }}>
          {description}
        </Typography>
        {error ? (
          <Alert severity="error">{userMessage(error)}</Alert>
        ) : loading ? (
          <Skeleton variant="rounded" height={260} aria-label={`Loading ${title}`} />
        ) : empty ? (
          <Typography color="text.secondary" sx={{ py: 8, textAlign: 'center' }}>
            No tickets in this range.
          </Typography>
        ) : (
          children
        )}
      </CardContent>
    </Card>
  );
}
