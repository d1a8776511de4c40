"""The prebuilt frontend: the dashboard SPA at `/`, the widget at `/widget`, `/widget.js`, and the
runtime config `/supadesk-config.json` (API URL + anon key, so one build serves any deployment)."""

from supadesk.server.static.app import create_surface

__all__ = ["create_surface"]
