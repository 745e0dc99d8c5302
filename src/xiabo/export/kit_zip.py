"""The announcement kit as files in a zip: the web's download of one case's kit and the
``exports-kit`` job's one zip for many cases write the same pieces under the same names as
``xiabo export``. The kit holds announcements only: no dispute data, whoever reads it."""

from __future__ import annotations

import io
import zipfile

__all__ = ["kit_files", "zip_files", "zip_info"]


def kit_files(plan, profile, tone: str) -> list[tuple[str, bytes]]:
    """(path inside the zip, text) for every piece of the announcement kit."""
    from .announcements import kit_pieces
    from .common import file_name

    folder = file_name("kit_dir", plan.lang)
    return [(f"{folder}/{file_name(f'kit.{p.id}', plan.lang)}", p.text.encode("utf-8"))
            for p in kit_pieces(plan, profile, tone)]


def zip_info(name: str, when) -> zipfile.ZipInfo:
    """A member dated ``when`` (a date: the same kit gives the same zip), readable by all."""
    info = zipfile.ZipInfo(name, date_time=(max(when.year, 1980), when.month, when.day,
                                            0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def zip_files(files: list[tuple[str, bytes]], when) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            zf.writestr(zip_info(name, when), data)
    return buf.getvalue()
