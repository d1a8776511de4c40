from tests.db.fixtures import conn, empty_url, migrated_template, scratch_url

__all__ = ["conn", "empty_url", "migrated_template", "scratch_url"]
