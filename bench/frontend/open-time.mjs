#!/usr/bin/env node
/**
 * Time from a click on the widget launcher to an interactive "New ticket" form, in real Chromium,
 * for a first-time visitor (fresh browser context = empty cache and storage) on the /widget demo page.
 * A report, not an assertion: exits 0 when it could measure, 1 when it could not.
 *
 *   node bench/frontend/open-time.mjs http://127.0.0.1:54321 [--runs 5] [--profiles desktop,mobile]
 *
 * Two figures per run:
 *   in-page   performance.now() from the click to the frame's "ready" postMessage, which the iframe app
 *             sends from its first effect, i.e. once the form has rendered and handles input
 *   end-to-end the same, seen from Playwright: click() until typing into "Subject" succeeds
 *             (includes automation round trips; an upper bound)
 * Profiles: desktop = no throttling; mobile = 4× CPU slowdown, 150 ms RTT, 1.6 Mbit/s down (CDP).
 * Chromium: $CHROMIUM or /usr/bin/chromium (Debian's package; playwright-core's own download is not used).
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(join(here, '../../frontend/package.json'))
const { chromium } = require('playwright-core')

const args = process.argv.slice(2)
const base = args.find((a) => /^https?:\/\//.test(a))
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const runs = Number(option('--runs', '5'))
const profiles = option('--profiles', 'desktop,mobile').split(',')
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium'

if (!base) {
  console.error('usage: node bench/frontend/open-time.mjs <base URL of supadesk start, e.g. http://127.0.0.1:54321> [--runs N]')
  process.exit(1)
}
if (!existsSync(executablePath)) {
  console.error(`open-time: no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM)`)
  process.exit(1)
}

const PROFILES = {
  desktop: null,
  mobile: { cpu: 4, latency: 150, download: (1.6 * 1024 * 1024) / 8, upload: (750 * 1024) / 8 },
}

async function once(browser, profile) {
  const mobile = profile === 'mobile'
  const context = await browser.newContext(
    mobile ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } },
  )
  context.setDefaultTimeout(30000)
  const page = await context.newPage()
  const throttle = PROFILES[profile]
  if (throttle) {
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: throttle.latency,
      downloadThroughput: throttle.download,
      uploadThroughput: throttle.upload,
    })
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle.cpu })
  }
  await page.goto(`${base}/widget`)
  const launcher = page.getByRole('button', { name: 'Open support chat' })
  await launcher.waitFor()
  // Arm an in-page stopwatch: click → the frame's first "ready" message.
  await page.evaluate(() => {
    window.__openTime = new Promise((resolve) => {
      const button = document.querySelector('.supadesk-launcher')
      button.addEventListener('click', () => {
        const t0 = performance.now()
        window.addEventListener('message', function onReady(e) {
          if (e.data && e.data.p === 'supadesk/1' && e.data.type === 'ready') {
            window.removeEventListener('message', onReady)
            resolve(performance.now() - t0)
          }
        })
      }, { once: true, capture: true })
    })
  })
  const t0 = Date.now()
  await launcher.click()
  await page.frameLocator('iframe[title="Support chat"]').getByLabel('Subject', { exact: true }).fill('x')
  const endToEnd = Date.now() - t0
  const inPage = await page.evaluate(() => window.__openTime)
  await context.close()
  return { inPage, endToEnd }
}

const stats = (xs) => {
  const s = xs.slice().sort((a, b) => a - b)
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] }
}
const ms = (x) => `${Math.round(x)} ms`

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] })
let ok = true
try {
  console.log(`widget open time — ${base}/widget, ${runs} fresh visitor(s) per profile, Chromium ${browser.version()}`)
  for (const profile of profiles) {
    if (!(profile in PROFILES)) throw new Error(`unknown profile ${profile}`)
    const results = []
    for (let i = 0; i < runs; i++) results.push(await once(browser, profile))
    const a = stats(results.map((r) => r.inPage))
    const b = stats(results.map((r) => r.endToEnd))
    console.log(
      `${profile.padEnd(8)} in-page median ${ms(a.median)} (min ${ms(a.min)}, max ${ms(a.max)});` +
        `  end-to-end median ${ms(b.median)} (min ${ms(b.min)}, max ${ms(b.max)})`,
    )
  }
} catch (error) {
  ok = false
  console.error(`open-time: could not measure: ${error.message}`)
} finally {
  await browser.close()
}
process.exit(ok ? 0 : 1)
