"""Fixtures of the Dash app tests.

`app_warehouse` is the published warehouse the app reads. By default it is the lead's session
fixture `warehouse_path` (tests/conftest.py: the real pipeline built into a temporary directory).
For a fast loop against an already built file set TRENDVAKT_TEST_WAREHOUSE=/path/to/warehouse.duckdb.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.support import resolve_app_warehouse


@pytest.fixture(scope="session")
def app_warehouse(request) -> Path:
    return resolve_app_warehouse(request)


@pytest.fixture(scope="session", autouse=True)
def _app_reads_test_warehouse(app_warehouse):
    """Point dash_app (config read at call time) at the test warehouse for the whole session."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRENDVAKT_WAREHOUSE", str(app_warehouse))
        yield


@pytest.fixture(scope="session")
def dash_app_instance(_app_reads_test_warehouse):
    """The one app instance of the session (dash_app.app.app, created on import)."""
    from dash_app.app import app

    return app


@pytest.fixture()
def client(dash_app_instance):
    return dash_app_instance.server.test_client()
