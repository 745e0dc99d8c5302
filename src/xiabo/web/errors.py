"""Web-only failures; each maps to an HTTP status (API) or a page/redirect (HTML)."""

from __future__ import annotations

__all__ = ["BodyTooLarge", "CsrfFailed", "Forbidden", "LoginRequired"]


class LoginRequired(Exception):
    """No valid session in agency mode (pages redirect to /login, the API answers 401)."""


class Forbidden(Exception):
    """Logged in, but this role may not do this (403)."""

    def __init__(self, key: str = "web.errors.forbidden"):
        super().__init__(key)
        self.key = key


class CsrfFailed(Exception):
    """A form without the right CSRF token (403)."""


class BodyTooLarge(Exception):
    """A request body above the configured limit (413); ``api``: the JSON API's limit."""

    def __init__(self, limit: int = 0, size: int = 0, api: bool = False):
        super().__init__(limit, size)
        self.limit, self.size, self.api = limit, size, api
