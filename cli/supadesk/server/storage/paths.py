"""Bucket ids and object keys: what Supabase Storage accepts, refused with a clear InvalidKey.

Object keys never reach the filesystem (files are stored under opaque version ids, see blobs.py),
so a key cannot escape the data directory whatever it contains.  Keys are still validated, with
the same character set as hosted Storage (so a key that works here works there) and an explicit
reason for the dangerous shapes: `..`/`.` segments, absolute paths, backslashes and NUL bytes.
"""

from __future__ import annotations

import re

from supadesk.server.storage import errors

MAX_KEY_LENGTH = 1024
MAX_BUCKET_LENGTH = 100
# Characters S3 (and therefore hosted Storage) treats as safe in keys; '/' separates folders.
_KEY_CHARS = re.compile(r"^[A-Za-z0-9_/!.*'() &$=@;:+,?-]*$")
_BUCKET_CHARS = re.compile(r"^[A-Za-z0-9_!.*'() &$=@;:+,?-]*$")


def object_key(key: str) -> str:
    """The key itself when valid, else a StorageError (InvalidKey, HTTP 400)."""
    if not key:
        raise errors.invalid_key(key, "the object name is empty")
    if "\x00" in key:
        raise errors.invalid_key(key, "contains a NUL byte")
    if "\\" in key:
        raise errors.invalid_key(key, "contains a backslash")
    if key.startswith("/"):
        raise errors.invalid_key(key, "must be a relative path")
    segments = key.split("/")
    if any(segment in (".", "..") for segment in segments):
        raise errors.invalid_key(key, "contains a '.' or '..' path segment")
    if any(segment == "" for segment in segments[:-1]):
        raise errors.invalid_key(key, "contains an empty path segment")
    if segments[-1] == "":
        raise errors.invalid_key(key, "must name a file, not a folder")
    if len(key.encode()) > MAX_KEY_LENGTH:
        raise errors.invalid_key(key, f"longer than {MAX_KEY_LENGTH} bytes")
    if not _KEY_CHARS.match(key):
        raise errors.invalid_key(key, "contains characters Storage does not allow")
    return key


def bucket_id(name: str) -> str:
    if not name or len(name) > MAX_BUCKET_LENGTH or not _BUCKET_CHARS.match(name) or name in (".", ".."):
        raise errors.invalid_bucket_name(name)
    return name


def split_bucket_key(value: str) -> tuple[str, str]:
    """`bucket/a/b.png` → ("bucket", "a/b.png"), both validated."""
    bucket, _, key = value.partition("/")
    return bucket_id(bucket), object_key(key)


def list_prefix(prefix: str) -> str:
    """A listing prefix: a folder path ('' for the root), always ending in '/' when not empty."""
    if "\x00" in prefix or "\\" in prefix or prefix.startswith("/"):
        raise errors.invalid_key(prefix, "not a valid folder prefix")
    if any(segment in (".", "..") for segment in prefix.split("/")):
        raise errors.invalid_key(prefix, "contains a '.' or '..' path segment")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return prefix
