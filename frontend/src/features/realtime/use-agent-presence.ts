import { useEffect, useState } from 'react';
import * as z from 'zod/v4/mini';

import type { Agent } from '@/features/tickets/data/schema';

import { useChannelRegistry } from './desk-feed-provider';
import type { ChannelHandle } from './shared-channels';

export const PRESENCE_TOPIC = 'agents:presence';

const presenceMetaSchema = z.object({
  user_id: z.string(),
  display_name: z.string(),
  online_at: z.string(),
});
export type OnlineAgent = z.infer<typeof presenceMetaSchema>;

/** Presence state (key → metas, one per open tab) → one entry per agent, sorted by name. */
export function onlineAgents(state: Record<string, unknown[]>): OnlineAgent[] {
  const byUser = new Map<string, OnlineAgent>();
  for (const metas of Object.values(state)) {
    for (const meta of metas) {
      const parsed = presenceMetaSchema.safeParse(meta);
      if (parsed.success && !byUser.has(parsed.data.user_id)) byUser.set(parsed.data.user_id, parsed.data);
    }
  }
  return [...byUser.values()].sort((a, b) => a.display_name.localeCompare(b.display_name));
}

/**
 * Tracks this agent on the private `agents:presence` channel (presence key = user id), which the
 * widget reads to show agents online/offline, and returns who is online. Re-tracks after every
 * (re)join, since a dropped socket loses the server-side presence.
 */
export function useAgentPresence(agent: Agent): OnlineAgent[] {
  const registry = useChannelRegistry();
  const [online, setOnline] = useState<OnlineAgent[]>([]);

  useEffect(() => {
    const me = { user_id: agent.id, display_name: agent.display_name, online_at: new Date().toISOString() };
    let handle: ChannelHandle | null = null;
    handle = registry.acquire(PRESENCE_TOPIC, { presenceKey: agent.id }, (signal) => {
      if (signal.kind === 'status' && signal.status === 'SUBSCRIBED') handle?.track(me);
      if (signal.kind === 'presence') setOnline(onlineAgents(signal.state));
    });
    if (handle.isJoined()) handle.track(me);
    const current = handle;
    return () => current.release();
  }, [registry, agent.id, agent.display_name]);

  return online;
}
