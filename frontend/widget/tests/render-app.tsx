/** Renders a component inside AppContext with fake clients, functions and bridge. */
import { render } from '@testing-library/preact'
import type { ComponentChild } from 'preact'
import { vi } from 'vitest'
import type { Clients } from '../src/frame/api/clients'
import type { FunctionsApi } from '../src/frame/api/functions'
import { AppContext, type App } from '../src/frame/app-context'
import type { Bridge } from '../src/frame/bridge'
import { strings } from '../src/frame/i18n'
import type { FrameMessage, HostMessage } from '../src/shared/protocol'
import { memoryStorage } from './fakes'

export interface TestApp extends App {
  sent: FrameMessage[]
  host(message: HostMessage): void
  functions: { [K in keyof FunctionsApi]: ReturnType<typeof vi.fn> & FunctionsApi[K] }
}

export function makeApp(over: { returning?: boolean; locale?: string } = {}): TestApp {
  const sent: FrameMessage[] = []
  const listeners = new Set<(m: HostMessage) => void>()
  const bridge: Bridge = {
    send: (m) => void sent.push(m),
    listen: (h) => {
      listeners.add(h)
      return () => listeners.delete(h)
    },
  }
  const clients = {
    apiUrl: 'http://api',
    anonKey: 'anon',
    returning: over.returning ?? false,
    session: vi.fn(async () => ({ access_token: 'token' })),
    token: vi.fn(async () => 'token'),
  } as unknown as Clients
  const functions = {
    createTicket: vi.fn(),
    addMessage: vi.fn(),
    signUpload: vi.fn(),
    signDownload: vi.fn(async () => ({ signed_url: 'http://api/storage/v1/object/sign/x?token=1', expires_in: 60 })),
  }
  return {
    t: strings(over.locale ?? 'en'),
    cfg: { parentOrigin: 'https://shop.example', apiUrl: 'http://api', anonKey: 'anon', color: '#2563eb', locale: 'en', greeting: '' },
    clients,
    functions: functions as TestApp['functions'],
    bridge,
    storage: memoryStorage(),
    sent,
    host: (m) => listeners.forEach((l) => l(m)),
  }
}

export function renderWithApp(ui: ComponentChild, app: TestApp = makeApp()) {
  return { app, ...render(<AppContext.Provider value={app}>{ui}</AppContext.Provider>) }
}
