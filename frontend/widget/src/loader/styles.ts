/**
 * Host-page CSS for the launcher and the iframe holder. Every class carries the `supadesk-` prefix;
 * `all: initial` first so the host's element selectors (button, iframe, svg …) cannot leak in.
 * Below 640 px the open panel is full screen and the launcher steps aside (the panel has its own
 * minimise button).
 */
export const CSS =
  '.supadesk-launcher{all:initial;position:fixed;bottom:20px;right:20px;z-index:2147483647;width:56px;height:56px;' +
  'border-radius:50%;cursor:pointer;display:flex;align-items:center;justify-content:center;' +
  'box-shadow:0 4px 14px rgba(0,0,0,.3);font:700 12px/1 system-ui,sans-serif}' +
  '.supadesk-launcher:focus-visible{outline:3px solid #111;outline-offset:3px;box-shadow:0 0 0 6px #fff}' +
  '.supadesk-launcher svg{width:28px;height:28px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}' +
  '.supadesk-badge{all:initial;position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;' +
  'box-sizing:border-box;border-radius:10px;border:2px solid #fff;background:#c62828;color:#fff;' +
  'font:700 11px/16px system-ui,sans-serif;text-align:center}' +
  '.supadesk-badge[hidden],.supadesk-frame[hidden]{display:none}' +
  '.supadesk-frame{all:initial;position:fixed;bottom:88px;right:20px;z-index:2147483646;width:380px;' +
  'height:min(640px,calc(100% - 108px));border:0;border-radius:12px;background:#fff;box-shadow:0 8px 30px rgba(0,0,0,.3)}' +
  '.supadesk-left .supadesk-launcher,.supadesk-left .supadesk-frame{left:20px;right:auto}' +
  '@media (max-width:639px){.supadesk-frame{inset:0;width:100%;height:100%;border-radius:0}' +
  '.supadesk-open .supadesk-launcher{display:none}}'
