"""Access tokens (GoTrue's claims, HS256 with the project secret) and the session JSON around them."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg

from supadesk.keys import Claims, ProjectKeys
from supadesk.server.auth.users import metadata, user_json

AUDIENCE = "authenticated"
DEFAULT_ROLE = "authenticated"


def amr_method(user: asyncpg.Record) -> str:
    """How a session was opened.  Only password and anonymous sign-ins exist here, and which one
    follows from the user (there is no `auth.mfa_amr_claims` table to remember it)."""
    return "anonymous" if user["is_anonymous"] else "password"


@dataclass(frozen=True)
class TokenIssuer:
    keys: ProjectKeys
    issuer: str  # "<api url>/auth/v1", as the CLI sets GOTRUE_JWT_ISSUER
    expiry: int  # seconds

    def claims(
        self, user: asyncpg.Record, session_id: uuid.UUID, method: str, authenticated_at: dt.datetime, now: int
    ) -> Claims:
        return {
            "iss": self.issuer,
            "sub": str(user["id"]),
            "aud": user["aud"] or AUDIENCE,
            "exp": now + self.expiry,
            "iat": now,
            "email": user["email"] or "",
            "phone": user["phone"] or "",
            "app_metadata": metadata(user["app_metadata"]),
            "user_metadata": metadata(user["user_metadata"]),
            "role": user["role"] or DEFAULT_ROLE,
            "aal": "aal1",
            "amr": [{"method": method, "timestamp": int(authenticated_at.timestamp())}],
            "session_id": str(session_id),
            "is_anonymous": bool(user["is_anonymous"]),
        }

    def session_json(self, row: asyncpg.Record, method: str | None = None) -> dict[str, Any]:
        """The session response for a row from `sessions.issue`/`rotate`/`active_token`."""
        now = int(time.time())
        claims = self.claims(row, row["session_id"], method or amr_method(row), row["session_created_at"], now)
        return {
            "access_token": self.keys.sign(claims),
            "token_type": "bearer",
            "expires_in": self.expiry,
            "expires_at": claims["exp"],
            "refresh_token": row["refresh_token"],
            "user": user_json(row),
        }
