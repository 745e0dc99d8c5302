"""What the pages offer: every toolkit ships with xiabo, so this is a constant, not a probe.

(The export formats the web serves, with their file suffix and media type, are listed here once;
``xiabo.export.FORMATS`` is the toolkit's own list and a test keeps the two in step.)
"""

from __future__ import annotations

__all__ = ["EXPORT_KINDS", "features"]

# export kind -> (function name in xiabo.export, file suffix, media type)
EXPORT_KINDS = {
    "ics": ("ics", "ics", "text/calendar; charset=utf-8"),
    "xlsx": ("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": ("pdf", "pdf", "application/pdf"),
    "docx": ("docx", "docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}

_FEATURES = {"exports": list(EXPORT_KINDS), "evidence": True, "backup": True, "tax": True,
             "compare": True}


def features() -> dict:
    """{exports: [...], evidence, backup, tax, compare} for the templates and pages."""
    return _FEATURES
