/**
 * Build of the embeddable widget (runs after the dashboard build; writes only dist/widget/):
 *   dist/widget/widget.js      the loader, one IIFE (served as /widget.js)
 *   dist/widget/frame.html     the Preact app inside the iframe (+ assets/ under base /widget/)
 *   dist/widget/demo.html      WidgetDemoPage (served as /widget)
 * The loader is a second, library-mode build started when the page build has been written.
 */
import { fileURLToPath } from 'node:url'
import { build, defineConfig, type Plugin } from 'vite'

const root = fileURLToPath(new URL('./widget', import.meta.url))
// WIDGET_OUT_DIR lets a widget-only build go elsewhere (e.g. smoke tests while the dashboard rebuilds dist/).
const outDir = process.env.WIDGET_OUT_DIR ?? fileURLToPath(new URL('./dist/widget', import.meta.url))
const jsx = { runtime: 'automatic', importSource: 'preact' } as const

function loaderBuild(): Plugin {
  return {
    name: 'supadesk-widget-loader',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        publicDir: false,
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2020',
          lib: { entry: 'src/loader/index.ts', formats: ['iife'], name: 'supadeskLoader', fileName: () => 'widget.js' },
        },
      })
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
