"""PostgREST's SQLSTATE → HTTP status table."""

from __future__ import annotations

import pytest

from supadesk.server.rest.pgerrors import http_status


@pytest.mark.parametrize(("sqlstate", "anonymous", "status"), [
    ("23505", False, 409), ("23503", False, 409), ("23514", False, 400), ("23502", False, 400),
    ("22P02", False, 400), ("42501", True, 401), ("42501", False, 403), ("P0001", False, 400),
    ("P0002", False, 500), ("PT409", False, 409), ("PT402", True, 402), ("PT999", False, 500),
    ("42883", False, 404), ("42P01", False, 404), ("42P17", False, 500), ("25006", False, 405),
    ("25001", False, 500), ("57014", False, 500), ("08006", False, 503), ("53300", False, 503),
    ("53400", False, 500), ("28000", False, 403), ("0P000", False, 403), ("40001", False, 500),
    ("XX000", False, 500), ("42703", False, 400), ("22023", False, 400),
])
def test_sqlstate_to_http(sqlstate: str, anonymous: bool, status: int) -> None:
    assert http_status(sqlstate, anonymous) == status
