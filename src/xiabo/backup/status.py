"""The 3-2-1 report of a case: per data class, how many verified copies, on how many kinds of
media, how many off-site, and which of the platform's required classes have no verified backup.

Copies of the same payload (same manifest, wherever they lie) form one backup set; a class is
judged on its newest set, because newer recordings that exist in one copy only are at risk no
matter how well last month's set is protected. Thresholds and required classes are rule data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from .classes import required_classes, rulebook
from .inventory import load_inventory, load_media, medium_of

__all__ = [
    "BackupStatus",
    "ClassStatus",
    "CopyInfo",
    "required_classes",
    "rule_thresholds",
    "status",
]


@dataclass
class CopyInfo:
    path: str
    name: str
    set_id: str | None
    state: str  # ok | failed | unverified
    present: bool
    media: str | None  # local | nas | cloud | None (destination not labelled)
    offsite: bool
    destination: str | None
    last_verified: str | None
    made: str | None  # when the bag was made (creation time or Bagging-Date)


@dataclass
class ClassStatus:
    data_class: str
    required: bool
    copies: int = 0  # verified copies of the newest set that are reachable now
    total_copies: int = 0  # all copies of the newest set, verified or not
    media: list[str] = field(default_factory=list)
    offsite_copies: int = 0
    last_verified: str | None = None
    has_verified: bool = False  # some set of this class has a verified copy
    meets_copies: bool = False
    meets_media: bool = False
    meets_offsite: bool = False
    newest_set: str | None = None
    backups: list[CopyInfo] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.meets_copies and self.meets_media and self.meets_offsite


@dataclass
class BackupStatus:
    case: str
    platform: str
    today: date
    thresholds: dict[str, int]
    classes: list[ClassStatus]
    missing_classes: list[str]
    unlabelled: list[str]

    @property
    def ok(self) -> bool:
        return not self.missing_classes and all(c.ok for c in self.classes if c.required)

    def get(self, data_class: str) -> ClassStatus | None:
        return next((c for c in self.classes if c.data_class == data_class), None)

    def as_dict(self) -> dict:
        return {
            "case": self.case, "platform": self.platform, "today": self.today.isoformat(),
            "thresholds": self.thresholds, "ok": self.ok,
            "missing_classes": self.missing_classes, "unlabelled": self.unlabelled,
            "classes": [dict(asdict(c), ok=c.ok) for c in self.classes],
        }


def rule_thresholds(today: date) -> dict[str, int]:
    """3-2-1 from the rule pack: copies, distinct media, off-site copies."""
    book = rulebook()
    return {k: int(book.value(f"common.practice.backup_{k}", on=today))
            for k in ("copies", "media", "offsite")}


def _copy_info(path: str, rec: dict, media: dict) -> CopyInfo:
    checks = rec.get("checks") or []
    last_ok = rec.get("last_full_ok")
    if checks and not checks[-1].get("ok"):
        state = "failed"
    elif last_ok:
        state = "ok"
    else:
        state = "unverified"
    folder, label = medium_of(path, media)
    return CopyInfo(
        path=path, name=rec.get("name") or Path(path).name, set_id=rec.get("content_id"),
        state=state, present=(Path(path) / "bagit.txt").is_file(),
        media=label["media"] if label else None, offsite=bool(label and label.get("offsite")),
        destination=folder, last_verified=last_ok,
        made=rec.get("created_at") or rec.get("bagging_date"),
    )


def status(case: str, platform: str, today: date, *, required: list[str] | None = None,
           thresholds: dict[str, int] | None = None) -> BackupStatus:
    """The 3-2-1 report for ``case``. ``required``/``thresholds`` default to the rule pack."""
    required = list(required) if required is not None else required_classes(platform, today)
    thresholds = dict(thresholds) if thresholds is not None else rule_thresholds(today)
    inventory, media = load_inventory(case), load_media(case)

    by_class: dict[str, list[CopyInfo]] = {}
    for path, rec in sorted(inventory["bags"].items()):
        by_class.setdefault(rec.get("data_class") or "other", []).append(
            _copy_info(path, rec, media))

    classes: list[ClassStatus] = []
    for cls in required + sorted(set(by_class) - set(required)):
        cs = ClassStatus(cls, required=cls in required)
        copies = sorted(by_class.get(cls, []), key=lambda c: (c.made or "", c.path), reverse=True)
        cs.backups = copies
        cs.has_verified = any(c.state == "ok" and c.present for c in copies)
        if copies:
            sets: dict[str, str] = {}
            for c in copies:
                key = c.set_id or c.path
                sets[key] = max(sets.get(key, ""), c.made or "")
            cs.newest_set = max(sets, key=lambda k: (sets[k], k))
            newest = [c for c in copies if (c.set_id or c.path) == cs.newest_set]
            # a copy counts only if it passed a full check and is there now: a deleted bag
            # must not look safe (an unplugged NAS shows up as "not reachable" instead)
            good = [c for c in newest if c.state == "ok" and c.present]
            cs.total_copies = len(newest)
            cs.copies = len(good)
            cs.media = sorted({c.media for c in good if c.media})
            cs.offsite_copies = sum(1 for c in good if c.offsite)
            cs.last_verified = max((c.last_verified for c in good if c.last_verified),
                                   default=None)
        cs.meets_copies = cs.copies >= thresholds["copies"]
        cs.meets_media = len(cs.media) >= thresholds["media"]
        cs.meets_offsite = cs.offsite_copies >= thresholds["offsite"]
        classes.append(cs)

    unlabelled = sorted({str(Path(c.path).parent) for cs in classes for c in cs.backups
                         if c.media is None})
    missing = [c.data_class for c in classes if c.required and not c.has_verified]
    return BackupStatus(case, platform, today, thresholds, classes, missing, unlabelled)
