"""Calls into sibling features (evidence log, backup status, exports), only when installed.

Uploads are written under a fresh temp folder with a cleaned file name, handed to the
evidence log (which copies them into its own content-addressed store), then deleted: nothing a
user uploads is ever written anywhere else.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

from ..features import EXPORT_KINDS, features

__all__ = [
    "MAX_EVIDENCE_FILE",
    "add_evidence_files",
    "backup_status",
    "calendar_bytes",
    "export_bytes",
    "log_uploads",
    "safe_filename",
]

MAX_EVIDENCE_FILE = 15 * 1024 * 1024


def safe_filename(name: str | None) -> str:
    """A file name with no folders, control characters or leading dots (keeps Chinese)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[<>:"|?*\x00]', "_", name).strip().lstrip(".")
    if len(name.encode("utf-8")) > 180:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot else ""
        name = (stem or name).encode("utf-8")[:160].decode("utf-8", "ignore") + \
            ("." + ext if ext else "")
    return name or "upload"


def _log_dir(case_key: str) -> Path:
    from ...evidence import default_dir

    return default_dir(case_key)


def add_evidence_files(case_key: str, task_id: str, uploads: list[tuple[str, bytes]],
                       note: str | None) -> int:
    """Log uploaded files for ``task_id``; returns how many were logged."""
    if not uploads or not features()["evidence"]:
        return 0
    from ...evidence.entry import format_time
    from ...evidence.keys import create_log
    from ...evidence.log import EvidenceLog

    folder = _log_dir(case_key)
    now = format_time(datetime.now(UTC))
    if not EvidenceLog.exists(folder):
        create_log(folder, f"xiabo/{case_key}"[:200].replace(" ", "-"), now)
    return log_uploads(EvidenceLog.open(folder), uploads, note=note or None, kind="other",
                       task=task_id, time=now)


def log_uploads(log, uploads: list[tuple[str, bytes]], *, note: str | None, kind: str,
                task: str | None, time: str) -> int:
    """Add uploaded files to an evidence log; returns how many were logged.

    Why a temp folder: the log reads files by path and copies them into its own store, so the
    bytes are written (cleaned names, never outside the folder) and removed right after.
    """
    from ...evidence.add import add_evidence

    tmp = Path(tempfile.mkdtemp(prefix="xiabo-upload-"))
    try:
        paths, used = [], set()
        for i, (name, data) in enumerate(uploads):
            clean = safe_filename(name)
            if clean in used:
                clean = f"{i}-{clean}"
            used.add(clean)
            path = tmp / clean
            if path.resolve().parent != tmp.resolve():  # belt and braces
                continue
            path.write_bytes(data)
            paths.append(path)
        return len(add_evidence(log, paths, note=note, kind=kind, task=task, time=time))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


_BACKUP_CACHE: dict = {}
_BACKUP_TTL = 10.0


def backup_status(case_key: str, platform: str, today: date) -> dict | None:
    """The case's 3-2-1 backup report (re-read at most every few seconds per case)."""
    if not features()["backup"]:
        return None
    key = (case_key, platform, today)
    hit = _BACKUP_CACHE.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < _BACKUP_TTL:
        return hit[1]
    try:
        from ...backup import status
        from ...backup.inventory import inventory_path
        from ...backup.status import required_classes, rule_thresholds

        rkey = ("rules", platform, today)
        rules = _BACKUP_CACHE.get(rkey)
        if rules is None:  # the rule-pack part is the same for every case of a platform
            rules = _BACKUP_CACHE[rkey] = (required_classes(platform, today),
                                           rule_thresholds(today))
        if not inventory_path(case_key).parent.is_dir():
            # no backup made or labelled yet (most cases): the report is the platform's empty
            # one, built once a day, not re-read and re-built on every view
            ekey = ("empty", platform, today)
            empty = _BACKUP_CACHE.get(ekey)
            if empty is None:
                empty = _BACKUP_CACHE[ekey] = status(case_key, platform, today, required=rules[0],
                                                     thresholds=rules[1]).as_dict()
            value = dict(empty, case=case_key)
        else:
            value = status(case_key, platform, today, required=rules[0],
                           thresholds=rules[1]).as_dict()
    except Exception:  # noqa: BLE001 - a boundary: report, never crash
        value = None
    if len(_BACKUP_CACHE) > 1000:
        _BACKUP_CACHE.clear()
    _BACKUP_CACHE[key] = (now, value)
    return value


def export_bytes(kind: str, plan, profile) -> tuple[bytes, str, str]:
    """(content, suffix, media type) of one export format."""
    from ... import export

    fn_name, suffix, media = EXPORT_KINDS[kind]
    fn = getattr(export, fn_name)
    data = fn(plan, profile) if kind == "docx" else fn(plan)
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data, suffix, media


def calendar_bytes(plan, profile) -> bytes:
    """The .ics feed: the export's calendar when installed, else a plain one made here."""
    if "ics" in features()["exports"]:
        return export_bytes("ics", plan, profile)[0]
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//xiabo//web feed//")
    cal.add("version", "2.0")
    for task in plan.tasks:
        ev = Event()
        ev.add("uid", f"{task.id}@{plan.name}.xiabo")
        ev.add("summary", task.title)
        ev.add("dtstart", task.due)
        ev.add("dtstamp", datetime(plan.today.year, plan.today.month, plan.today.day,
                                   tzinfo=UTC))
        cal.add_component(ev)
    return cal.to_ical()
