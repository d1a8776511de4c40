type AudioContextCtor = new () => AudioContext;

function audioContextCtor(): AudioContextCtor | null {
  if (typeof window === 'undefined') return null;
  const w = window as Window & { webkitAudioContext?: AudioContextCtor };
  return window.AudioContext ?? w.webkitAudioContext ?? null;
}

/**
 * A two-note chime synthesised with WebAudio (no audio asset to load or to fail). Browsers only
 * allow sound after a user gesture, so `unlock()` is called from the toggle's click handler and
 * plays a preview: the agent hears at once that alerts work.
 */
export function createChime(Ctor: AudioContextCtor | null = audioContextCtor(), minGapMs = 1500) {
  let context: AudioContext | null = null;
  let lastPlayed = -Infinity;

  function ensure(): AudioContext | null {
    if (!Ctor) return null;
    context ??= new Ctor();
    return context;
  }

  function tone(ctx: AudioContext, frequency: number, start: number): void {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.setValueAtTime(frequency, start);
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.35);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.4);
  }

  return {
    supported: Ctor !== null,
    async unlock(): Promise<boolean> {
      const ctx = ensure();
      if (!ctx) return false;
      if (ctx.state === 'suspended') await ctx.resume();
      return ctx.state === 'running';
    },
    /** Plays unless it played less than `minGapMs` ago (a burst of events makes one sound). */
    play(now = Date.now()): boolean {
      const ctx = ensure();
      if (!ctx || ctx.state !== 'running' || now - lastPlayed < minGapMs) return false;
      lastPlayed = now;
      tone(ctx, 880, ctx.currentTime);
      tone(ctx, 1318.5, ctx.currentTime + 0.12);
      return true;
    },
  };
}

export type Chime = ReturnType<typeof createChime>;
