"""The PostgREST-compatible `/rest/v1` surface.

Built the way PostgREST is: parse (querystring, grammar, filters, params, preferences, request) →
plan (plan/, against the schema cache in schema/) → SQL (sql/) → run (execute) → respond
(response). Errors live in errors.py and pgerrors.py; identifiers are quoted only by ident.py.
"""

from __future__ import annotations

from supadesk.server.rest.app import RestApp
from supadesk.server.rest.listener import SchemaListener
from supadesk.server.rest.settings import load_rest_settings
from supadesk.server.surface import ServerState, Surface

PREFIX = "/rest/v1"


def create_surface(state: ServerState) -> Surface:
    settings = load_rest_settings(state.settings.supabase_dir / "config.toml")
    app = RestApp(state, settings)
    listener = SchemaListener(state.db_url, app.load_schema)
    state.extras["rest"] = app

    async def startup() -> None:
        await app.load_schema()
        await listener.start()

    async def shutdown() -> None:
        await listener.stop()

    return Surface(prefix=PREFIX, app=app, startup=startup, shutdown=shutdown)
