"""What the toolkits have recorded for a case, in the shape the planner reads.

``xiabo plan``, ``xiabo export`` and the web app all plan through :func:`plan_case`, so an
evidence entry, a verified backup or a shop's order export changes every view of the plan alike.
A toolkit with no data for the case adds nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

__all__ = ["evidence_counts", "backups", "orders_earliest_close", "letters", "opinion",
           "plan_case", "stored_orders_close", "stored_orders_export"]


def evidence_counts(case: str, evidence_dir: str | None = None) -> dict[str, int] | None:
    """Entries per task in the case's evidence log; None when there is no log."""
    from .paths import case_dir

    folder = Path(evidence_dir) if evidence_dir else case_dir(case) / "evidence"
    if not folder.exists():
        return None
    from .evidence import counts_by_task

    return counts_by_task(folder)


def backups(case: str, platform: str, today: date) -> dict[str, dict] | None:
    """What ``xiabo backup status`` knows for this case, in the shape the engine reads."""
    from .backup import status as backup_status

    try:
        report = backup_status(case, platform, today)
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


def orders_earliest_close(profile, profile_path: str, today: date) -> date | None:
    """Earliest shop-closing date from the shop's order export, when the profile names one."""
    if profile.shop is None or not profile.shop.orders_export:
        return None
    from .orders import check

    path = Path(profile.shop.orders_export)
    if not path.is_absolute():
        path = Path(profile_path).parent / path
    return check(path, today).earliest_close


ORDERS_EXPORT = "export"  # <case folder>/orders/export.<xlsx|csv>: kept by the web orders page
ORDERS_META = "export.json"  # beside it: its original name, upload time and named columns
_ORDERS_CACHE: dict = {}


def stored_orders_export(case: str) -> Path | None:
    """The order export kept in the case's folder (the web orders page keeps one), if any."""
    from .paths import case_dir

    folder = case_dir(case) / "orders"
    for suffix in (".xlsx", ".csv"):
        path = folder / f"{ORDERS_EXPORT}{suffix}"
        if path.is_file():
            return path
    return None


def stored_orders_meta(export: Path) -> dict:
    """What the web kept beside an order export: its original name, when, and the columns the
    user named ({header text: field}, like ``xiabo orders check --map``)."""
    import json

    try:
        meta = json.loads((export.parent / ORDERS_META).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def stored_orders_mapping(export: Path) -> dict[str, str] | None:
    columns = stored_orders_meta(export).get("columns")
    if not isinstance(columns, dict):
        return None
    return {str(k): str(v) for k, v in columns.items()} or None


def stored_orders_close(case: str, today: date) -> date | None:
    """Earliest closing date from the case folder's kept order export (cached by file stamp)."""
    path = stored_orders_export(case)
    if path is None:
        return None
    stat = path.stat()
    mapping = stored_orders_mapping(path)
    key = (str(path), stat.st_mtime_ns, stat.st_size, today,
           tuple(sorted(mapping.items())) if mapping else None)
    if key not in _ORDERS_CACHE:
        from .orders import check

        try:
            found = check(path, today, mapping).earliest_close
        except Exception:  # noqa: BLE001 - a damaged export must not stop the roadmap
            found = None
        if len(_ORDERS_CACHE) > 500:
            _ORDERS_CACHE.clear()
        _ORDERS_CACHE[key] = found
    return _ORDERS_CACHE[key]


def letters(profile_path: str | None, today: date, letters_dir: str | None = None
            ) -> list[dict] | None:
    """The letters beside the profile (``xiabo letters``), as the plan reads them."""
    if not profile_path and not letters_dir:
        return None
    from .letters.store import FileStore, default_dir
    from .letters.summary import plan_facts

    folder = Path(letters_dir) if letters_dir else default_dir(profile_path)
    if not folder.is_dir():
        return None
    try:
        return plan_facts(FileStore(folder).all(), today)
    except Exception:  # noqa: BLE001 - a damaged letter record must not stop the roadmap
        return None


def opinion(profile_path: str | None) -> dict | None:
    """Days with comments in the opinion store beside the profile (``opinion/``), if any."""
    if not profile_path:
        return None
    from .opinion.facts import plan_facts

    return plan_facts(Path(profile_path).parent / "opinion")


def plan_case(profile, profile_path: str | None, book, *, today: date, lang: str = "zh",
              case: str = "default", evidence_dir: str | None = None):
    """The Plan for ``profile`` with the case's evidence, backups and order export folded in."""
    from .roadmap.assemble import build_plan

    return build_plan(profile, book, today=today, lang=lang,
                      evidence_counts=evidence_counts(case, evidence_dir),
                      backups=backups(case, profile.platform, today),
                      orders_earliest_close=(orders_earliest_close(profile, profile_path, today)
                                             if profile_path else None)
                      or stored_orders_close(case, today),
                      letters=letters(profile_path, today),
                      opinion=opinion(profile_path))
