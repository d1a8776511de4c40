// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { jwtRole, loadRuntimeConfig, parseRuntimeConfig, RuntimeConfigError } from './runtime-config';

const jwt = (claims: object) => `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, '')}.sig`;

describe('parseRuntimeConfig', () => {
  it('accepts the anon key', () => {
    const config = { supabaseUrl: 'http://127.0.0.1:54321', anonKey: jwt({ role: 'anon' }) };
    expect(parseRuntimeConfig(config)).toEqual(config);
  });

  it('refuses a service_role key', () => {
    expect(() => parseRuntimeConfig({ supabaseUrl: 'http://127.0.0.1:54321', anonKey: jwt({ role: 'service_role' }) })).toThrow(
      RuntimeConfigError,
    );
  });

  it('refuses an opaque secret key', () => {
    expect(() => parseRuntimeConfig({ supabaseUrl: 'http://x.test', anonKey: 'sb_secret_0123456789abcdefghij' })).toThrow(
      /public anon key/,
    );
  });

  it('accepts an opaque publishable key', () => {
    expect(parseRuntimeConfig({ supabaseUrl: 'http://x.test', anonKey: 'sb_publishable_0123456789abcdef' }).anonKey).toMatch(
      /^sb_publishable_/,
    );
  });

  it('refuses a config without a URL', () => {
    expect(() => parseRuntimeConfig({ anonKey: jwt({ role: 'anon' }) })).toThrow(/supabaseUrl/);
  });
});

describe('jwtRole', () => {
  it('reads the role claim, and nothing from non-JWTs', () => {
    expect(jwtRole(jwt({ role: 'anon' }))).toBe('anon');
    expect(jwtRole('sb_publishable_abc')).toBeNull();
  });
});

describe('loadRuntimeConfig', () => {
  it('reports an HTTP failure', async () => {
    const fetchStub = async () => new Response('nope', { status: 404 });
    await expect(loadRuntimeConfig(fetchStub as typeof fetch)).rejects.toThrow(/HTTP 404/);
  });
});
