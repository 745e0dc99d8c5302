"""Verified backups as BagIt bags (RFC 8493) and the 3-2-1 status of a case.

Public API::

    create_bag(["录像/"], ["/mnt/nas/备份"], data_class="recordings", platform="kuaishou")
    verify_bag("/mnt/nas/备份/recordings-20261201-200000")          # -> VerifyResult
    status("default", "kuaishou", date.today()).missing_classes     # -> ["fan_profile", ...]
    label_destination("default", "/mnt/nas/备份", "nas")
"""

from __future__ import annotations

from .bag import DATA_CLASSES, CreateResult, create_bag
from .failures import BackupFailed
from .inventory import MEDIA, label_destination, load_inventory, load_media, record_verified
from .status import BackupStatus, ClassStatus, CopyInfo, status
from .verify import Problem, VerifyResult, verify_bag

__all__ = [
    "DATA_CLASSES",
    "MEDIA",
    "BackupFailed",
    "BackupStatus",
    "ClassStatus",
    "CopyInfo",
    "CreateResult",
    "Problem",
    "VerifyResult",
    "create_bag",
    "label_destination",
    "load_inventory",
    "load_media",
    "record_verified",
    "status",
    "verify_bag",
]
