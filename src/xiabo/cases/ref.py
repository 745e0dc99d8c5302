"""Where one case's facts live.

A case is a profile plus everything the toolkits recorded for it. On the command line that is a
profile file with ``letters/`` and ``opinion/`` beside it and a case folder (``--case``) for the
evidence log, the backups and a kept order export; in the web it is a stored case whose letters
and comments are rows in the main database and whose folder is named by its id. A ``CaseRef``
says which, so every fact source reads the right place and nothing else needs to know.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CaseRef"]


@dataclass(frozen=True)
class CaseRef:
    """The places a case's facts are kept (any may be missing: that source adds nothing)."""

    folder: str = "default"            # ``paths.case_dir`` key: evidence, backups, kept exports
    profile_path: Path | None = None   # CLI: letters/ and opinion/ beside the profile
    case_id: int | None = None         # stored case: letters and comments in the database
    db: Any = None                     # the store's Database holding that case
    evidence_dir: Path | None = None   # ``--evidence-dir``: a log kept elsewhere
    loaded: Any = None                 # the stored row as loaded (its satellites ride on it)

    @classmethod
    def for_file(cls, profile_path: str | Path | None, case: str = "default",
                 evidence_dir: str | Path | None = None) -> CaseRef:
        return cls(folder=case, profile_path=Path(profile_path) if profile_path else None,
                   evidence_dir=Path(evidence_dir) if evidence_dir else None)

    @classmethod
    def for_stored(cls, case: Any, db: Any) -> CaseRef:
        """A stored case (``store.models.Case``); one being created has no id and no facts."""
        if case.id is None:
            return cls(folder="", loaded=case)
        return cls(folder=case.folder, case_id=case.id, db=db, loaded=case)

    @property
    def has_folder(self) -> bool:
        return bool(self.folder)

    @property
    def beside_profile(self) -> Path | None:
        """The folder that holds the profile (the CLI keeps letters and comments there)."""
        return self.profile_path.resolve().parent if self.profile_path else None
