/**
 * Build of the embeddable widget (runs after the dashboard build; writes only dist/widget/):
 *   dist/widget/widget.js                      the loader stub, one IIFE (served as /widget.js)
 *   dist/widget/assets/loader-ui-<hash>.js     the rest of the loader, one IIFE the stub fetches on first
 *                                              open (or launcher hover/focus); its path is baked into widget.js
 *   dist/widget/frame.html                     the Preact app inside the iframe (+ assets/ under base /widget/)
 *   dist/widget/demo.html                      WidgetDemoPage (served as /widget)
 * The two loader parts are library-mode builds started when the page build has been written:
 * loader-ui first (in memory, then written under its content hash), then the stub with that path.
 */
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build, defineConfig, type InlineConfig, type Plugin, type Rolldown } from 'vite'

const root = fileURLToPath(new URL('./widget', import.meta.url))
// WIDGET_OUT_DIR lets a widget-only build go elsewhere (e.g. smoke tests while the dashboard rebuilds dist/).
const outDir = process.env.WIDGET_OUT_DIR ?? fileURLToPath(new URL('./dist/widget', import.meta.url))
const jsx = { runtime: 'automatic', importSource: 'preact' } as const

/** One loader part as a minified, ASCII-only IIFE with no globals of its own (`name` is required by lib mode, unused). */
function iife(entry: string, fileName: string, extra: InlineConfig = {}): InlineConfig {
  return {
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    ...extra,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2020',
      lib: { entry, formats: ['iife'], name: 'supadeskLoader', fileName: () => fileName },
      // ASCII only: the host page may decode our script in its own charset (no <meta charset>, a CDN
      // without "; charset=utf-8"); "öffnen" must not turn into "Ã¶ffnen".
      rolldownOptions: { output: { charset: 'ascii' } },
      ...extra.build,
    },
  }
}

function loaderBuild(): Plugin {
  return {
    name: 'supadesk-widget-loader',
    apply: 'build',
    async closeBundle() {
      const ui = (await build(iife('src/loader/ui-entry.ts', 'loader-ui.js', { build: { write: false } }))) as
        | Rolldown.RolldownOutput
        | Rolldown.RolldownOutput[]
      const { code } = (Array.isArray(ui) ? ui[0] : ui).output[0]
      const path = `assets/loader-ui-${createHash('sha256').update(code).digest('base64url').slice(0, 8)}.js`
      await mkdir(`${outDir}/assets`, { recursive: true })
      await writeFile(`${outDir}/${path}`, code)
      await build(iife('src/loader/index.ts', 'widget.js', { define: { __SUPADESK_UI__: JSON.stringify(`/widget/${path}`) } }))
    },
  }
}

export default defineConfig({
  root,
  base: '/widget/',
  publicDir: false,
  oxc: { jsx },
  build: {
    outDir,
    emptyOutDir: false,
    manifest: true,
    target: 'es2020',
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { frame: `${root}/frame.html`, demo: `${root}/demo.html` },
    },
  },
  plugins: [loaderBuild()],
})
