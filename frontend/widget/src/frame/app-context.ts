/** What every component of the iframe app may use: strings, config, clients and the host bridge. */
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Clients } from './api/clients'
import type { FunctionsApi } from './api/functions'
import type { KeyValueStorage } from './api/storage'
import type { Bridge } from './bridge'
import type { FrameConfig } from './frame-config'
import type { Strings } from './i18n'

export interface App {
  t: Strings
  cfg: FrameConfig
  clients: Clients
  functions: FunctionsApi
  bridge: Bridge
  storage: KeyValueStorage
}

export const AppContext = createContext<App | null>(null)

export function useApp(): App {
  const app = useContext(AppContext)
  if (!app) throw new Error('useApp() must be used inside <AppContext.Provider>')
  return app
}
