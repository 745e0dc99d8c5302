"""The app's own middleware (web/app.py): requests take turns with what already waits."""

from __future__ import annotations

import asyncio
import threading

from xiabo.web.app import _Limits


def _in_own_thread(coro_fn) -> None:
    """asyncio.run in a fresh thread (a browser test may leave a loop marked running here)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coro_fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if failure:
        raise failure[0]


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

    _in_own_thread(main)
    assert order == ["waiting", "request"]


def test_other_scopes_pass_straight_through():
    order: list[str] = []

    async def app(scope, receive, send):
        order.append(scope["type"])

    async def main():
        middleware = _Limits(app, max_body=1000)
        asyncio.get_running_loop().call_soon(order.append, "waiting")
        await middleware({"type": "lifespan"}, None, None)

    _in_own_thread(main)
    assert order == ["lifespan", "waiting"]
