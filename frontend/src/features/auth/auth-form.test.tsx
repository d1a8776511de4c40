import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';

import { AppProviders } from '@/app';
import { LoginPage } from '@/routes/login-page';
import { createFakeSupabase, json, type FakeSupabase } from '@/test/fake-supabase';
import { seedAuth } from '@/test/render';

function Where() {
  const location = useLocation();
  return <p>at {location.pathname}</p>;
}

function renderLogin(fake: FakeSupabase, path = '/login?redirect=%2Fadmin%2Fanalytics') {
  return render(
    <AppProviders client={fake.client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </AppProviders>,
  );
}

async function fillAndSubmit(email: string, password: string) {
  const user = userEvent.setup();
  if (email) await user.type(screen.getByLabelText('Email'), email);
  if (password) await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('AuthForm on /login', () => {
  it('validates before calling the server, and focuses the first invalid field', async () => {
    const fake = createFakeSupabase();
    renderLogin(fake);
    await fillAndSubmit('', '');
    expect(await screen.findByText('Enter your email')).toBeInTheDocument();
    expect(screen.getByText('Enter your password')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveFocus();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(fake.backend.to('/auth/v1/token')).toHaveLength(0);
  });

  it('rejects a malformed email', async () => {
    const fake = createFakeSupabase();
    renderLogin(fake);
    await fillAndSubmit('not-an-email', 'secret');
    expect(await screen.findByText('Enter a valid email address')).toBeInTheDocument();
    expect(fake.backend.to('/auth/v1/token')).toHaveLength(0);
  });

  it('says so when the password is wrong', async () => {
    const fake = createFakeSupabase();
    fake.backend.on('POST', '/auth/v1/token', () =>
      json({ code: 'invalid_credentials', error_code: 'invalid_credentials', message: 'Invalid login credentials' }, 400, {
        'x-supabase-api-version': '2024-01-01',
      }),
    );
    renderLogin(fake);
    await fillAndSubmit('ada@example.com', 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('Email or password is incorrect.');
    expect(fake.backend.to('/auth/v1/token')[0]?.body).toMatchObject({ email: 'ada@example.com', password: 'wrong' });
  });

  it('signs a visitor (no users row) out again with a clear message', async () => {
    const fake = createFakeSupabase();
    seedAuth(fake, { agent: false, user: { id: '22222222-2222-4222-8222-222222222222', email: 'visitor@example.com' } });
    renderLogin(fake);
    await fillAndSubmit('visitor@example.com', 'secret');
    expect(await screen.findByRole('alert')).toHaveTextContent('not a support agent');
    await waitFor(() => expect(fake.backend.to('/auth/v1/logout')).toHaveLength(1));
    expect(fake.backend.to('/rest/v1/users')[0]?.url.searchParams.get('id')).toBe('eq.22222222-2222-4222-8222-222222222222');
    expect(screen.queryByText(/^at /)).not.toBeInTheDocument();
  });

  it('sends an agent on to the page they asked for', async () => {
    const fake = createFakeSupabase();
    seedAuth(fake, { agent: true });
    renderLogin(fake);
    await fillAndSubmit('agent@example.com', 'secret');
    expect(await screen.findByText('at /admin/analytics')).toBeInTheDocument();
  });
});
