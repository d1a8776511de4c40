import Alert from '@mui/material/Alert';

/** Shown while live updates are paused; what was missed is fetched when they resume. */
export function ConnectionBanner({ paused }: { paused: boolean }) {
  if (!paused) return null;
  return (
    <Alert severity="warning" role="status" variant="filled" sx={{ borderRadius: 0 }}>
      Live updates paused. Reconnecting… Anything missed will be loaded when the connection is back.
    </Alert>
  );
}
