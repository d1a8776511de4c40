"""`GET /health`, `GET /settings` and `GET /.well-known/jwks.json`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from supadesk import __version__
from supadesk.server.auth.deps import AuthDeps
from supadesk.server.auth.http import json_response


async def health(deps: AuthDeps, request: Request) -> Response:
    return json_response(
        {"version": __version__, "name": "supadesk-auth", "description": "supadesk's GoTrue-compatible auth API"}
    )


async def settings(deps: AuthDeps, request: Request) -> Response:
    config = deps.config
    return json_response(
        {
            "external": {
                "anonymous_users": config.enable_anonymous_sign_ins,
                "email": config.email_signup,
                "phone": False,
            },
            "disable_signup": not config.enable_signup,
            "mailer_autoconfirm": not config.email_confirmations,
            "phone_autoconfirm": False,
            "sms_provider": "",
            "saml_enabled": False,
        }
    )


async def jwks(deps: AuthDeps, request: Request) -> Response:
    # Tokens are HS256 (a shared secret, never published): clients then verify through GET /user.
    return json_response({"keys": []})
