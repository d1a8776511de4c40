import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';

import { SupabaseProvider } from '@/lib/supabase-context';
import { createFakeSupabase, json, type FakeSupabase } from '@/test/fake-supabase';

import { ticketKeys } from '../data/query-keys';
import type { ConversationState } from './merge';
import { useSendMessage } from './use-send-message';

const TICKET = '33333333-3333-4333-8333-333333333333';

function setup(fake: FakeSupabase) {
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <SupabaseProvider client={fake.client}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </SupabaseProvider>
  );
  const hook = renderHook(() => useSendMessage(TICKET), { wrapper });
  const state = () => queryClient.getQueryData<ConversationState>(ticketKeys.messages(TICKET));
  return { hook, state };
}

const stored = (body: { client_id: string; content: string }) => ({
  message: {
    id: 'm1',
    ticket_id: TICKET,
    sender_type: 'admin',
    sender_id: 'agent',
    content: body.content,
    client_id: body.client_id,
    created_at: '2026-11-27T10:00:00+00:00',
  },
  attachments: [],
});

describe('useSendMessage', () => {
  it('shows the message at once, and a network failure is retried with the same client_id', async () => {
    const fake = createFakeSupabase();
    let calls = 0;
    fake.backend.on('POST', '/functions/v1/add-message', (request) => {
      calls += 1;
      if (calls === 1) throw new TypeError('Failed to fetch');
      return json(stored(request.body as { client_id: string; content: string }), 201);
    });
    const { hook, state } = setup(fake);
    act(() => hook.result.current.send('Hello', []));
    expect(state()?.pending).toHaveLength(1);
    expect(state()?.pending[0]).toMatchObject({ content: 'Hello', state: 'sending' });

    await waitFor(() => expect(state()?.messages).toHaveLength(1), { timeout: 4_000 });
    const bodies = fake.backend.to('/functions/v1/add-message').map((request) => request.body as { client_id: string });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.client_id).toBe(bodies[0]?.client_id);
    expect(state()?.pending).toEqual([]);
    expect(state()?.messages[0]?.client_id).toBe(bodies[0]?.client_id);
  });

  it('marks a send on a closed ticket as failed without retrying, and Retry reuses the client_id', async () => {
    const fake = createFakeSupabase();
    let closed = true;
    fake.backend.on('POST', '/functions/v1/add-message', (request) =>
      closed
        ? json({ error: { code: 'ticket_closed', message: 'Ticket #7 is closed' } }, 409)
        : json(stored(request.body as { client_id: string; content: string }), 200),
    );
    const { hook, state } = setup(fake);
    act(() => hook.result.current.send('Too late', []));
    await waitFor(() => expect(state()?.pending[0]?.state).toBe('failed'));
    expect(state()?.pending[0]?.error).toBe('The ticket is closed; this message was not sent.');
    expect(fake.backend.to('/functions/v1/add-message')).toHaveLength(1);

    closed = false;
    const clientId = state()!.pending[0]!.client_id;
    act(() => hook.result.current.retry(clientId));
    await waitFor(() => expect(state()?.messages).toHaveLength(1));
    const retried = fake.backend.to('/functions/v1/add-message')[1]?.body as { client_id: string };
    expect(retried.client_id).toBe(clientId);
    expect(state()?.pending).toEqual([]);
  });

  it('uploads attachments through a signed URL, then sends their paths', async () => {
    const fake = createFakeSupabase();
    const objectPath = `tickets/${TICKET}/abc-report.pdf`;
    fake.backend.on('POST', '/functions/v1/get-signed-url', () =>
      json({
        path: objectPath,
        token: 'upload-token',
        expires_in: 7200,
        signed_url: `http://desk.test/storage/v1/object/upload/sign/support-attachments/${objectPath}?token=upload-token`,
      }),
    );
    fake.backend.on('PUT', `/storage/v1/object/upload/sign/support-attachments/${objectPath}`, () =>
      json({ Key: `support-attachments/${objectPath}` }),
    );
    fake.backend.on('POST', '/functions/v1/add-message', (request) => json(stored(request.body as { client_id: string; content: string }), 201));
    const { hook, state } = setup(fake);
    const report = new File(['%PDF'], 'report.pdf', { type: 'application/pdf' });
    act(() => hook.result.current.send('See attached', [report]));
    await waitFor(() => expect(state()?.messages).toHaveLength(1));

    expect(fake.backend.to('/functions/v1/get-signed-url')[0]?.body).toEqual({
      action: 'upload',
      ticket_id: TICKET,
      file_name: 'report.pdf',
      mime_type: 'application/pdf',
      size: 4,
    });
    const upload = fake.backend.to(`/storage/v1/object/upload/sign/support-attachments/${objectPath}`)[0];
    expect(upload?.url.searchParams.get('token')).toBe('upload-token');
    expect(fake.backend.to('/functions/v1/add-message')[0]?.body).toMatchObject({
      ticket_id: TICKET,
      content: 'See attached',
      attachments: [{ object_path: objectPath, file_name: 'report.pdf', mime_type: 'application/pdf' }],
    });
  });
});
