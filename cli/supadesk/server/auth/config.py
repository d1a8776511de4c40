"""The auth settings: `[auth]` of `supabase/config.toml`, read as the Supabase CLI reads them.

Defaults are the CLI's (anonymous sign-ins off, 6-character passwords, 1 h tokens).  Rate limits
are per client IP with GoTrue's windows; `SUPADESK_AUTH_RATE_LIMIT_<NAME>` overrides one (tests run
a second server with a low limit that way).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supadesk.server.ratelimit import Limit

# name in [auth.rate_limit] -> (default requests, window in seconds), as documented for the CLI.
RATE_LIMIT_DEFAULTS: dict[str, tuple[int, float]] = {
    "anonymous_users": (30, 3600.0),
    "sign_in_sign_ups": (30, 300.0),
}
ENV_PREFIX = "SUPADESK_AUTH_RATE_LIMIT_"


class AuthConfigError(ValueError):
    """config.toml holds a value the auth server cannot use."""


@dataclass(frozen=True)
class AuthConfig:
    site_url: str = "http://127.0.0.1:3000"
    jwt_expiry: int = 3600
    enable_signup: bool = True
    enable_anonymous_sign_ins: bool = False
    minimum_password_length: int = 6
    refresh_token_rotation: bool = True
    refresh_token_reuse_interval: int = 10
    email_signup: bool = True
    email_confirmations: bool = False
    rate_limits: dict[str, Limit] = field(default_factory=dict)

    def rate_limit(self, name: str) -> Limit:
        return self.rate_limits.get(name, Limit(0, 1.0))


def _get(table: Mapping[str, Any], key: str, kind: type, default: Any) -> Any:
    value = table.get(key, default)
    # bool is an int subclass: `jwt_expiry = true` must not pass as 1.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise AuthConfigError(f"[auth] {key} must be a {kind.__name__}, got {value!r}")
    return value


def _rate_limits(table: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, Limit]:
    limits: dict[str, Limit] = {}
    for name, (default, window) in RATE_LIMIT_DEFAULTS.items():
        requests = _get(table, name, int, default)
        override = env.get(ENV_PREFIX + name.upper())
        if override is not None:
            try:
                requests = int(override)
            except ValueError as exc:
                raise AuthConfigError(f"{ENV_PREFIX}{name.upper()} must be an integer") from exc
        limits[name] = Limit(requests, window)
    return limits


def load_auth_config(config_toml: Path, env: Mapping[str, str] | None = None) -> AuthConfig:
    """Parse `[auth]`; a missing file means the CLI defaults."""
    env = os.environ if env is None else env
    data: dict[str, Any] = {}
    if config_toml.is_file():
        try:
            data = tomllib.loads(config_toml.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise AuthConfigError(f"{config_toml}: {exc}") from exc
    auth = data.get("auth", {})
    email = auth.get("email", {})
    defaults = AuthConfig()
    config = AuthConfig(
        site_url=_get(auth, "site_url", str, defaults.site_url),
        jwt_expiry=_get(auth, "jwt_expiry", int, defaults.jwt_expiry),
        enable_signup=_get(auth, "enable_signup", bool, defaults.enable_signup),
        enable_anonymous_sign_ins=_get(auth, "enable_anonymous_sign_ins", bool, defaults.enable_anonymous_sign_ins),
        minimum_password_length=_get(auth, "minimum_password_length", int, defaults.minimum_password_length),
        refresh_token_rotation=_get(auth, "enable_refresh_token_rotation", bool, defaults.refresh_token_rotation),
        refresh_token_reuse_interval=_get(
            auth, "refresh_token_reuse_interval", int, defaults.refresh_token_reuse_interval
        ),
        email_signup=_get(email, "enable_signup", bool, defaults.email_signup),
        email_confirmations=_get(email, "enable_confirmations", bool, defaults.email_confirmations),
        rate_limits=_rate_limits(auth.get("rate_limit", {}), env),
    )
    if config.jwt_expiry <= 0:
        raise AuthConfigError("[auth] jwt_expiry must be positive")
    return config
