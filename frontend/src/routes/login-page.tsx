import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';

import { AuthForm } from '@/features/auth/auth-form';
import { useAuth } from '@/features/auth/auth-provider';
import { safeRedirect } from '@/features/auth/redirect';

/**
 * /login: thin route, the form lives in features/auth. The form shows at once; an agent who is
 * already signed in is sent on as soon as the session is known.
 */
export function LoginPage() {
  const { state } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const target = safeRedirect(params.get('redirect'));

  if (state.status === 'agent') return <Navigate to={target} replace />;

  return (
    <Box component="main" sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', px: 2 }}>
      <Paper variant="outlined" sx={{ width: '100%', maxWidth: 420, p: 4 }}>
        <Typography component="h1" variant="h1" gutterBottom>
          supadesk
        </Typography>
        <Typography color="text.secondary" sx={{ mb: 3 }}>
          Sign in to the agent dashboard.
        </Typography>
        <AuthForm onSignedIn={() => void navigate(target, { replace: true })} />
      </Paper>
    </Box>
  );
}
