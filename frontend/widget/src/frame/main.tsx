/**
 * Entry of the iframe app (frame.html). Reads the fragment the loader wrote, refuses to run outside
 * an iframe or for an undeclared embedder, sets the accent colour and renders ChatWidget.
 */
import { render } from 'preact'
import { textOn } from '../shared/contrast'
import { createClients } from './api/clients'
import { createFunctionsApi } from './api/functions'
import { safeStorage } from './api/storage'
import { AppContext, type App } from './app-context'
import { createBridge } from './bridge'
import { ChatWidget } from './components/chat-widget'
import { readFrameConfig } from './frame-config'
import { strings } from './i18n'
import './styles.css'

function boot(): void {
  const root = document.getElementById('app')!
  if (window.parent === window) {
    root.textContent = strings('en').frameOnly
    return
  }
  let cfg
  try {
    cfg = readFrameConfig(location.hash, location.ancestorOrigins?.[0])
  } catch (error) {
    console.error(error)
    root.textContent = strings('en').frameOnly
    return
  }
  document.documentElement.lang = cfg.locale
  document.documentElement.style.setProperty('--sd-accent', cfg.color)
  document.documentElement.style.setProperty('--sd-on-accent', textOn(cfg.color))
  const storage = safeStorage()
  const clients = createClients(cfg.apiUrl, cfg.anonKey, storage)
  const app: App = {
    t: strings(cfg.locale),
    cfg,
    clients,
    functions: createFunctionsApi(clients),
    bridge: createBridge(window, cfg.parentOrigin),
    storage,
  }
  const loadConversation = async () => {
    const [mod] = await Promise.all([import('./conversation'), clients.session()])
    return mod.startConversation(app)
  }
  render(
    <AppContext.Provider value={app}>
      <ChatWidget loadConversation={loadConversation} />
    </AppContext.Provider>,
    root,
  )
}

boot()
