"""What each toolkit recorded for a case, one small source per toolkit behind one interface.

A source answers two questions: ``stamp`` — a cheap value that changes whenever what it would
read changes (file sizes and times, a row count and newest change; ``None`` when nothing is
recorded) — and ``read`` — the facts in the shape the planner takes (``roadmap.assemble``'s
keyword ``name``). :mod:`xiabo.cases.facts` reads a source again only when its stamp moved, so a
case page costs a few ``stat`` calls, not a re-read of the evidence log.

A new kind of fact (guild exit steps, payouts, a dispute) is one more class in ``SOURCES``:
every front end then sees it, because they all plan through :func:`xiabo.cases.plan_case`.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from pathlib import Path
from time import monotonic
from typing import Any, Protocol

from .ref import CaseRef

__all__ = ["FactSource", "SOURCES"]


class FactSource(Protocol):
    name: str

    def stamp(self, ref: CaseRef, profile: Any, today: date) -> Hashable | None: ...

    def read(self, ref: CaseRef, profile: Any, today: date) -> Any: ...


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _case_dir(ref: CaseRef) -> Path | None:
    """The case folder if it exists (None also when there is none: nothing recorded in it)."""
    return ref.folder_path if ref.folder_exists else None


class Evidence:
    """Entries per task in the case's evidence log (``xiabo evidence``)."""

    name = "evidence_counts"

    def _folder(self, ref: CaseRef) -> Path | None:
        if ref.evidence_dir is not None:
            return ref.evidence_dir
        folder = _case_dir(ref)
        return folder / "evidence" if folder is not None else None

    def stamp(self, ref, profile, today):
        folder = self._folder(ref)
        if folder is None:
            return None
        entries = _stat(folder / "entries.log")
        return (str(folder), entries) if entries is not None else None

    def read(self, ref, profile, today):
        from ..evidence import counts_by_task

        try:
            return counts_by_task(self._folder(ref))
        except Exception:  # noqa: BLE001 - a damaged log must not stop the roadmap
            return None


