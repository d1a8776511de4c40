#!/usr/bin/env node
/**
 * Real-Chromium smoke test of the BUILT widget against the mock stack (or a real server with --base):
 * no iframe/cookie/storage before the first open, launcher → iframe → form, keyboard close and focus
 * return, ticket creation with an attachment, axe-core (serious/critical) on the host page and inside
 * the frame at desktop and phone width, full-screen panel and 16 px inputs on a phone.
 *
 *   cd frontend && npm run build   (or: npx vite build --config vite.widget.config.ts)
 *   node widget/tests/browser/smoke.mjs [--base http://127.0.0.1:54321] [--shots DIR]
 * Needs Debian's chromium (/usr/bin/chromium) or CHROMIUM=/path/to/chrome.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockStack } from './mock-stack.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(join(here, '../../../package.json'))
const { chromium } = require('playwright-core')
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

const args = process.argv.slice(2)
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const shots = option('--shots')
let base = option('--base')
let mock = null
if (!base) {
  mock = await startMockStack()
  base = mock.url
}
if (shots) mkdirSync(shots, { recursive: true })
// A real 1×1 PNG: the storage server checks magic bytes against the declared type.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

async function axe(target) {
  await target.evaluate(axeSource)
  const result = await target.evaluate(() => window.axe.run(document))
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`)
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] })
const failures = []
async function step(name, fn) {
  try {
    await fn()
    console.log(`ok   ${name}`)
  } catch (error) {
    failures.push(name)
    console.log(`FAIL ${name}\n     ${String(error.message ?? error).split('\n').join('\n     ')}`)
  }
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  context.setDefaultTimeout(10000)
  const page = await context.newPage()
  const consoleErrors = []
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
  await page.goto(`${base}/widget`)
  const launcher = page.getByRole('button', { name: 'Open support chat' })

  await step('launcher appears; no iframe, cookie or storage before the first open', async () => {
    await launcher.waitFor()
    assert.equal(await page.locator('iframe').count(), 0)
    assert.deepEqual(await context.cookies(), [])
    assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0)
  })

  await step('host page: no serious/critical axe violations', async () => assert.deepEqual(await axe(page), []))

  await step('launcher is a 56 px round button styled without a <style> element', async () => {
    const box = await launcher.boundingBox()
    assert.ok(Math.round(box.width) === 56 && Math.round(box.height) === 56, JSON.stringify(box))
    assert.equal(await launcher.evaluate((b) => getComputedStyle(b).borderRadius), '50%')
    assert.equal(await page.locator('.supadesk-root style').count(), 0)
  })

  const frame = page.frameLocator('iframe[title="Support chat"]')
  await step('click opens the iframe with an interactive form', async () => {
    const t0 = Date.now()
    await launcher.click()
    await frame.getByLabel('Subject', { exact: true }).fill('x')
    console.log(`     launcher click → form accepts input: ${Date.now() - t0} ms`)
    await frame.getByLabel('Subject', { exact: true }).fill('')
    await page.getByRole('button', { name: 'Close support chat' }).waitFor()
  })

  await step('Escape closes the panel and returns focus to the launcher', async () => {
    await frame.getByLabel('Subject', { exact: true }).focus()
    await page.keyboard.press('Escape')
    await page.waitForFunction(() => document.activeElement?.classList.contains('supadesk-launcher'))
    assert.equal(await page.locator('iframe.supadesk-frame').isHidden(), true)
    await page.getByRole('button', { name: 'Open support chat' }).click()
  })

  await step('inline validation, then ticket creation with an attachment', async () => {
    await frame.getByRole('button', { name: 'Create ticket' }).click()
    await frame.getByText('Enter a subject.').waitFor()
    await frame.getByLabel('Subject', { exact: true }).fill('Printer on fire')
    await frame.getByLabel('Message', { exact: true }).fill('Smoke everywhere.')
    await frame.getByLabel('Email', { exact: true }).fill('ada@example.com')
    await frame.getByLabel('Name', { exact: true }).fill('Ada')
    await frame.locator('input[type=file]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG })
    await frame.getByRole('button', { name: 'Create ticket' }).click()
    await frame.getByRole('heading', { name: /^#\d+ Printer on fire$/ }).waitFor()
    await frame.getByRole('log', { name: 'Conversation' }).getByText('Smoke everywhere.').waitFor()
    await frame.getByRole('link', { name: 'Download photo.png' }).waitFor()
  })

  await step('reply with Enter shows once', async () => {
    const box = frame.getByRole('textbox', { name: 'Type your message' })
    await box.fill('Any news?')
    await box.press('Enter')
    await frame.getByText('Any news?').waitFor()
    assert.equal(await frame.getByText('Any news?').count(), 1)
  })

  await step('frame: no serious/critical axe violations (desktop)', async () => {
    const handle = await page.locator('iframe.supadesk-frame').elementHandle()
    assert.deepEqual(await axe(await handle.contentFrame()), [])
  })
  if (shots) await page.screenshot({ path: join(shots, 'widget-desktop.png') }).catch(() => undefined)

  await step('reload: the returning visitor sees their ticket', async () => {
    await page.reload()
    await page.getByRole('button', { name: 'Open support chat' }).click()
    await frame.getByRole('tab', { name: 'My tickets' }).waitFor()
    assert.equal(await frame.getByRole('tab', { name: 'My tickets' }).getAttribute('aria-selected'), 'true')
    await frame.getByRole('button', { name: /#\d+ Printer on fire/ }).first().waitFor()
  })

  await step('phone width: full-screen panel, 16 px inputs, no axe violations', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true })
    phone.setDefaultTimeout(10000)
    const p = await phone.newPage()
    await p.goto(`${base}/widget`)
    await p.getByRole('button', { name: 'Open support chat' }).click()
    const f = p.frameLocator('iframe[title="Support chat"]')
    await f.getByLabel('Subject', { exact: true }).waitFor()
    const box = await p.locator('iframe.supadesk-frame').boundingBox()
    assert.ok(box.x === 0 && box.y === 0 && box.width === 375 && box.height >= 700, `frame box ${JSON.stringify(box)}`)
    const sizes = await f.locator('input, textarea').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)))
    assert.ok(sizes.every((s) => s >= 16), `font sizes ${sizes}`)
    const handle = await p.locator('iframe.supadesk-frame').elementHandle()
    assert.deepEqual(await axe(await handle.contentFrame()), [])
    if (shots) await p.screenshot({ path: join(shots, 'widget-mobile.png') })
    await phone.close()
  })

  if (mock)
    await step('strict CSP + Trusted Types host page: the widget still styles and opens', async () => {
      const strict = await browser.newContext()
      strict.setDefaultTimeout(10000)
      const p = await strict.newPage()
      const violations = []
      p.on('console', (m) => /Content Security Policy|Trusted Type/i.test(m.text()) && violations.push(m.text()))
      await p.goto(`${base}/csp-host.html`)
      const button = p.getByRole('button', { name: 'Open support chat' })
      const box = await button.boundingBox()
      assert.ok(Math.round(box.width) === 56, JSON.stringify(box))
      await button.click()
      await p.frameLocator('iframe[title="Support chat"]').getByLabel('Subject', { exact: true }).waitFor()
      assert.deepEqual(violations, [])
      await strict.close()
    })

  // The mock stack has no realtime endpoint; a real server must not produce any console error.
  const unexpected = mock ? consoleErrors.filter((e) => !/realtime|websocket/i.test(e)) : consoleErrors
  await step('no console errors', async () => assert.deepEqual(unexpected, []))
} finally {
  await browser.close()
  mock?.server.close()
}
console.log(failures.length ? `${failures.length} step(s) failed` : 'all steps passed')
process.exit(failures.length ? 1 : 0)
