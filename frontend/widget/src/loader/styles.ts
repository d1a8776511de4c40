/**
 * Host-page CSS. Every class carries the `supadesk-` prefix; `all: initial` first so the host's element
 * selectors (button, iframe, span …) cannot leak in; z-index is the maximum. Rules after the reset use
 * two classes so they beat it. Split in two so the stub only carries what the launcher needs:
 *   LAUNCHER_CSS  widget.js: the launcher and its icon
 *   UI_CSS        loader-ui.js: the unread badge, the iframe; below 640 px the open panel is full
 *                 screen and the launcher steps aside (the panel has its own minimise button)
 */
export const LAUNCHER_CSS =
  '.supadesk-root>:not(style){all:initial;position:fixed;bottom:20px;right:20px;z-index:2147483647;box-shadow:0 4px 20px #0006}' +
  '.supadesk-left>:not(style){left:20px;right:auto}' +
  '.supadesk-root>.supadesk-launcher{width:56px;height:56px;border-radius:50%;cursor:pointer;display:grid;place-items:center}' +
  '.supadesk-launcher:focus-visible{outline:3px solid #111;outline-offset:3px}' +
  '.supadesk-launcher svg{width:28px;fill:none;stroke:currentColor;stroke-width:2}'

export const UI_CSS =
  '.supadesk-badge{all:initial;position:absolute;top:-4px;right:-4px;min-width:12px;padding:0 4px;border-radius:9px;' +
  'border:2px solid #fff;background:#c62828;color:#fff;font:700 11px/16px sans-serif;text-align:center}' +
  '.supadesk-root>[hidden],[hidden].supadesk-badge{display:none}' +
  '.supadesk-root>.supadesk-frame{bottom:88px;width:380px;height:min(640px,100% - 108px);border-radius:12px;background:#fff}' +
  '@media (max-width:639px){.supadesk-root>.supadesk-frame{inset:0;width:100%;height:100%;border-radius:0}' +
  '.supadesk-open>.supadesk-launcher{display:none}}'
