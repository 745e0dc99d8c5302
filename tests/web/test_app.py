"""The app's own middleware (web/app.py): requests take turns with what already waits."""

from __future__ import annotations

import asyncio

from tests.helpers import in_own_thread

from xiabo.web.app import _Limits


def test_a_request_lets_what_already_waits_run_before_its_work():
    """What the loop already had queued (say, reading a new connection's request) runs before
    this request's work, not after it: bench/web.py's first requests on a connection waited
    two or three turns of other pages before."""
    order: list[str] = []

    async def app(scope, receive, send):
        order.append("request")

    async def main():
        middleware = _Limits(app, max_body=1000)
        asyncio.get_running_loop().call_soon(order.append, "waiting")
        await middleware({"type": "http", "path": "/", "headers": []}, None, None)

    in_own_thread(lambda: asyncio.run(main()))
    assert order == ["waiting", "request"]


def test_other_scopes_pass_straight_through():
    order: list[str] = []

    async def app(scope, receive, send):
        order.append(scope["type"])

    async def main():
        middleware = _Limits(app, max_body=1000)
        asyncio.get_running_loop().call_soon(order.append, "waiting")
        await middleware({"type": "lifespan"}, None, None)

    in_own_thread(lambda: asyncio.run(main()))
    assert order == ["lifespan", "waiting"]
