#!/usr/bin/env node
/**
 * Gzipped sizes of the production frontend build, against the goals of issue 6 §6 and
 * docs/../performance.md F1/F2. A report, not a timed assertion: exits 0, except when the widget's
 * first-open JavaScript exceeds the 120 KB hard ceiling (exit 1) or the widget build is missing (exit 2).
 *
 *   node bench/frontend/sizes.mjs [--dist frontend/dist] [--login-chunk NAME ...] [--admin-chunk NAME ...] [--json]
 *
 * What is measured (gzip level 9, each file compressed on its own as a browser would fetch it; KB = 1000 B):
 *   widget.js stub     dist/widget/widget.js, the loader stub every customer page downloads up front
 *                      (goal ≤ 2 KB, stretch 1 KB): data- attributes, queue API, launcher
 *   loader-ui.js       the rest of the loader, dist/widget/assets/loader-ui-<hash>.js (the path is read from
 *                      widget.js): fetched on the first launcher hover/focus/click or `open`, so it is part
 *                      of the first-open cost, not of the page's; also shown summed with the stub
 *   widget first open  frame.html's entry chunk + its static imports (dist/widget/.vite/manifest.json), the
 *                      iframe's JS the 50 KB goal is about; then the same plus loader-ui.js, i.e. all the JS
 *                      a first open fetches; lazily imported chunks are listed separately
 *   /login             the dashboard entry index.html + its static imports (dist/.vite/manifest.json) + the lazy
 *                      route chunk(s) named like /login|auth/i (or --login-chunk), with their static imports
 *   /admin             the entry + the lazy chunks of the admin shell, its tickets view and the data client it
 *                      needs to show tickets: names like /admin|tickets?[-_]?(page|view)|ticket-?management|supabase/i
 *                      but not /analytic|chart|detail|dialog|menu/i (or --admin-chunk), with their static imports
 *   Every lazy chunk of the dashboard is also listed by its manifest `name`, with what it adds to the entry.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const KB = 1000
const CHATWOOT_BYTES = 170.4 * 1024 // chatwoot/chatwoot#2658, widget chunk transfer size
const GOALS = { loader: 2 * KB, loaderStretch: 1 * KB, widget: 50 * KB, widgetCeiling: 120 * KB, login: 150 * KB, admin: 250 * KB }

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const option = (name) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const dist = resolve(option('--dist') ?? join(here, '../../frontend/dist'))
const named = (flag) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []))
const loginChunks = named('--login-chunk')
const adminChunks = named('--admin-chunk')
const asJson = args.includes('--json')

const sizeCache = new Map()
function sizes(file) {
  if (!sizeCache.has(file)) {
    const buf = readFileSync(file)
    sizeCache.set(file, {
      raw: buf.length,
      gzip: gzipSync(buf, { level: 9 }).length,
      brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    })
  }
  return sizeCache.get(file)
}

function readManifest(dir) {
  const file = join(dir, '.vite/manifest.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null
}

/** Manifest keys reachable from `keys` through static imports. */
function closure(manifest, keys) {
  const seen = new Set()
  const walk = (key) => {
    if (seen.has(key) || !manifest[key]) return
    seen.add(key)
    for (const dep of manifest[key].imports ?? []) walk(dep)
  }
  keys.forEach(walk)
  return seen
}

/** Sums JS (and separately CSS) of a set of manifest keys. */
function total(dir, manifest, keys, exclude = new Set()) {
  const js = { raw: 0, gzip: 0, brotli: 0, files: [] }
  const css = { raw: 0, gzip: 0, brotli: 0, files: [] }
  const cssSeen = new Set()
  for (const key of keys) {
    if (exclude.has(key)) continue
    const chunk = manifest[key]
    if (chunk.file.endsWith('.js')) add(js, join(dir, chunk.file), chunk.file)
    for (const c of chunk.css ?? []) if (!cssSeen.has(c)) cssSeen.add(c), add(css, join(dir, c), c)
  }
  return { js, css }
  function add(acc, path, name) {
    const s = sizes(path)
    acc.raw += s.raw
    acc.gzip += s.gzip
    acc.brotli += s.brotli
    acc.files.push(name)
  }
}

