/**
 * WidgetDemoPage (/widget): embeds the widget the way a customer's site does. The only demo-specific
 * step is reading the API URL and the anon key from /supadesk-config.json before writing the tag.
 */
interface RuntimeConfig {
  supabaseUrl: string
  anonKey: string
}

type Queue = ((...args: unknown[]) => void) & { q?: unknown[][] }

function log(text: string): void {
  const item = document.createElement('li')
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`
  document.getElementById('demo-events')!.append(item)
}

async function main(): Promise<void> {
  // 1. The stub: calls made before widget.js arrives are queued.
  const w = window as unknown as { supadesk?: Queue }
  w.supadesk =
    w.supadesk ||
    (((...args: unknown[]) => {
      ;(w.supadesk!.q = w.supadesk!.q || []).push(args)
    }) as Queue)

  for (const name of ['ready', 'open', 'close', 'unread', 'message', 'ticket-created', 'error'])
    window.addEventListener('supadesk:' + name, (e) => log(`supadesk:${name} ${JSON.stringify((e as CustomEvent).detail ?? {})}`))

  document.getElementById('demo-open')!.addEventListener('click', () => w.supadesk!('open'))
  document.getElementById('demo-identify')!.addEventListener('click', () =>
    w.supadesk!('identify', { email: 'visitor@example.com', name: 'Demo Visitor' }),
  )

  // 2. The script tag, configured by data- attributes.
  const response = await fetch('/supadesk-config.json')
  if (!response.ok) throw new Error(`/supadesk-config.json answered ${response.status}`)
  const cfg = (await response.json()) as RuntimeConfig
  const params = new URLSearchParams(location.search)
  const script = document.createElement('script')
  script.async = true
  script.src = '/widget.js'
  script.dataset.apiUrl = cfg.supabaseUrl
  script.dataset.anonKey = cfg.anonKey
  script.dataset.color = params.get('color') || '#2563eb'
  script.dataset.position = params.get('position') || 'right'
  script.dataset.greeting = params.get('greeting') || 'Hi! Ask us anything about your Acme gadget.'
  script.dataset.locale = params.get('locale') || 'en'
  document.body.append(script)

  const tag = script.outerHTML.replace(/data-anon-key="[^"]*"/, 'data-anon-key="<anon key>"')
  document.getElementById('demo-snippet')!.textContent =
    '<script>window.supadesk=window.supadesk||function(){(supadesk.q=supadesk.q||[]).push(arguments)}</script>\n' + tag
}

main().catch((error: Error) => log(`demo error: ${error.message}`))
