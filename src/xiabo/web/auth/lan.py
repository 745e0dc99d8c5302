"""Reaching the computer from a phone: the LAN address, the base URL, QR codes.

No network access is needed: a UDP ``connect`` sends nothing, it only asks the routing table
which local address would be used; when there is no route, the addresses of this host's name
and of ``ip -j addr`` are tried. Private (RFC 1918) IPv4 addresses come first.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import subprocess
from urllib.parse import urlsplit

__all__ = ["base_url", "bind_socket", "check_base_url", "is_loopback_url", "lan_addresses", "qr_svg", "qr_text"]

_PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")


def _usable(text: str) -> bool:
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    return ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified
                                    or ip.is_multicast)


def _by_route() -> list[str]:
    found = []
    for probe in _PROBES:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))  # UDP: nothing is sent
                found.append(s.getsockname()[0])
        except OSError:
            continue
    return found


def _by_name() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [info[4][0] for info in infos]


def _by_ip_command() -> list[str]:
    try:
        out = subprocess.run(["ip", "-j", "addr"], capture_output=True, text=True, timeout=3,
                             check=False).stdout
        links = json.loads(out or "[]")
    except (OSError, ValueError, subprocess.SubprocessError):
        return []
    return [a.get("local", "") for link in links for a in link.get("addr_info", [])
            if a.get("family") == "inet"]


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses a phone on the same network could use, best first."""
    seen: list[str] = []
    for source in (_by_route, _by_name, _by_ip_command):
        for addr in source():
            if _usable(addr) and addr not in seen:
                seen.append(addr)
    return sorted(seen, key=lambda a: (not ipaddress.ip_address(a).is_private, seen.index(a)))


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening-ready socket on ``host:port`` (serve --lan and the page's switch)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def is_loopback_url(url: str | None) -> bool:
    """True when a phone could not open ``url`` (127.0.0.1, localhost, ::1)."""
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def qr_svg(data: str, title: str) -> str:
    """An inline SVG QR code (no script, no external file)."""
    import segno

    svg = segno.make(data, error="m").svg_inline(scale=6, border=2, dark="#111", light="#fff",
                                                 title=title, svgclass="qr")
    return svg.replace("<svg ", '<svg role="img" ', 1)


def qr_text(data: str) -> str:
    """The QR code as terminal text (two rows per line)."""
    import io

    import segno

    buf = io.StringIO()
    segno.make(data, error="m").terminal(out=buf, compact=True, border=2)
    return buf.getvalue()


def check_base_url(url: str) -> str:
    """``--base-url`` as given, without a trailing slash; UserError unless http(s)://host."""
    from ...errors import UserError

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError("reach.serve.bad_base_url", {"url": url}, field="--base-url",
                        fix_key="reach.serve.bad_base_url_fix")
    return url.strip().rstrip("/")


def url_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
