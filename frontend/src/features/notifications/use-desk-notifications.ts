import { useEffect, useReducer, useRef } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';

import { useDeskEvent } from '@/features/realtime/desk-feed-provider';

import { activityOf, attentionReducer, formatTitle, initialAttention } from './attention';
import { createChime } from './chime';
import { showDesktopNotification } from './desktop-notifications';
import { soundSetting, useSoundEnabled } from './settings';

export const BASE_TITLE = 'supadesk';

/** One chime for the whole dashboard (its AudioContext is created on first use). */
export const deskChime = createChime();

function isAttentive(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/**
 * Makes new tickets and visitor messages hard to miss: a count in the tab title while the agent
 * is away, a chime if enabled, and a desktop notification when permitted and the tab is not in front.
 */
export function useDeskNotifications(): number {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const soundOn = useSoundEnabled();
  const [attention, dispatch] = useReducer(attentionReducer, initialAttention);
  const latest = useRef({ openTicket: params.get('ticket'), soundOn });
  useEffect(() => {
    latest.current = { openTicket: params.get('ticket'), soundOn };
  });

  useDeskEvent((event) => {
    const activity = activityOf(event);
    if (!activity) return;
    const attentive = isAttentive();
    if (attentive && activity.ticketId === latest.current.openTicket) return;
    dispatch({ type: 'activity', ticketId: activity.ticketId, attentive });
    if (latest.current.soundOn) deskChime.play();
    if (!attentive && !activity.replayed) {
      showDesktopNotification(activity.title, activity.body, activity.ticketId, () =>
        void navigate(`/admin?ticket=${encodeURIComponent(activity.ticketId)}`),
      );
    }
  });

  useEffect(() => {
    const back = () => {
      if (isAttentive()) dispatch({ type: 'seen' });
    };
    // Browsers keep audio locked until a gesture: unlock on the first one if sound is on.
    const unlock = () => {
      if (soundSetting.get()) void deskChime.unlock();
    };
    window.addEventListener('focus', back);
    document.addEventListener('visibilitychange', back);
    window.addEventListener('pointerdown', unlock, { once: true });
    window.addEventListener('keydown', unlock, { once: true });
    return () => {
      window.removeEventListener('focus', back);
      document.removeEventListener('visibilitychange', back);
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, []);

  const count = attention.unseen.length;
  useEffect(() => {
    document.title = formatTitle(BASE_TITLE, count);
  }, [count]);
  useEffect(
    () => () => {
      document.title = BASE_TITLE;
    },
    [],
  );
  return count;
}
