"""Proof: every step of a letter goes into the case's evidence log through its public API.

The letter as sent, the tracking number, the receipt, each reply, the follow-ups and the
escalation drafts are logged with the letter's record (its history) beside them, under the
plan task ``letter-<id>``; the lawyer's bundle (``xiabo evidence bundle``) therefore carries the
letter history. When a timestamp authority is configured (``--tsa`` or ``XIABO_TSA_URL``) the
new checkpoint is timestamped too; a TSA that cannot be reached is reported, not fatal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from ..errors import UserError

__all__ = ["Logged", "log_step", "task_id", "timestamp", "tsa_url"]


@dataclass
class Logged:
    indexes: list[int]
    timestamped: bool = False
    tsa_error: str | None = None


def task_id(letter_id: str) -> str:
    return f"letter-{letter_id}"


def tsa_url(option: str | None = None) -> str | None:
    return option or os.environ.get("XIABO_TSA_URL") or None


def _stamp(on: date) -> str:
    from ..evidence.entry import CHINA, format_time

    return format_time(datetime.combine(on, time(0, 0), CHINA))


def _open_or_create(folder: Path, stamp: str):
    from ..evidence import keys
    from ..evidence.log import EvidenceLog
    from ..paths import case_slug

    if EvidenceLog.exists(folder):
        return EvidenceLog.open(folder)
    name = folder.parent.name if folder.name == "evidence" else folder.name
    origin = f"xiabo.local/evidence/{case_slug(name)}/{os.urandom(4).hex()}"
    return keys.create_log(folder, origin, stamp)


def log_step(folder: Path, letter_id: str, on: date, groups: list[tuple[str, str, list[Path]]],
             tsa: str | None = None) -> Logged:
    """Log ``groups`` of (evidence kind, note, files) — a group without files logs its note."""
    from ..evidence.add import add_evidence
    from ..evidence.log import LogError

    stamp = _stamp(on)
    try:
        log = _open_or_create(Path(folder), stamp)
        indexes = []
        for kind, note, files in groups:
            added = add_evidence(log, list(files), note=note, kind=kind, task=task_id(letter_id),
                                 time=stamp)
            indexes += [a.index for a in added]
    except LogError as err:
        raise UserError(f"evidence.{err.key}", dict(err.params), file=str(folder),
                        fix_key=f"evidence.{err.key}_fix") from None
    result = Logged(indexes)
    if tsa:
        _timestamp_log(log, tsa, result)
    return result


def timestamp(folder: Path, tsa: str, logged: Logged) -> Logged:
    """Timestamp the log's newest checkpoint (it covers the step's entries); asked after the
    letter's lock is released, since a timestamp authority can take seconds to answer."""
    from ..evidence.log import EvidenceLog, LogError

    try:
        log = EvidenceLog.open(Path(folder))
    except LogError as err:
        logged.tsa_error = err.key
        return logged
    return _timestamp_log(log, tsa, logged)


def _timestamp_log(log, tsa: str, logged: Logged) -> Logged:
    from ..evidence.log import LogError
    from ..evidence.stamps import timestamp_latest

    try:
        timestamp_latest(log, tsa, timeout=15.0)
        logged.timestamped = True
    except LogError as err:
        logged.tsa_error = err.key
    return logged
