"""Every error the REST surface answers with: one class, one factory per failure, stable codes.

Codes follow PostgREST (`PGRSTgxx`: 1xx request, 2xx schema cache, 3xx JWT) so clients and docs
match; database errors keep their SQLSTATE (see pgerrors.py). The body is always
`{code, message, details, hint}`. `SD413` is supadesk's own (PostgREST leaves body limits to a proxy).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ApiError(Exception):
    status: int
    code: str
    message: str
    details: Any = None
    hint: str | None = None
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)

    def body(self) -> bytes:
        payload = {"code": self.code, "details": self.details, "hint": self.hint, "message": self.message}
        return json.dumps(payload, separators=(",", ":")).encode()


# -- 1xx: the request --------------------------------------------------------------------------


def parse_error(message: str, details: str | None = None) -> ApiError:
    return ApiError(400, "PGRST100", message, details)


def unsupported_verb(method: str) -> ApiError:
    return ApiError(405, "PGRST117", f"Unsupported HTTP method: {method}")


def rpc_verb(method: str) -> ApiError:
    return ApiError(405, "PGRST101", "Only GET and POST verbs are allowed for functions", f"Got {method}")


def invalid_body(message: str) -> ApiError:
    return ApiError(400, "PGRST102", message)


def invalid_range(details: str | None = None) -> ApiError:
    return ApiError(416, "PGRST103", "Requested range not satisfiable", details)


def unacceptable_schema(schema: str, exposed: tuple[str, ...]) -> ApiError:
    hint = "Only the following schemas are exposed: " + ", ".join(exposed)
    return ApiError(406, "PGRST106", f"Invalid schema: {schema}", None, hint)


def unsupported_content_type(content_type: str) -> ApiError:
    return ApiError(415, "PGRST107", f"Content-Type not acceptable: {content_type}")


def unacceptable_media(accept: str) -> ApiError:
    return ApiError(406, "PGRST107", f"None of these media types are available: {accept}")


def not_embedded(name: str) -> ApiError:
    hint = f"Verify that '{name}' is included in the 'select' query parameter."
    return ApiError(400, "PGRST108", f"'{name}' is not an embedded resource in this request", None, hint)


def limit_without_order() -> ApiError:
    return ApiError(
        400,
        "PGRST109",
        "A 'limit' was applied without an explicit 'order'",
        None,
        "Apply an 'order' using unique column(s)",
    )


def singular(rows: int) -> ApiError:
    return ApiError(
        406, "PGRST116", "Cannot coerce the result to a single JSON object", f"The result contains {rows} rows"
    )


def max_affected(rows: int, limit: int) -> ApiError:
    return ApiError(400, "PGRST124", "Query result exceeds max-affected preference constraint",
                    f"The query affects {rows} rows", f"max-affected is {limit}")


def strict_preferences(invalid: list[str]) -> ApiError:
    return ApiError(
        400, "PGRST122", "Invalid preferences given with handling=strict", "Invalid preferences: " + ", ".join(invalid)
    )


def body_too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "SD413",
        "Request body too large",
        f"The limit is {limit} bytes",
        "Send a smaller body or raise SUPADESK_REST_MAX_BODY_BYTES.",
    )


# -- 2xx: the schema cache ---------------------------------------------------------------------


def no_relationship(source: str, target: str, schema: str) -> ApiError:
    return ApiError(
        400,
        "PGRST200",
        f"Could not find a relationship between '{source}' and '{target}' in the schema cache",
        f"Searched for a foreign key relationship between '{source}' and '{target}' in the schema "
        f"'{schema}', but no matches were found.",
    )


def ambiguous_relationship(source: str, target: str, details: list[dict[str, str]], names: list[str]) -> ApiError:
    hint = (
        f"Try changing '{target}' to one of the following: "
        + ", ".join(f"'{n}'" for n in names)
        + ". Find the desired relationship in the 'details' key."
    )
    return ApiError(
        300,
        "PGRST201",
        f"Could not embed because more than one relationship was found for '{source}' and '{target}'",
        details,
        hint,
    )


def function_not_found(schema: str, name: str, args: list[str]) -> ApiError:
    arg_list = ", ".join(sorted(args))
    details = (
        f"Searched for the function {schema}.{name}"
        + (f" with parameters {arg_list}" if args else " without parameters")
        + " or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache."
    )
    return ApiError(
        404, "PGRST202", f"Could not find the function {schema}.{name}({arg_list}) in the schema cache", details
    )


def ambiguous_function(schema: str, name: str) -> ApiError:
    return ApiError(
        300,
        "PGRST203",
        f"Could not choose the best candidate function for {schema}.{name}",
        None,
        "Try renaming the parameters or the function itself in the database.",
    )


def column_not_found(table: str, column: str) -> ApiError:
    return ApiError(400, "PGRST204", f"Could not find the '{column}' column of '{table}' in the schema cache")


def table_not_found(schema: str, name: str, suggestion: str | None = None) -> ApiError:
    hint = f"Perhaps you meant the table '{schema}.{suggestion}'" if suggestion else None
    return ApiError(404, "PGRST205", f"Could not find the table '{schema}.{name}' in the schema cache", None, hint)


def undefined_column(table: str, column: str) -> ApiError:
    """What PostgreSQL answers for an unknown column in a read (PostgREST forwards it): 42703."""
    return ApiError(400, "42703", f"column {table}.{column} does not exist")


def undefined_type(name: str) -> ApiError:
    return ApiError(400, "42704", f'type "{name}" does not exist')


# -- 3xx: the JWT ------------------------------------------------------------------------------


def _bearer_challenge(description: str) -> list[tuple[bytes, bytes]]:
    value = f'Bearer error="invalid_token", error_description="{description}"'
    return [(b"www-authenticate", value.encode("latin-1", "replace"))]


def invalid_jwt(message: str) -> ApiError:
    return ApiError(401, "PGRST301", message, None, None, _bearer_challenge(message))


def expired_jwt() -> ApiError:
    return ApiError(401, "PGRST303", "JWT expired", None, None, _bearer_challenge("JWT expired"))


# -- 0xx: the database connection --------------------------------------------------------------


def database_unavailable() -> ApiError:
    return ApiError(503, "PGRST001", "Database client error. Retrying the connection.")
