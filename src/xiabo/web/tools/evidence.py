"""The evidence log from the web: set it up, add files or notes, sign a checkpoint, verify,
and download the lawyer's bundle. The same calls as ``xiabo evidence`` (xiabo.evidence).

Uploads go through a private temp folder into the log's own store (see bridges.py); nothing a
user uploads is kept anywhere else.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from ...errors import UserError
from ...store.models import Case
from ..context import Ctx, get_ctx, render
from ..deps import CaseId, checked_form
from ..dispute.access import case_beside_dispute
from ..downloads import NO_STORE, download_response
from ..forms import error_words
from ..uploads import read_files

router = APIRouter(include_in_schema=False)

KINDS = ("screenshot", "chat", "recording", "receipt", "contract", "other")
SHOWN = 50  # newest entries listed on the page


def evidence_folder(case) -> Path:
    """The case's log folder, wherever the task forms put theirs (one place decides)."""
    from .bridges import _log_dir

    return _log_dir(case.folder)


def _now() -> str:
    from ...evidence.entry import format_time

    return format_time(datetime.now(UTC))


def _as_user_error(err) -> UserError:
    key = f"evidence.{err.key}"
    return UserError(key, dict(err.params), fix_key=f"{key}_fix")


def _state(folder: Path) -> dict | None:
    """What the page shows: size, files, checkpoints, the newest entries."""
    from ...evidence.checkpoint import load_checkpoints
    from ...evidence.entry import display_time
    from ...evidence.log import EvidenceLog

    if not EvidenceLog.exists(folder):
        return None
    log = EvidenceLog.open(folder)
    rows, files = [], 0
    for index, payload in log.entries():
        if index == 0:
            continue
        try:
            obj = json.loads(payload)
        except ValueError:
            continue
        files += 1 if obj.get("sha256") else 0
        rows.append({"index": index, **obj, "shown_time": display_time(obj.get("time"))})
    cps = load_checkpoints(log)
    last = cps[-1] if cps else None
    return {"size": len(rows), "files": files, "checkpoints": len(cps),
            "checkpoint_size": last.checkpoint.size - 1 if last else 0,
            "entries": list(reversed(rows[-SHOWN:]))}


def _page(ctx: Ctx, case, status_code: int = 200, **values):
    from ...cases import plan_stored

    state = None
    try:
        state = _state(evidence_folder(case))
    except Exception as err:  # noqa: BLE001 - a damaged log is shown, never a crash
        values.setdefault("error", ctx._(f"evidence.{getattr(err, 'key', 'err.head_bad')}",
                                         **getattr(err, "params", {})))
    plan = plan_stored(case, ctx.db, ctx.today, ctx.lang)
    tasks = [(t.id, t.title) for t in plan.tasks]
    return render(ctx, "evidence.html", status_code=status_code, case=case, state=state,
                  kinds=KINDS, tasks=tasks, titles=dict(tasks), **values)


def _fail(ctx: Ctx, case, err: UserError):
    return _page(ctx, case, status_code=422, **error_words(err, ctx.lang))


def _back(case, msg: str) -> RedirectResponse:
    return RedirectResponse(f"/cases/{case.id}/evidence?msg={msg}", status_code=303)


@router.get("/cases/{case_id}/evidence")
def evidence_page(case_id: CaseId, msg: str | None = None, ctx: Ctx = Depends(get_ctx),
                  case: Case = Depends(case_beside_dispute)):
    message = None
    if msg in ("created", "added", "checkpoint", "checkpoint_same"):
        message = ctx._(f"reach.evidence.msg.{msg}")
    return _page(ctx, case, message=message)


@router.post("/cases/{case_id}/evidence/init")
def evidence_init(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                  form: FormData = Depends(checked_form), case: Case = Depends(case_beside_dispute)):
    from ...evidence.keys import create_log
    from ...evidence.log import EvidenceLog, LogError

    folder = evidence_folder(case)
    if not EvidenceLog.exists(folder):
        origin = f"xiabo.local/evidence/case-{case.id}/{os.urandom(4).hex()}"
        try:
            create_log(folder, origin, _now())
        except LogError as err:
            return _fail(ctx, case, _as_user_error(err))
    return _back(case, "created")


