"""File downloads from the web pages: one place that writes the ``Content-Disposition`` header.

Why one place: the names users see are Chinese (the case's key, a letter's file), which HTTP
headers cannot carry as is. ``filename*`` carries the UTF-8 name (RFC 6266 / 5987, quoted);
``filename`` is an optional plain-ASCII fallback for old browsers.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from starlette.responses import FileResponse, Response

__all__ = ["NO_STORE", "NOSNIFF", "attachment", "download_response"]

NO_STORE = {"Cache-Control": "no-store"}  # private data: never kept in a browser's cache
NOSNIFF = {"X-Content-Type-Options": "nosniff"}  # the browser keeps the media type given


def attachment(name: str, ascii_name: str | None = None) -> str:
    """The ``Content-Disposition`` value that saves the download as ``name``."""
    fallback = f"filename=\"{ascii_name}\"; " if ascii_name else ""
    return f"attachment; {fallback}filename*=UTF-8''{quote(name)}"


def download_response(name: str, data: bytes | Path, media_type: str, *,
                      ascii_name: str | None = None,
                      headers: dict[str, str] | None = None) -> Response:
    """``data`` (bytes, or a file streamed from disk) offered as a download named ``name``."""
    all_headers = {"Content-Disposition": attachment(name, ascii_name), **(headers or {})}
    if isinstance(data, Path):
        return FileResponse(data, media_type=media_type, headers=all_headers)
    return Response(data, media_type=media_type, headers=all_headers)
