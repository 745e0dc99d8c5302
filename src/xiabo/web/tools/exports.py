"""Every export from the web: calendar, spreadsheet, PDF, letter, and the announcement kit.

The kit comes as a zip of its texts (one file per piece, the same names as ``xiabo export``)
and is shown on the page too, so a phone can copy a piece straight into an app. "Everything"
is the same folder ``xiabo export`` writes, zipped.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ...export.kit_zip import kit_files
from ...export.kit_zip import zip_files as _zip
from ...store.models import Case
from ..context import Ctx, get_ctx, render
from ..deps import CaseId, visible_case
from ..downloads import NO_STORE, download_response

router = APIRouter(include_in_schema=False)

TONES = ("warm", "formal")


def _tone(value: str | None) -> str:
    return value if value in TONES else "warm"


def _plan_profile(ctx: Ctx, case):
    from ...cases import plan_stored
    from ...roadmap.profile import profile_from_dict

    return (plan_stored(case, ctx.db, ctx.today, ctx.lang),
            profile_from_dict(json.loads(case.profile_json)))


def _download(data: bytes, ascii_name: str, name: str) -> Response:
    return download_response(name, data, "application/zip", ascii_name=ascii_name,
                             headers=NO_STORE)


@router.get("/cases/{case_id}/exports")
def exports_page(case_id: CaseId, tone: str | None = None, ctx: Ctx = Depends(get_ctx),
                 case: Case = Depends(visible_case)):
    from ...export.announcements import kit_pieces
    from ..features import features

    plan, profile = _plan_profile(ctx, case)
    tone = _tone(tone)
    pieces = kit_pieces(plan, profile, tone)
    return render(ctx, "exports.html", case=case, kinds=features()["exports"], tone=tone,
                  tones=TONES, pieces=pieces, letter=profile.contract.signed)


@router.get("/cases/{case_id}/export/kit")
def export_kit(case_id: CaseId, tone: str | None = None, ctx: Ctx = Depends(get_ctx),
               case: Case = Depends(visible_case)):
    plan, profile = _plan_profile(ctx, case)
    from ...export.budget import check_export_budget

    check_export_budget("kit", plan, profile, ctx.lang)
    data = _zip(kit_files(plan, profile, _tone(tone)), ctx.today)
    return _download(data, f"case-{case.id}-kit.zip",
                     ctx._("reach.exports.kit_file", case=case.key))


@router.get("/cases/{case_id}/export/all")
def export_all(case_id: CaseId, tone: str | None = None, ctx: Ctx = Depends(get_ctx),
               case: Case = Depends(visible_case)):
    """Everything ``xiabo export`` writes, as one zip."""
    from ...export import write_all

    plan, profile = _plan_profile(ctx, case)
    from ...export.budget import check_export_budget

    check_export_budget("all", plan, profile, ctx.lang)  # refused before any drawing (422)
    tmp = Path(tempfile.mkdtemp(prefix="xiabo-export-"))
    try:
        written = write_all(plan, profile, tmp / "out", tone=_tone(tone))
        files = [(p.relative_to(tmp / "out").as_posix(), p.read_bytes()) for p in written]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return _download(_zip(files, ctx.today), f"case-{case.id}-exports.zip",
                     ctx._("reach.exports.all_file", case=case.key))
