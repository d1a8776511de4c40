/**
 * What the stub (widget.js) and the lazily loaded part (loader-ui.js) share. Types only, plus the
 * version; the stub hands a UiContext to loader-ui's mount function and gets back the handler that
 * every later `supadesk(...)` call goes to.
 */
import type { LauncherConfig } from './config'

export const VERSION = '1'

/** The arguments of one `supadesk(command, arg)` call. */
export type Call = unknown[]

export interface UiContext {
  win: Window
  /** The widget.js tag; loader-ui reads data-api-url, data-anon-key and data-greeting from it. */
  script: HTMLScriptElement
  cfg: LauncherConfig
  root: HTMLDivElement
  button: HTMLButtonElement
  icon: SVGPathElement
  /** Dispatches `supadesk:<name>` on window. */
  emit(name: string, detail?: unknown): boolean
  /** Adds CSS to the host page (a constructed stylesheet, else a <style> in the root); removed by teardown. */
  style(css: string): void
  /** Removes the launcher, the stylesheets and window.supadesk (the stub's part of shutdown). */
  teardown(): void
}

/** Runs a validated call; throws a TypeError naming the command and field when the call is bad. */
export type Handler = (call: Call) => void

/**
 * loader-ui.js's entry point: checks the required attributes (throws a descriptive Error, and the stub
 * then removes the launcher), takes over the launcher, returns the handler.
 */
export type Mount = (ctx: UiContext) => Handler

/**
 * Fetches loader-ui.js from the supadesk origin (with the host page's script nonce, if any) and calls
 * `done` with its mount function, or with nothing when it could not be loaded.
 */
export type LoadUi = (frameOrigin: string, nonce: string, done: (mount?: Mount) => void) => void