function entryKey(manifest, html) {
  return Object.keys(manifest).find((k) => manifest[k].isEntry && k.endsWith(html))
}

/** Static entry chunk + modulepreloads named in the built HTML, as a cross-check of the manifest walk. */
function htmlScripts(htmlFile) {
  const html = readFileSync(htmlFile, 'utf8')
  const refs = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)]
  return refs.map((m) => m[1])
}

const rows = []
const notes = []
function row(label, bytes, goal, extra = '') {
  rows.push({ label, bytes, goal, extra })
}

// ---- widget -------------------------------------------------------------------------------------
const widgetDir = join(dist, 'widget')
const loaderFile = join(widgetDir, 'widget.js')
const widgetManifest = readManifest(widgetDir)
if (!existsSync(loaderFile) || !widgetManifest) {
  console.error(`sizes: no widget build in ${widgetDir}; run "npm run build" in frontend/ first`)
  process.exit(2)
}
const loader = sizes(loaderFile)
const stretch = `stretch ≤ ${fmt(GOALS.loaderStretch)} ${loader.gzip <= GOALS.loaderStretch ? 'met' : 'missed'}`
row('widget.js stub', loader, GOALS.loader, `raw ${loader.raw} B; ${stretch}; what every host page loads`)
// The stub fetches the rest of the loader from the path baked into it at build time.
const uiPath = readFileSync(loaderFile, 'utf8').match(/\/widget\/(assets\/loader-ui-[\w-]+\.js)/)?.[1]
const loaderUi = uiPath && existsSync(join(widgetDir, uiPath)) ? sizes(join(widgetDir, uiPath)) : null
const noUi = { raw: 0, gzip: 0, brotli: 0 }
if (loaderUi) {
  row('loader-ui.js (lazy)', loaderUi, null, `${uiPath}; fetched on first launcher hover/focus/click or open()`)
  row('widget.js + loader-ui.js', sumOf(loader, loaderUi), null, 'the whole loader, once the widget is opened')
} else notes.push(`widget.js names no loader-ui.js that exists in ${widgetDir} (${uiPath ?? 'no path found'})`)

