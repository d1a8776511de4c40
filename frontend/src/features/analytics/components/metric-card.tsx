import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useId } from 'react';

export interface MetricCardProps {
  title: string;
  value: string | null;
  caption?: string;
}

/** A titled number; `value: null` while loading. */
export function MetricCard({ title, value, caption }: MetricCardProps) {
  const id = useId();
  return (
    <Card component="section" aria-labelledby={id} sx={{ height: '100%' }}>
      <CardContent>
        <Typography id={id} component="h3" variant="body2" color="text.secondary" sx={{ fontWeight: 600 }}>
          {title}
        </Typography>
        <Typography variant="h1" component="p" sx={{ fontSize: '2rem', my: 0.5 }}>
          {value ?? <Skeleton width={80} aria-label={`Loading ${title}`} />}
        </Typography>
        {caption && (
          <Typography variant="caption" color="text.secondary">
            {caption}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}
