import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';

import { AppProviders } from '@/app';
import { ProtectedRoute } from '@/features/auth/protected-route';
import { AdminProviders } from '@/features/layout/admin-providers';

import { fakeSession, json, type FakeSupabase } from './fake-supabase';

export const AGENT = { id: '11111111-1111-4111-8111-111111111111', email: 'agent@example.com', display_name: 'Ada Agent', role: 'agent' };

/** Answers the password grant for `user` and the `users?id=eq.` agent check (agent or not). */
export function seedAuth(fake: FakeSupabase, options: { agent: boolean; user?: { id: string; email: string } } = { agent: true }) {
  const user = options.user ?? AGENT;
  fake.backend.on('POST', '/auth/v1/token', () => json(fakeSession(user.id, user.email)));
  fake.backend.on('GET', '/rest/v1/users', (request) => {
    if (request.url.searchParams.get('id')) return json(options.agent ? [{ ...AGENT, ...user }] : []);
    return json([AGENT]);
  });
}

/** Renders with every app provider, a memory router at `path`, as a signed-in agent. */
export async function renderAsAgent(ui: ReactElement, fake: FakeSupabase, path = '/admin') {
  seedAuth(fake, { agent: true });
  await fake.client.auth.signInWithPassword({ email: AGENT.email, password: 'pw' });
  return render(
    <AppProviders client={fake.client}>
      <MemoryRouter initialEntries={[path]}>
        <ProtectedRoute>
          <AdminProviders>{ui}</AdminProviders>
        </ProtectedRoute>
      </MemoryRouter>
    </AppProviders>,
  );
}
