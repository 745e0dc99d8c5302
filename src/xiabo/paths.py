"""Where xiabo keeps a user's data: one folder per case under the data directory.

``XIABO_HOME`` overrides everything (tests and agencies use it); otherwise the XDG data home.
A case of the web store is named by its unique id (``case_ref(7)`` = ``"#7"``, folder
``cases-by-id/7``), never by its name, so two names can never share a folder; a name given on
the command line (``--case 甲主播``) keeps its own folder under ``cases/``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_DATA_DIRS: dict[tuple[str | None, ...], Path] = {}


def data_dir() -> Path:
    """The root data directory (not created here); read from the environment on every call
    (tests change it), remembered per environment because every page asks."""
    env = os.environ
    key = (env.get("XIABO_HOME"), env.get("XDG_DATA_HOME"), env.get("HOME"))
    found = _DATA_DIRS.get(key)
    if found is None:
        if key[0]:
            found = Path(key[0])
        else:
            base = Path(key[1]) if key[1] else Path.home() / ".local" / "share"
            found = base / "xiabo"
        if len(_DATA_DIRS) > 64:
            _DATA_DIRS.clear()
        _DATA_DIRS[key] = found
    return found


_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def case_slug(name: str) -> str:
    """A file-system-safe folder name for a case (keeps Chinese characters)."""
    slug = _UNSAFE.sub("-", name.strip()).strip("-.")
    return slug or "default"


STORE_CASES = "cases-by-id"


def case_ref(case_id: int) -> str:
    """How a stored case is named wherever a case name is taken (``--case '#7'`` too)."""
    return f"#{int(case_id)}"


def store_case_id(case: str) -> int | None:
    """The id in a ``#7`` reference; None for an ordinary case name."""
    if case.startswith("#") and case[1:].isdigit() and len(case) < 15:
        return int(case[1:])
    return None


def case_dir(case: str = "default") -> Path:
    """The folder of one case: evidence log, backup inventory, exports."""
    case_id = store_case_id(case)
    if case_id is not None:
        return data_dir() / STORE_CASES / str(case_id)
    return data_dir() / "cases" / case_slug(case)
