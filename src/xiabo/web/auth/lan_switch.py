"""Turning phone access on and off from the pairing page, without restarting the server.

``xiabo serve`` (single-user mode, one worker) keeps a :class:`LanSwitch` on the app. Turning
it on binds this computer's LAN address on the same port and serves the same app there: a
second uvicorn server in the same event loop, as ``serve --lan`` does with its second socket.
From then on the app treats other devices exactly as under ``serve --lan`` (paired phones
only, see :mod:`.pairing`). Turning it off stops that listener; phones stay paired and work
again the next time it is turned on.

The choice is **not remembered**: every start listens on loopback only unless ``--lan`` is
given, so a laptop carried to a café's network does not open itself there.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from .lan import base_url, bind_socket, lan_addresses

__all__ = ["LanSwitch", "SwitchFailed"]

_START_WAIT_S = 5.0


class SwitchFailed(Exception):
    """Phone access could not be turned on; ``key`` names the catalogue message."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values


def _quiet_server():
    """A uvicorn server that leaves Ctrl+C to the main server (whose shutdown stops it)."""
    import uvicorn

    class _Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self):  # uvicorn >= 0.29
            yield

        def install_signal_handlers(self) -> None:  # older uvicorn
            return None

    return _Server


class LanSwitch:
    """The LAN listener of one running app (``app.state.lan_switch``)."""

    def __init__(self, port: int, *, fixed_address: str | None = None,
                 addresses: Callable[[], list[str]] = lan_addresses):
        self.port = port
        self.fixed_address = fixed_address  # ``serve --lan``: on for the whole run
        self.addresses = addresses
        self.address: str | None = fixed_address
        self._server = None
        self._task: asyncio.Task | None = None
        self._saved: tuple | None = None

    @property
    def fixed(self) -> bool:
        return self.fixed_address is not None

    @property
    def on(self) -> bool:
        return self.fixed or self._task is not None

    async def turn_on(self, app) -> str:
        """Listen on the LAN address too; the address. :class:`SwitchFailed` when there is
        no LAN address or the port is taken there."""
        if self.on:
            return self.address or ""
        found = self.addresses()
        if not found:
            raise SwitchFailed("reach.switch.no_lan")
        address = found[0]
        try:
            sock = bind_socket(address, self.port)
        except OSError:
            raise SwitchFailed("reach.switch.port_taken", address=address,
                               port=self.port) from None
        import uvicorn

        server = _quiet_server()(uvicorn.Config(
            app, lifespan="off", log_level="warning", server_header=False,
            proxy_headers=False, forwarded_allow_ips=""))  # nobody's forwarding is believed
        task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
        waited = 0.0
        while not server.started and not task.done() and waited < _START_WAIT_S:
            await asyncio.sleep(0.02)
            waited += 0.02
        if not server.started:
            server.should_exit = True
            with contextlib.suppress(Exception):
                await task
            sock.close()
            raise SwitchFailed("reach.switch.port_taken", address=address, port=self.port)
        self._server, self._task, self.address = server, task, address
        self._apply(app, address)
        return address

    async def turn_off(self, app) -> bool:
        """Stop the LAN listener started here; False when there was none (or ``--lan``)."""
        if self.fixed or self._task is None:
            return False
        self._server.should_exit = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._task, timeout=_START_WAIT_S)
        self._server, self._task = None, None
        self._restore(app)
        self.address = None
        return True

    def _apply(self, app, address: str) -> None:
        config = app.state.config
        hosts = getattr(app.state, "allowed_hosts", None)
        self._saved = (config.lan, config.base_url,
                       hosts is not None and address not in hosts)
        config.lan = True
        if not config.base_url:
            config.base_url = base_url(address, self.port)
        if hosts is not None:
            hosts.add(address)

    def _restore(self, app) -> None:
        if self._saved is None:
            return
        lan, url, added = self._saved
        config = app.state.config
        config.lan, config.base_url = lan, url
        hosts = getattr(app.state, "allowed_hosts", None)
        if added and hosts is not None:
            hosts.discard(self.address)
        self._saved = None
