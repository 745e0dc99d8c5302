"""The statements a reconciliation rests on, logged in the case's evidence log (task
``payouts``), so the lawyer's bundle carries the very files the figures came from."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ...errors import UserError

__all__ = ["TASK", "log_statements"]

TASK = "payouts"


def log_statements(folder: Path, files: list[Path], note: str) -> int:
    """Add ``files`` to the evidence log at ``folder`` (created when missing); how many."""
    from ...evidence.add import add_evidence
    from ...evidence.entry import format_time
    from ...evidence.keys import create_log
    from ...evidence.log import EvidenceLog, LogError

    now = format_time(datetime.now(UTC))
    try:
        if not EvidenceLog.exists(folder):
            name = Path(folder).parent.name if Path(folder).name == "evidence" else \
                Path(folder).name
            create_log(Path(folder), f"xiabo/{name}"[:200].replace(" ", "-"), now)
        added = add_evidence(EvidenceLog.open(Path(folder)), list(files), note=note,
                             kind="other", task=TASK, time=now)
    except LogError as err:
        raise UserError(f"evidence.{err.key}", dict(err.params), file=str(folder),
                        fix_key=f"evidence.{err.key}_fix") from None
    return len(added)
