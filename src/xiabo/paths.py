"""Where xiabo keeps a user's data: one folder per case under the data directory.

``XIABO_HOME`` overrides everything (tests and agencies use it); otherwise the XDG data home.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


def data_dir() -> Path:
    """The root data directory (not created here)."""
    home = os.environ.get("XIABO_HOME")
    if home:
        return Path(home)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "xiabo"


_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def case_slug(name: str) -> str:
    """A file-system-safe folder name for a case (keeps Chinese characters)."""
    slug = _UNSAFE.sub("-", name.strip()).strip("-.")
    return slug or "default"


def case_dir(case: str = "default") -> Path:
    """The folder of one case: evidence log, backup inventory, exports."""
    return data_dir() / "cases" / case_slug(case)
