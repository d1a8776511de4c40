/**
 * Throttles the agent's typing broadcasts: `typing: true` at most every `resendMs` while keys
 * are pressed, and `typing: false` once after `idleMs` without a key (or on stop()).
 */
export function createTypingNotifier(send: (typing: boolean) => void, resendMs = 2_500, idleMs = 4_000) {
  let lastSent = Number.NEGATIVE_INFINITY;
  let active = false;
  let idle: ReturnType<typeof setTimeout> | undefined;

  function stop(): void {
    clearTimeout(idle);
    idle = undefined;
    if (!active) return;
    active = false;
    lastSent = Number.NEGATIVE_INFINITY;
    send(false);
  }

  return {
    keystroke(now = Date.now()): void {
      if (!active || now - lastSent >= resendMs) {
        active = true;
        lastSent = now;
        send(true);
      }
      clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
    },
    stop,
  };
}

export type TypingNotifier = ReturnType<typeof createTypingNotifier>;
