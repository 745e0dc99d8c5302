"""The bytes of one log entry: canonical JSON, so the same facts always hash the same.

An entry is what a leaf commits to: when, what kind, the streamer's note, the plan task it
belongs to, and (for a file) its name, size and SHA-256. The file itself lives in the
content-addressed store; the leaf only names its hash, so proving the leaf proves the file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

__all__ = [
    "FORMAT",
    "GENESIS",
    "KINDS",
    "TIMESTAMP",
    "canonical",
    "file_entry",
    "format_time",
    "genesis_entry",
    "note_entry",
    "parse_time",
]

FORMAT = "xiabo.evidence/1"
KINDS = ("screenshot", "chat", "recording", "receipt", "contract", "other", "note")
TIMESTAMP = "timestamp"  # logged by `xiabo evidence timestamp`: the token itself is evidence
GENESIS = "genesis"
# A time typed without a zone is the streamer's wall clock: China Standard Time (no DST).
CHINA = timezone(timedelta(hours=8))


def canonical(obj: dict) -> bytes:
    """Sorted keys, no spaces, UTF-8: one byte string per meaning."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def format_time(moment: datetime) -> str:
    """UTC, ISO 8601, whole seconds or microseconds, with a Z."""
    moment = moment.astimezone(UTC)
    text = moment.replace(tzinfo=None).isoformat()
    return text + "Z"


def display_time(stamp: str | None) -> str:
    """A log time (UTC, ``...Z``) as people in China read it: ``2026-12-06 00:00:00 +08:00``.

    The log itself keeps UTC; only what is shown moves to Asia/Shanghai, with the offset
    written out so nobody mistakes it for UTC. Text that is not a time is returned as is.
    """
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp[:-1] + "+00:00" if stamp.endswith("Z") else stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA).replace(microsecond=0).isoformat(sep=" ").replace(
        "+08:00", " +08:00")


def parse_time(text: str | None, now: datetime | None = None) -> str:
    """``--time`` value (ISO 8601; no zone = China time) -> canonical UTC string.

    Raises ValueError for text that is not a time.
    """
    if text is None:
        return format_time(now or datetime.now(UTC))
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return format_time(moment)


def _base(time: str, kind: str, note: str | None, task: str | None) -> dict:
    return {"v": 1, "time": time, "kind": kind, "note": note, "task": task}


def file_entry(
    time: str, kind: str, note: str | None, task: str | None, name: str, size: int, digest: str
) -> bytes:
    """Entry for a stored file."""
    entry = _base(time, kind, note, task)
    entry.update(file=name, size=size, sha256=digest)
    return canonical(entry)


def note_entry(time: str, kind: str, note: str, task: str | None) -> bytes:
    """Entry that is only text (a note of what happened, with no file)."""
    entry = _base(time, kind, note, task)
    entry.update(file=None, size=None, sha256=None)
    return canonical(entry)


def genesis_entry(time: str, origin: str, public_key_b64: str) -> bytes:
    """Entry 0: the log's birth certificate, binding its name and signing key into the tree."""
    return canonical(
        {
            "v": 1,
            "time": time,
            "kind": GENESIS,
            "format": FORMAT,
            "origin": origin,
            "public_key": public_key_b64,
            "file": None,
            "size": None,
            "sha256": None,
            "note": None,
            "task": None,
        }
    )
