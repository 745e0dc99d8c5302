"""Evidence log (guide §8 "区块链存证"): an append-only, signed Merkle log of what happened.

Modules: ``merkle`` (RFC 9162 hashing and proofs), ``log`` (the folder and its crash-safe
appends), ``tree`` (levels on disk), ``note``/``checkpoint`` (C2SP signed checkpoints),
``tsp``/``stamps`` (RFC 3161 timestamps), ``verify``, ``bundle``. This package module stays
light: the plan command calls :func:`counts_by_task` without importing cryptography.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["counts_by_task", "default_dir", "entries_for_task"]


def default_dir(case: str = "default") -> Path:
    """Where a case keeps its evidence log."""
    from xiabo.paths import case_dir

    return case_dir(case) / "evidence"


def _user_entries(log_dir: Path, skip_untasked: bool = False):
    from .log import EvidenceLog, LogError

    if not EvidenceLog.exists(log_dir):
        return
    log = EvidenceLog(Path(log_dir))
    try:
        for index, payload in log.entries():
            if index == 0:
                continue  # the genesis entry describes the log itself
            if skip_untasked and b'"task":null' in payload:
                continue
            try:
                obj = json.loads(payload)
            except ValueError:
                continue
            if isinstance(obj, dict):
                yield index, payload, obj
    except LogError:
        return


def counts_by_task(log_dir: Path) -> dict[str, int]:
    """{task id: number of entries logged for it}; {} when there is no log. No verification."""
    counts: dict[str, int] = {}
    for _, _, obj in _user_entries(log_dir, skip_untasked=True):
        task = obj.get("task")
        if task:
            counts[str(task)] = counts.get(str(task), 0) + 1
    return counts


def entries_for_task(log_dir: Path, task_id: str) -> list[dict]:
    """The entries logged for one task, oldest first, each with its ``index`` and ``leaf_hash``."""
    from .merkle import leaf_hash

    found = []
    for index, payload, obj in _user_entries(log_dir, skip_untasked=True):
        if obj.get("task") == task_id:
            found.append({**obj, "index": index, "leaf_hash": leaf_hash(payload).hex()})
    return found
