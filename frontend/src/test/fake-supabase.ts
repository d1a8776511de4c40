import { createDeskClient, type DeskClient } from '@/lib/supabase-client';

import { createFakeBackend, json, type FakeBackend } from './fake-backend';

export const API_URL = 'http://desk.test';
/** A JWT-shaped anon key (role anon); never a real secret. */
export const ANON_KEY = `${btoa('{"alg":"none"}')}.${btoa('{"role":"anon","iss":"test"}')}.signature`;

/** A WebSocket that never connects: Realtime channels stay "joining" unless a test drives them. */
export class SilentWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 0;
  protocol = '';
  binaryType = 'arraybuffer';
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {}

  send(): void {}
  close(): void {
    this.readyState = 3;
  }
  addEventListener(): void {}
  removeEventListener(): void {}
}

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (index) => [...data.keys()][index] ?? null,
    removeItem: (key) => void data.delete(key),
    setItem: (key, value) => void data.set(key, value),
  };
}

function base64url(value: object): string {
  return btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

export function fakeSession(userId: string, email: string) {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const claims = { sub: userId, email, role: 'authenticated', aud: 'authenticated', exp, session_id: 's1' };
  return {
    access_token: `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}.sig`,
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: exp,
    refresh_token: 'refresh-token',
    user: { id: userId, aud: 'authenticated', role: 'authenticated', email, app_metadata: {}, user_metadata: {}, created_at: '2026-01-01T00:00:00Z' },
  };
}

let clients = 0;

export interface FakeSupabase {
  client: DeskClient;
  backend: FakeBackend;
}

/** A real supabase-js client whose only fakes are fetch, WebSocket and storage. */
export function createFakeSupabase(backend: FakeBackend = createFakeBackend(), transport: unknown = SilentWebSocket): FakeSupabase {
  backend.on('POST', '/auth/v1/logout', () => new Response(null, { status: 204 }));
  const client = createDeskClient(
    { supabaseUrl: API_URL, anonKey: ANON_KEY },
    { fetch: backend.fetch, transport, storage: memoryStorage(), storageKey: `test-auth-${(clients += 1)}`, autoRefreshToken: false },
  );
  return { client, backend };
}

export { json };
