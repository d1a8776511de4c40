"""What the storage routes share for one server: pool, keys, blob store and the global limit."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from supadesk.keys import ProjectKeys
from supadesk.server.storage.blobs import BlobStore


@dataclass
class StorageService:
    pool: asyncpg.Pool
    keys: ProjectKeys
    blobs: BlobStore
    global_limit: int
