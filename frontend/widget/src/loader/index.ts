/**
 * widget.js entry, the stub. Embed (the stub line makes `supadesk(...)` callable before the script loads):
 *
 *   <script>window.supadesk=window.supadesk||function(){(supadesk.q=supadesk.q||[]).push(arguments)}</script>
 *   <script async src="https://support.example.com/widget.js"
 *           data-api-url="https://xyz.supabase.co" data-anon-key="<anon key>"
 *           data-color="#2563eb" data-position="right" data-greeting="Hi! How can we help?" data-locale="en"></script>
 */
import { boot } from './boot'
import type { LoadUi } from './contract'
import { loadScript } from './load-ui'

/** Path of loader-ui.js on the supadesk origin, content-hashed; set by vite.widget.config.ts. */
declare const __SUPADESK_UI__: string

const script = document.currentScript as HTMLScriptElement | null
  || document.querySelector<HTMLScriptElement>('script[data-anon-key][src*="widget.js"]')
const loadUi: LoadUi = (origin, nonce, done) => loadScript(document, origin + __SUPADESK_UI__, nonce, done)

if (document.body) boot(window, script, loadUi)
else document.addEventListener('DOMContentLoaded', () => boot(window, script, loadUi))
