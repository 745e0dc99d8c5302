"""The web fixtures (tests/web/conftest.py) for the payouts page and API tests."""

from tests.web.conftest import (  # noqa: F401
    _cheap_argon2,
    artifacts,
    live_server,
    web,
)


def pytest_collection_modifyitems(config, items):
    """Starlette's TestClient warns that it will move to httpx2 (as in tests/web)."""
    import pytest

    for item in items:
        if "tests/dispute/payouts/test_web" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.filterwarnings("ignore:Using `httpx`"))
