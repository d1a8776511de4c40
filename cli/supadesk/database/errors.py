"""Errors a user can act on; the CLI prints their message on one line and exits non-zero."""


class DatabaseError(Exception):
    """A database problem worth one clear sentence (unreachable, missing, failed migration)."""
