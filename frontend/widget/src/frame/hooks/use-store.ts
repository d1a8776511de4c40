/** Re-renders the component whenever the conversation store changes. */
import { useEffect, useReducer } from 'preact/hooks'
import type { ConversationStore, StoreState } from '../sync/store'

export function useStoreState(store: ConversationStore | null): StoreState | null {
  const [, bump] = useReducer((n: number) => n + 1, 0)
  useEffect(() => (store ? store.subscribe(() => bump(0)) : undefined), [store])
  return store ? store.get() : null
}