@router.post("/cases/{case_id}/evidence/add")
async def evidence_add(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                       form: FormData = Depends(checked_form), case: Case = Depends(case_beside_dispute)):
    from starlette.concurrency import run_in_threadpool

    from .bridges import MAX_EVIDENCE_FILE

    try:
        uploads = await read_files(form, MAX_EVIDENCE_FILE)
    except UserError as err:
        return _fail(ctx, case, err)
    kind = str(form.get("kind") or "other")
    kind = kind if kind in KINDS else "other"
    note = str(form.get("note") or "").strip()[:2000] or None
    task = str(form.get("task") or "").strip()[:100] or None
    try:
        await run_in_threadpool(_add, case, uploads, kind, note, task)
    except UserError as err:
        return _fail(ctx, case, err)
    return _back(case, "added")


def _add(case, uploads, kind, note, task) -> int:
    from ...evidence.log import EvidenceLog, LogError
    from .bridges import log_uploads

    folder = evidence_folder(case)
    try:
        if not EvidenceLog.exists(folder):
            raise UserError("reach.evidence.no_log", fix_key="reach.evidence.no_log_fix")
        return log_uploads(EvidenceLog.open(folder), uploads, note=note, kind=kind, task=task,
                           time=_now())
    except LogError as err:
        raise _as_user_error(err) from None


@router.post("/cases/{case_id}/evidence/checkpoint")
def evidence_checkpoint(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                        form: FormData = Depends(checked_form), case: Case = Depends(case_beside_dispute)):
    from ...evidence.checkpoint import write_checkpoint
    from ...evidence.log import EvidenceLog, LogError

    try:
        _, created = write_checkpoint(EvidenceLog.open(evidence_folder(case)))
    except LogError as err:
        return _fail(ctx, case, _as_user_error(err))
    return _back(case, "checkpoint" if created else "checkpoint_same")


@router.post("/cases/{case_id}/evidence/verify")
def evidence_verify(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                    form: FormData = Depends(checked_form), case: Case = Depends(case_beside_dispute)):
    from ...evidence.log import LogError
    from ...evidence.verify import verify_log

    try:
        rep = verify_log(evidence_folder(case), full=True)
    except LogError as err:
        return _fail(ctx, case, _as_user_error(err))
    report = {"ok": rep.ok, "size": max(rep.size - 1, 0), "files": rep.files,  # no genesis
              "checkpoints": rep.checkpoints, "timestamps": rep.timestamps,
              "problems": [ctx._(f"evidence.problem.{p.key}", **p.params) for p in rep.problems],
              "notices": [ctx._(f"evidence.problem.{p.key}", **p.params) for p in rep.notices]}
    return _page(ctx, case, status_code=200 if rep.ok else 409, report=report)


@router.get("/cases/{case_id}/evidence/bundle.zip")
def evidence_bundle(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                    case: Case = Depends(case_beside_dispute)):
    """The lawyer's bundle: entries, files, proofs, signed checkpoints and a checker script.

    A GET writes nothing: entries no checkpoint seals yet are refused in words (the page
    offers "seal and download", a POST, for them)."""
    return _bundle(ctx, case, sign=False)


@router.post("/cases/{case_id}/evidence/bundle.zip")
def evidence_seal_and_bundle(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                             form: FormData = Depends(checked_form),
                             case: Case = Depends(case_beside_dispute)):
    """Seal the newest entries with a checkpoint, then download the bundle."""
    return _bundle(ctx, case, sign=True)


def _bundle(ctx: Ctx, case, sign: bool):
    from ...evidence.bundle import make_bundle
    from ...evidence.log import EvidenceLog, LogError
    from ...i18n import t

    def readme(params: dict) -> str:
        return (t("evidence.bundle.readme", "zh", **params) + "\n\n"
                + t("evidence.bundle.readme", "en", **params))

    tmp = Path(tempfile.mkdtemp(prefix="xiabo-bundle-"))
    try:
        out = tmp / "bundle.zip"
        try:
            make_bundle(EvidenceLog.open(evidence_folder(case)), out, readme, sign=sign)
        except LogError as err:
            return _fail(ctx, case, _as_user_error(err))
        data = out.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    name = ctx._("reach.evidence.bundle_file", case=case.key)
    return download_response(name, data, "application/zip", ascii_name=f"evidence-{case.id}.zip",
                             headers=NO_STORE)
