import Typography from '@mui/material/Typography';

/** A polite live region: screen readers hear when the visitor starts typing. */
export function TypingIndicator({ active }: { active: boolean }) {
  return (
    <Typography variant="body2" color="text.secondary" aria-live="polite" sx={{ minHeight: 20, fontStyle: 'italic' }}>
      {active ? 'Customer is typing…' : ''}
    </Typography>
  );
}
