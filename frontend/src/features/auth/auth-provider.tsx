import type { Session } from '@supabase/supabase-js';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

import type { Agent } from '@/features/tickets/data/schema';
import { userMessage } from '@/lib/api-error';
import type { DeskClient } from '@/lib/supabase-client';
import { useSupabaseReady } from '@/lib/supabase-context';

import { fetchAgentProfile } from './agent-api';
import { NOT_AN_AGENT_MESSAGE } from './schema';

export type AuthState =
  | { status: 'loading' }
  /** `loggedOut`: the agent pressed Log out (no return URL is kept). */
  | { status: 'signed-out'; notice: string | null; loggedOut?: boolean }
  | { status: 'agent'; session: Session; agent: Agent };

export type SignInResult = { ok: true } | { ok: false; message: string };

interface AuthContextValue {
  state: AuthState;
  signIn: (email: string, password: string) => Promise<SignInResult>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

function signInMessage(error: { code?: string | undefined; status?: number | undefined; message: string }): string {
  if (error.code === 'invalid_credentials' || (error.status === 400 && !error.code)) return 'Email or password is incorrect.';
  if (error.status === 429) return 'Too many attempts. Wait a moment and try again.';
  if (!error.status) return 'Cannot reach the server. Check your connection.';
  return error.message;
}

/** Session + agent profile. A session whose user is not in `users` is signed out at once. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const ready = useSupabaseReady();
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  // One profile request per user, shared by sign-in and the auth events it triggers.
  const profiles = useRef(new Map<string, Promise<Agent | null>>());

  const resolveSession = useCallback(async (client: DeskClient, session: Session | null): Promise<AuthState> => {
    if (!session) return { status: 'signed-out', notice: null };
    const userId = session.user.id;
    let profile = profiles.current.get(userId);
    if (!profile) {
      profile = fetchAgentProfile(client, userId);
      profiles.current.set(userId, profile);
      profile.catch(() => profiles.current.delete(userId));
    }
    const agent = await profile;
    if (agent) return { status: 'agent', session, agent };
    profiles.current.delete(userId);
    await client.auth.signOut({ scope: 'local' });
    return { status: 'signed-out', notice: NOT_AN_AGENT_MESSAGE };
  }, []);

  useEffect(() => {
    let active = true;
    let unsubscribe = () => {};
    const settle = (client: DeskClient, session: Session | null) =>
      resolveSession(client, session)
        .catch((error: unknown): AuthState => ({ status: 'signed-out', notice: userMessage(error) }))
        .then((next) => {
          if (active) setState((prev) => (next.status === 'signed-out' && prev.status === 'signed-out' && !next.notice ? prev : next));
        });
    ready.then(
      (client) => {
        if (!active) return;
        const { data } = client.auth.onAuthStateChange((event, session) => {
          // auth-js holds a lock while calling back: never await Supabase calls in here.
          setTimeout(() => {
            if (!active) return;
            if (event === 'TOKEN_REFRESHED' || event === 'USER_UPDATED') {
              setState((prev) => (prev.status === 'agent' && session && prev.session.user.id === session.user.id ? { ...prev, session } : prev));
            } else if (!session) {
              setState((prev) => (prev.status === 'signed-out' ? prev : { status: 'signed-out', notice: null }));
            } else {
              void settle(client, session);
            }
          }, 0);
        });
        unsubscribe = () => data.subscription.unsubscribe();
      },
      (error: unknown) => {
        if (active) setState({ status: 'signed-out', notice: `supadesk could not start: ${error instanceof Error ? error.message : 'unknown error'}` });
      },
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, [ready, resolveSession]);

  const signIn = useCallback(
    async (email: string, password: string): Promise<SignInResult> => {
      let client: DeskClient;
      try {
        client = await ready;
      } catch {
        return { ok: false, message: 'supadesk could not start. Reload the page.' };
      }
      const { data, error } = await client.auth.signInWithPassword({ email, password });
      if (error) return { ok: false, message: signInMessage(error) };
      try {
        const next = await resolveSession(client, data.session);
        setState(next);
        if (next.status === 'agent') return { ok: true };
        return { ok: false, message: (next.status === 'signed-out' && next.notice) || NOT_AN_AGENT_MESSAGE };
      } catch (failure) {
        await client.auth.signOut({ scope: 'local' });
        return { ok: false, message: userMessage(failure) };
      }
    },
    [ready, resolveSession],
  );

  const signOut = useCallback(async () => {
    const client = await ready;
    profiles.current.clear();
    await client.auth.signOut({ scope: 'local' });
    setState({ status: 'signed-out', notice: null, loggedOut: true });
  }, [ready]);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>.');
  return value;
}

/** The signed-in agent; only valid below <ProtectedRoute>. */
export function useAgent(): Agent {
  const { state } = useAuth();
  if (state.status !== 'agent') throw new Error('useAgent must be used below <ProtectedRoute>.');
  return state.agent;
}