const frameKey = entryKey(widgetManifest, 'frame.html')
const frameStatic = closure(widgetManifest, [frameKey])
const firstOpen = total(widgetDir, widgetManifest, frameStatic)
row('widget first open, iframe (JS)', firstOpen.js, GOALS.widget, `${firstOpen.js.files.length} file(s), + CSS ${fmt(firstOpen.css.gzip)}`)
row('widget first open + loader-ui (JS)', sumOf(firstOpen.js, loaderUi ?? noUi), null, 'all JS the first open fetches besides widget.js')
const htmlRefs = htmlScripts(join(widgetDir, 'frame.html')).map((u) => u.replace(/^\/widget\//, ''))
const missing = htmlRefs.filter((f) => !firstOpen.js.files.includes(f))
if (missing.length) notes.push(`frame.html loads ${missing.join(', ')} which the manifest walk did not count`)

const lazyKeys = new Set()
for (const key of frameStatic) for (const d of widgetManifest[key].dynamicImports ?? []) lazyKeys.add(d)
const lazyAll = closure(widgetManifest, [...lazyKeys])
const lazy = total(widgetDir, widgetManifest, lazyAll, frameStatic)
row('widget lazy chunks (JS)', lazy.js, null, `loaded after the form renders: ${[...lazyKeys].map((k) => widgetManifest[k].name).join(', ')}`)
row('widget total after open (JS)', sumOf(sumOf(firstOpen.js, lazy.js), loaderUi ?? noUi), null, 'loader-ui + first open + lazy chunks')

// ---- dashboard ----------------------------------------------------------------------------------
const dashManifest = readManifest(dist)
if (!dashManifest) {
  notes.push(`no ${join(dist, '.vite/manifest.json')}: dashboard not built (or built without build.manifest: true)`)
} else {
  const indexKey = entryKey(dashManifest, 'index.html')
  if (!indexKey) notes.push('dashboard manifest has no index.html entry')
  else {
    const entryKeys = closure(dashManifest, [indexKey])
    const dynamic = Object.keys(dashManifest).filter((k) => dashManifest[k].isDynamicEntry)
    const pick = (names, include, exclude) =>
      dynamic.filter((k) => {
        const name = dashManifest[k].name ?? k
        return names.length ? names.includes(name) : include.test(name) && !exclude.test(name)
      })
    const route = (label, chunks, goal, what) => {
      if (chunks.length === 0) notes.push(`no lazy chunk found for ${label}; it counts the entry only (see --${what}-chunk)`)
      const sum = total(dist, dashManifest, closure(dashManifest, [indexKey, ...chunks]))
      const names = chunks.map((k) => dashManifest[k].name).join(', ') || 'nothing'
      row(`${label} (JS)`, sum.js, goal, `entry + ${names}; + CSS ${fmt(sum.css.gzip)}`)
    }
    route('/login first screen', pick(loginChunks, /login|auth/i, /^$/), GOALS.login, 'login')
    const adminRe = /admin|tickets?[-_]?(page|view)|ticket-?management|supabase/i
    route('/admin + tickets view', pick(adminChunks, adminRe, /analytic|chart|detail|dialog|menu/i), GOALS.admin, 'admin')
    const entry = total(dist, dashManifest, entryKeys)
    row('  dashboard entry', entry.js, null, `${entry.js.files.length} file(s), shared by every route`)

    for (const key of dynamic) {
      const own = total(dist, dashManifest, closure(dashManifest, [key]), entryKeys)
      row(`  lazy: ${dashManifest[key].name ?? key}`, own.js, null, 'adds to the entry')
    }
  }
}

// ---- report -------------------------------------------------------------------------------------
function sumOf(a, b) {
  return { raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }
}
function fmt(bytes) {
  return `${(bytes / KB).toFixed(1)} KB`
}

const widgetOverCeiling = firstOpen.js.gzip > GOALS.widgetCeiling
if (asJson) {
  console.log(
    JSON.stringify(
      {
        unit: 'bytes (gzip -9, brotli 11)',
        chatwootBytes: CHATWOOT_BYTES,
        rows: rows.map((r) => ({ ...r, bytes: { raw: r.bytes.raw, gzip: r.bytes.gzip, brotli: r.bytes.brotli } })),
        notes,
      },
      null,
      2,
    ),
  )
} else {
  const header = ['what', 'gzip', 'brotli', 'goal', 'vs goal', 'vs Chatwoot 170 KiB', 'notes']
  const lines = rows.map((r) => [
    r.label,
    fmt(r.bytes.gzip),
    fmt(r.bytes.brotli),
    r.goal ? `≤ ${fmt(r.goal)}` : '',
    r.goal ? `${r.bytes.gzip <= r.goal ? 'met' : 'MISSED'} (${((r.bytes.gzip / r.goal) * 100).toFixed(0)}%)` : '',
    `${(r.bytes.gzip / CHATWOOT_BYTES).toFixed(2)}×`,
    r.extra,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const print = (cells) => console.log(cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd())
  console.log(`frontend bundle sizes — ${dist}`)
  print(header)
  print(widths.map((w) => '-'.repeat(w)))
  lines.forEach(print)
  for (const note of notes) console.log(`note: ${note}`)
  console.log(`widget hard ceiling ${fmt(GOALS.widgetCeiling)} for first-open JS: ${widgetOverCeiling ? 'EXCEEDED' : 'ok'}`)
}
process.exit(widgetOverCeiling ? 1 : 0)
