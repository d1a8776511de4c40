// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createTypingNotifier } from './typing-notifier';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createTypingNotifier', () => {
  it('sends typing:true once per interval however fast the agent types', () => {
    const send = vi.fn();
    const notifier = createTypingNotifier(send, 2_500, 4_000);
    for (let i = 0; i < 10; i += 1) {
      notifier.keystroke(Date.now());
      vi.advanceTimersByTime(200);
    }
    expect(send.mock.calls).toEqual([[true]]);
    vi.advanceTimersByTime(600); // 2.6 s after the first key
    notifier.keystroke(Date.now());
    expect(send.mock.calls).toEqual([[true], [true]]);
  });

  it('sends typing:false after a pause, once', () => {
    const send = vi.fn();
    const notifier = createTypingNotifier(send, 2_500, 4_000);
    notifier.keystroke(Date.now());
    vi.advanceTimersByTime(3_999);
    expect(send).toHaveBeenLastCalledWith(true);
    vi.advanceTimersByTime(1);
    expect(send).toHaveBeenLastCalledWith(false);
    vi.advanceTimersByTime(10_000);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('stop() (on send) ends typing at once and only if it had started', () => {
    const send = vi.fn();
    const notifier = createTypingNotifier(send);
    notifier.stop();
    expect(send).not.toHaveBeenCalled();
    notifier.keystroke(Date.now());
    notifier.stop();
    expect(send.mock.calls).toEqual([[true], [false]]);
    notifier.keystroke(Date.now());
    expect(send.mock.calls).toEqual([[true], [false], [true]]);
  });
});
