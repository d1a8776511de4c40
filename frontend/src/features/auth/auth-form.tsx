import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';

import { FormTextField } from '@/components/form-text-field';
import { useZodForm } from '@/lib/use-zod-form';

import { useAuth } from './auth-provider';
import { loginSchema } from './schema';

/** Email + password sign-in for agents (`signInWithPassword`, then the agent check). */
export function AuthForm({ onSignedIn }: { onSignedIn?: () => void }) {
  const { state, signIn } = useAuth();
  const [failure, setFailure] = useState<string | null>(null);
  const { field, handleSubmit, isSubmitting } = useZodForm(loginSchema, { email: '', password: '' });

  const notice = failure ?? (state.status === 'signed-out' ? state.notice : null);

  const onSubmit = handleSubmit(async ({ email, password }) => {
    setFailure(null);
    const result = await signIn(email, password);
    if (result.ok) onSignedIn?.();
    else setFailure(result.message);
  });

  return (
    <Stack component="form" noValidate onSubmit={(event) => void onSubmit(event)} spacing={2} aria-label="Agent login">
      <Typography role="alert" color="error" sx={{ fontWeight: 600, '&:empty': { display: 'none' } }}>
        {notice ?? ''}
      </Typography>
      <FormTextField label="Email" type="email" autoComplete="username" autoFocus binding={field('email')} />
      <FormTextField label="Password" type="password" autoComplete="current-password" binding={field('password')} />
      <Button type="submit" variant="contained" size="large" loading={isSubmitting}>
        Sign in
      </Button>
    </Stack>
  );
}
