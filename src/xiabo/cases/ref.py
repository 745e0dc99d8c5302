"""Where one case's facts live.

A case is a profile plus everything the toolkits recorded for it. On the command line that is a
profile file with ``letters/`` and ``opinion/`` beside it and a case folder (``--case``) for the
evidence log, the backups and a kept order export; in the web it is a stored case whose letters
and comments are rows in the main database and whose folder is named by its id. A ``CaseRef``
says which, so every fact source reads the right place and nothing else needs to know.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
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

    @cached_property
    def folder_path(self) -> Path | None:
        """The case folder (``paths.case_dir``), worked out once per ref: every fact source
        asks for it."""
        if not self.folder:
            return None
        from ..paths import case_dir

        return case_dir(self.folder)

    @cached_property
    def folder_exists(self) -> bool:
        """Whether the case folder is there at all (one ``stat`` per ref): most stored cases
        have none, and then no source needs to look for its files one by one."""
        return self.folder_path is not None and self.folder_path.is_dir()

    @property
    def beside_profile(self) -> Path | None:
        """The folder that holds the profile (the CLI keeps letters and comments there)."""
        return self.profile_path.resolve().parent if self.profile_path else None
