"""Find and remove fans' personal data (个人信息保护法 Art. 47) from exports.

``find(text)`` is the detector; ``scan_file`` and ``purge_file`` work on CSV/XLSX/TXT/JSON.
"""

from .detect import TYPES, Finding, find, id_card_valid, luhn_valid, mobile_valid
from .mask import mask

__all__ = [
    "TYPES",
    "Finding",
    "Location",
    "PurgeSummary",
    "ScanReport",
    "find",
    "id_card_valid",
    "luhn_valid",
    "mask",
    "mobile_valid",
    "purge_file",
    "scan_file",
]


def __getattr__(name: str):
    """Scanning and purging pull in the table reader; load them only when asked."""
    if name in ("scan_file", "ScanReport", "Location"):
        from . import scan

        return getattr(scan, name)
    if name in ("purge_file", "PurgeSummary"):
        from . import purge

        return getattr(purge, name)
    raise AttributeError(name)
