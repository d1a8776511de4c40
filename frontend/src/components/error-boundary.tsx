import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { Component, type ReactNode } from 'react';

interface State {
  failed: boolean;
}

/** Catches render errors and failed lazy chunks (e.g. after a deploy) with a way out. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Box component="main" role="alert" sx={{ maxWidth: 560, mx: 'auto', mt: 8, px: 2 }}>
        <Typography component="h1" variant="h2" gutterBottom>
          Something went wrong while loading this page.
        </Typography>
        <Button variant="contained" onClick={() => window.location.reload()}>
          Reload
        </Button>
      </Box>
    );
  }
}
