import { useSyncExternalStore } from 'react';

const SOUND_KEY = 'supadesk.dashboard.sound';

type Listener = () => void;

/** The agent's sound preference, persisted per browser. */
export function createSoundSetting(storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage) {
  let enabled = storage?.getItem(SOUND_KEY) === 'on';
  const listeners = new Set<Listener>();
  return {
    get: () => enabled,
    set(next: boolean): void {
      enabled = next;
      try {
        storage?.setItem(SOUND_KEY, next ? 'on' : 'off');
      } catch {
        // Private mode or quota: keep the in-memory value.
      }
      listeners.forEach((listener) => listener());
    },
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type SoundSetting = ReturnType<typeof createSoundSetting>;

export const soundSetting = createSoundSetting();

export function useSoundEnabled(setting: SoundSetting = soundSetting): boolean {
  return useSyncExternalStore(setting.subscribe, setting.get, setting.get);
}
