// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';

import { ApiError } from './api-error';
import { createQueryClient, shouldRetry } from './query-client';

describe('shouldRetry', () => {
  it('retries network failures and 5xx twice, never 4xx', () => {
    expect(shouldRetry(0, new ApiError(0, 'network_error', 'x'))).toBe(true);
    expect(shouldRetry(1, new ApiError(503, 'unavailable', 'x'))).toBe(true);
    expect(shouldRetry(2, new ApiError(503, 'unavailable', 'x'))).toBe(false);
    expect(shouldRetry(0, new ApiError(400, 'bad', 'x'))).toBe(false);
    expect(shouldRetry(0, new ApiError(401, 'expired', 'x'))).toBe(false);
    expect(shouldRetry(0, new ApiError(409, 'invalid_transition', 'x'))).toBe(false);
  });
});

describe('createQueryClient policy', () => {
  it('a 401 anywhere signs the agent out', async () => {
    const policy = { onUnauthorized: vi.fn(), onError: vi.fn() };
    const client = createQueryClient(policy);
    await client
      .fetchQuery({ queryKey: ['x'], queryFn: () => Promise.reject(new ApiError(401, 'PGRST303', 'JWT expired')) })
      .catch(() => undefined);
    expect(policy.onUnauthorized).toHaveBeenCalledTimes(1);
    expect(policy.onError).not.toHaveBeenCalled();
  });

  it('a server error shows one message; a 4xx query error is left to the view', async () => {
    const policy = { onUnauthorized: vi.fn(), onError: vi.fn() };
    const client = createQueryClient(policy);
    await client
      .fetchQuery({ queryKey: ['a'], retry: false, queryFn: () => Promise.reject(new ApiError(500, 'boom', 'internal')) })
      .catch(() => undefined);
    await client
      .fetchQuery({ queryKey: ['b'], queryFn: () => Promise.reject(new ApiError(404, 'ticket_not_found', 'gone')) })
      .catch(() => undefined);
    expect(policy.onError.mock.calls).toEqual([['The server had a problem. Please try again.']]);
  });

  it('a failed mutation shows the server message unless it handles errors itself', async () => {
    const policy = { onUnauthorized: vi.fn(), onError: vi.fn() };
    const client = createQueryClient(policy);
    const fail = () => Promise.reject(new ApiError(409, 'invalid_transition', 'Ticket #3 cannot move from closed to open'));
    await client.getMutationCache().build(client, { mutationFn: fail }).execute(undefined).catch(() => undefined);
    await client.getMutationCache().build(client, { mutationFn: fail, meta: { silent: true } }).execute(undefined).catch(() => undefined);
    expect(policy.onError.mock.calls).toEqual([['Ticket #3 cannot move from closed to open']]);
  });
});
