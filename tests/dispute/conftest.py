"""The web fixtures of tests/web, for the dispute pages' tests here."""

from tests.web.conftest import _cheap_argon2, live_server, make_web  # noqa: F401