class Backups:
    """What ``xiabo backup status`` knows: copies, media, off-site, last full check.

    Whether a copy is still *there* (a disk unplugged) is not in any file the stamp can see, so
    the stamp also moves every few seconds (rule-free: a freshness window, not a rule).
    """

    name = "backups"
    FRESH_SECONDS = 10.0

    def stamp(self, ref, profile, today):
        folder = _case_dir(ref)
        if folder is None or not (folder / "backup").is_dir():
            return None
        return (str(folder), profile.platform, today, _stat(folder / "backup" / "inventory.json"),
                _stat(folder / "backup" / "media.json"), int(monotonic() // self.FRESH_SECONDS))

    def read(self, ref, profile, today):
        from ..backup import status as backup_status

        try:
            report = backup_status(ref.folder, profile.platform, today)
        except Exception:  # noqa: BLE001 - a damaged inventory must not stop the roadmap
            return None
        out = {}
        for cls in report.classes:
            if not cls.total_copies:
                continue
            verified = cls.last_verified
            out[cls.data_class] = {
                "copies": cls.copies, "media": len(cls.media), "offsite": cls.offsite_copies,
                "has_verified": cls.has_verified, "ok": cls.ok,
                "last_verified": date.fromisoformat(verified[:10]) if verified else None,
            }
        return out


class Orders:
    """The earliest day the shop can close, from its order export: the one the profile names
    (``shop.orders_export``, beside the profile) or else the one the web's orders page kept in
    the case folder."""

    name = "orders_earliest_close"

    def _named(self, ref: CaseRef, profile) -> Path | None:
        shop = getattr(profile, "shop", None)
        if shop is None or not shop.orders_export or ref.profile_path is None:
            return None
        path = Path(shop.orders_export)
        return path if path.is_absolute() else ref.profile_path.parent / path

    def stamp(self, ref, profile, today):
        from ..orders.kept import CHECKED_NAME, kept_export, kept_meta_path

        named = self._named(ref, profile)
        kept = kept_export(ref.folder) if ref.folder_exists else None
        if named is None and kept is None:
            return None
        return (str(named), named and _stat(named), str(kept), kept and _stat(kept),
                kept and _stat(kept_meta_path(kept)), kept and _stat(kept.parent / CHECKED_NAME),
                today)

    def read(self, ref, profile, today):
        from ..orders import check
        from ..orders.kept import earliest_close_on, kept_export, kept_mapping, last_check

        named = self._named(ref, profile)
        if named is not None:  # the user named this file: its problems are theirs to hear
            found = check(named, today).earliest_close
            if found is not None:
                return found
        kept = kept_export(ref.folder) if ref.folder_exists else None
        if kept is None:
            return None
        # the check's report of this very file, carried to today: a large export is not read
        # again on a page view
        report = last_check(kept)
        carried = earliest_close_on(report, today) if report is not None else None
        if carried is not None:
            return carried[0]
        try:
            return check(kept, today, kept_mapping(kept)).earliest_close
        except Exception:  # noqa: BLE001 - a damaged kept export must not stop the roadmap
            return None


class Letters:
    """Open and answered letters (``xiabo letters``): a file per letter beside the profile, or
    the stored case's rows."""

    name = "letters"

    def stamp(self, ref, profile, today):
        if ref.case_id is not None and ref.db is not None:
            from ..store.letters import letters_stamp
            from ..store.satellites import satellites

            known = satellites(ref.loaded) if ref.loaded is not None else None
            if known is not None:
                if known.letters == 0:
                    return None
                found = (known.letters, known.letters_changed)
            else:
                found = letters_stamp(ref.db, ref.case_id)
                if not found[0]:
                    return None
            return ("db", str(ref.db.url), ref.case_id, found, today)
        folder = self._folder(ref)
        if folder is None or not folder.is_dir():
            return None
        files = tuple((p.name, _stat(p)) for p in sorted(folder.glob("*.json")))
        return ("files", str(folder), files, today) if files else None

    def _folder(self, ref: CaseRef) -> Path | None:
        beside = ref.beside_profile
        return beside / "letters" if beside is not None else None

    def read(self, ref, profile, today):
        from ..letters.summary import plan_facts

        try:
            if ref.case_id is not None and ref.db is not None:
                from .letters import stored_letters

                return plan_facts(stored_letters(ref.db, ref.case_id), today)
            from ..letters.store import FileStore

            return plan_facts(FileStore(self._folder(ref)).all(), today)
        except Exception:  # noqa: BLE001 - a damaged letter record must not stop the roadmap
            return None


class Opinion:
    """Days with comments (``xiabo opinion``): the store beside the profile, or the stored
    case's rows (its case folder's file while the web has not copied that in yet)."""

    name = "opinion"

    def _folder(self, ref: CaseRef) -> Path | None:
        """Where the CLI's file is (named in the facts even when it is not there)."""
        beside = ref.beside_profile
        if beside is not None:
            return beside / "opinion"
        return ref.folder_path / "opinion" if ref.folder_path is not None else None

    def _db_stamp(self, ref: CaseRef) -> tuple | None:
        from ..store.opinion import opinion_stamp
        from ..store.satellites import satellites

        known = satellites(ref.loaded) if ref.loaded is not None else None
        key = known.opinion_key if known is not None else opinion_stamp(ref.db, ref.case_id)
        return None if key == (None, None, False) else key

    def stamp(self, ref, profile, today):
        from ..opinion.store import DB_NAME

        if ref.case_id is not None and ref.db is not None:
            key = self._db_stamp(ref)
            if key is not None:
                return ("db", str(ref.db.url), ref.case_id, key)
        folder = self._folder(ref)
        if folder is None or (ref.beside_profile is None and not ref.folder_exists):
            return None
        path = folder / DB_NAME
        main = _stat(path)
        if main is None:
            return None
        return ("file", str(path), main, _stat(path.with_name(path.name + "-wal")))

    def read(self, ref, profile, today):
        from ..opinion.facts import plan_facts
        from .opinion_store import store_facts

        folder = self._folder(ref)
        if ref.case_id is not None and ref.db is not None:
            key = self._db_stamp(ref)
            if key is not None:
                from ..store.opinion import case_engine

                found = store_facts(case_engine(ref.loaded) or ref.db.engine, ref.case_id,
                                    folder)
                if found is not None:
                    return found
        return plan_facts(folder) if folder is not None else None


SOURCES: tuple[FactSource, ...] = (Evidence(), Backups(), Orders(), Letters(), Opinion())
