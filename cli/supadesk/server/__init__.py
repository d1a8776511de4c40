"""The local Supabase stack: one asyncio server speaking /auth/v1, /rest/v1, /realtime/v1, /storage/v1
and /functions/v1 over a real PostgreSQL.  Each surface lives in its own subpackage; `app.py` is the
thin gateway that mounts them."""
