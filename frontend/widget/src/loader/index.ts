/**
 * widget.js entry. Embed (the stub line makes `supadesk(...)` callable before the script loads):
 *
 *   <script>window.supadesk=window.supadesk||function(){(supadesk.q=supadesk.q||[]).push(arguments)}</script>
 *   <script async src="https://support.example.com/widget.js"
 *           data-api-url="https://xyz.supabase.co" data-anon-key="<anon key>"
 *           data-color="#2563eb" data-position="right" data-greeting="Hi! How can we help?" data-locale="en"></script>
 */
import { boot } from './boot'

const script = document.currentScript as HTMLScriptElement | null
  || document.querySelector<HTMLScriptElement>('script[data-anon-key][src*="widget.js"]')

if (document.body) boot(window, script)
else document.addEventListener('DOMContentLoaded', () => boot(window, script))
