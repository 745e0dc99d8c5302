"""The ``privacy-scan`` job: an uploaded export scanned for fans' personal data (counted per
column), a cleaned copy written (the same ``scan``/``purge`` as ``xiabo privacy``), that copy
scanned again, and the count kept as JSON beside the copy for the privacy page.

Where the outputs live: ``<case folder>/privacy/cleaned/`` holds one cleaned copy (the newest)
and ``.report.json`` (the scan of the file it was made from, and what cleaning changed).

Resumable: a run handed on after its worker died starts again from the upload (still in the
job's folder). It writes only its own outputs, each atomically (a temporary file renamed onto
the copy, then onto the report), and replaces rather than adds: a second run leaves one copy
and one report, the same as one run.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .registry import JobContext, kind

__all__ = ["REPORT_NAME", "cleaned_folder", "kept_copy", "kept_report", "run_privacy_scan"]

REPORT_NAME = ".report.json"


def cleaned_folder(case_key: str) -> Path:
    from ..paths import case_dir

    return case_dir(case_key) / "privacy" / "cleaned"


def kept_copy(case_key: str) -> Path | None:
    """The cleaned copy kept for this case, if any (the newest one)."""
    folder = cleaned_folder(case_key)
    if not folder.is_dir():
        return None
    files = sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
                   key=lambda p: p.stat().st_mtime_ns)
    return files[-1] if files else None


def kept_report(case_key: str) -> dict | None:
    """The last scan's report and cleaning summary, when the copy it describes is still there."""
    copy = kept_copy(case_key)
    try:
        data = json.loads((cleaned_folder(case_key) / REPORT_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if copy is None or not isinstance(data, dict) or data.get("cleaned", {}).get("name") != copy.name:
        return None
    return data


@kind("privacy-scan", resumable=True)
def run_privacy_scan(ctx: JobContext) -> dict:
    from ..errors import UserError
    from ..fsutil import atomic_write
    from ..i18n import t
    from ..privacy.columns import scan_columns
    from ..privacy.purge import purge_file
    from ..privacy.scan import scan_file
    from .files import shown_error

    p = ctx.payload
    name, mode, today = p["name"], p["mode"], date.fromisoformat(p["today"])
    src = ctx.folder / p["stored"]
    if not src.is_file():
        raise UserError("jobs.err.upload_gone", {"name": name},
                        fix_key="jobs.err.upload_gone_fix")
    out_name = t("tools.privacy.cleaned_name", p.get("lang") or "zh",
                 stem=Path(name).stem, ext=Path(name).suffix)
    folder = cleaned_folder(p["case_key"])
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / out_name
    ctx.update(phase="scanning")
    try:
        report = scan_columns(src, name, today)
        ctx.update(phase="cleaning", rows=report.rows)
        summary = purge_file(src, out, mode=mode, force=True, today=today)
    except UserError as err:
        raise shown_error(err, src, name) from None
    ctx.update(phase="rechecking")
    try:
        left = scan_file(out, keep=0, today=today).total
    except UserError as err:  # a copy not checked again is not offered (nor described)
        out.unlink(missing_ok=True)
        raise shown_error(err, out, out_name) from None
    cleaned = {"mode": mode, "cells": summary.cells_changed, "rows_out": summary.rows_out,
               "rows_dropped": summary.rows_dropped, "left": left, "name": out_name}
    atomic_write(folder / REPORT_NAME, json.dumps(
        {"job": ctx.job_id, "report": report.to_dict(), "cleaned": cleaned}, ensure_ascii=False))
    for old in folder.iterdir():  # one copy per case: the newest
        if old.is_file() and old.name != out_name and not old.name.startswith("."):
            old.unlink(missing_ok=True)
    return {"name": name, "rows": report.rows, "total": report.total,
            "counts": {k: n for k, n in report.counts.items() if n}, "cleaned": cleaned}
