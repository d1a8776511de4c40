/**
 * localStorage of the iframe's origin, or an in-memory stand-in when the browser blocks storage in
 * third-party frames (the widget then still works; the visitor just isn't remembered).
 */
export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export function safeStorage(win: Window = window): KeyValueStorage {
  try {
    const storage = win.localStorage
    const probe = '__supadesk_probe__'
    storage.setItem(probe, '1')
    storage.removeItem(probe)
    return storage
  } catch {
    const memory = new Map<string, string>()
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => void memory.set(key, value),
      removeItem: (key) => void memory.delete(key),
    }
  }
}
