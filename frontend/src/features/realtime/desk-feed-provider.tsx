import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';

import { useSupabase } from '@/lib/supabase-context';

import { createDeskFeed, type DeskFeed } from './desk-feed';
import type { DeskEvent, FeedStatus } from './events';
import { createChannelRegistry, type ChannelRegistry } from './shared-channels';

interface RealtimeContextValue {
  feed: DeskFeed;
  channels: ChannelRegistry;
}

const RealtimeContext = createContext<RealtimeContextValue | null>(null);

/** Starts the live feed for a signed-in agent and shares private channels. */
export function DeskFeedProvider({ children }: { children: ReactNode }) {
  const client = useSupabase();
  const [value] = useState<RealtimeContextValue>(() => ({
    feed: createDeskFeed(client),
    channels: createChannelRegistry(client),
  }));

  useEffect(() => {
    value.feed.start();
    return () => value.feed.stop();
  }, [value]);

  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

function useRealtime(): RealtimeContextValue {
  const value = useContext(RealtimeContext);
  if (!value) throw new Error('Realtime hooks must be used inside <DeskFeedProvider>.');
  return value;
}

export function useDeskFeed(): DeskFeed {
  return useRealtime().feed;
}

export function useChannelRegistry(): ChannelRegistry {
  return useRealtime().channels;
}

export function useFeedStatus(): FeedStatus {
  const feed = useDeskFeed();
  return useSyncExternalStore(feed.subscribeStatus, feed.status, feed.status);
}

/** Calls the latest `handler` for every feed event while the component is mounted. */
export function useDeskEvent(handler: (event: DeskEvent) => void): void {
  const feed = useDeskFeed();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => feed.subscribe((event) => latest.current(event)), [feed]);
}
