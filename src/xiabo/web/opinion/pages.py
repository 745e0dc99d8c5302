"""Opinion monitoring in the web: the case page's section (for cases above the follower
threshold), importing exports, and the full HTML / PDF report.

Same toolkit as ``xiabo opinion``: the same ingest and report, over the case's rows in the main
database (``xiabo.cases.opinion_store``: messages, keyword counts per day, imports), so an agency on
PostgreSQL has them in PostgreSQL. A case whose messages were still in its folder's file
(``<case folder>/opinion``, before migration 0009) is copied into the store on its first read.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData, UploadFile

from ...errors import UserError
from ...i18n import t
from ...store.models import Case
from ..context import Ctx, _env, get_ctx
from ..deps import CaseId, checked_form, visible_case
from ..downloads import NOSNIFF, download_response

router = APIRouter(include_in_schema=False)

_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson")


def _folder(case):
    from ...paths import case_dir

    return case_dir(case.folder) / "opinion"


def _profile(case) -> dict:
    try:
        return json.loads(case.profile_json or "{}")
    except ValueError:
        return {}


def _last_live(case):
    from datetime import date

    value = _profile(case).get("last_live_on")
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def monitored(ctx: Ctx, case) -> bool:
    """Whether the guide asks this case for opinion monitoring (followers ≥ the rule's cut-off)."""
    from ...cases import rulebook

    threshold = rulebook().value("common.fans.opinion_monitoring_followers", ctx.today)
    followers = _profile(case).get("followers") or 0
    return isinstance(followers, int) and followers >= threshold


def _store(ctx: Ctx, case):
    """The case's opinion store, with its old case-folder file copied in first (once)."""
    from ...cases.opinion_adopt import adopt
    from ...cases.opinion_store import CaseStore

    adopt(ctx.db.engine, case.id, _folder(case))
    return CaseStore(ctx.db.engine, case.id)


def _report(ctx: Ctx, case):
    from ...opinion.report import build_report

    store = _store(ctx, case)
    if not store.count():
        return None
    report = build_report(store, today=ctx.today, last_live=_last_live(case))
    return report if report.total else None


def _report_or_refuse(ctx: Ctx, case):
    """The report a download is made of; none yet is refused in words (what to import first)."""
    report = _report(ctx, case)
    if report is None:
        raise UserError("opinion.err.no_store", {"dir": case.name}, fix_key="opinion.web.fix_none")
    return report


_RECENT_DAYS = 7        # days listed on the case page's card (the full report has them all)
_PHONE_CHART = {"width": 360, "height": 250, "font": 13}  # labels ≥ 11 px on a 390 px screen


def opinion_summary(ctx: Ctx, case) -> dict | None:
    """The case page's section: None below the threshold; else cards, chart and imports.

    Why cards and not the terminal text: the section is read on a phone; each card is a short
    block (overall shares, the spike verdict with its reason, the last days with how sure each
    is, keywords) and the chart is drawn at phone size with its own legend.
    """
    if case is None or not monitored(ctx, case):
        return None
    from ...opinion.charts import COLORS, legend, negative_chart
    from ...opinion.html import chart_svg
    from ...opinion.summary import terms_line, verdict_lines
    from ...store.opinion import imports

    jobs = _import_jobs(ctx, case)
    try:
        report = _report(ctx, case)
    except UserError as err:
        return {"error": err.render(ctx.lang), "imports": imports(ctx.db, case.id), "jobs": jobs}
    out: dict = {"imports": imports(ctx.db, case.id), "report": None, "jobs": jobs}
    if report is not None:
        title = t("opinion.html.negative_chart", ctx.lang)
        out.update(
            report=report,
            shares=[(k, report.share(k), t(f"opinion.labels.{k}", ctx.lang))
                    for k in ("negative", "neutral", "positive")],
            verdict=verdict_lines(report, ctx.lang),
            recent=[d for d in report.days if d.volume][-_RECENT_DAYS:][::-1],
            keywords=terms_line(report.keywords[:10], ctx.lang),
            negative_keywords=terms_line(report.negative_keywords[:10], ctx.lang),
            colors=COLORS,
            chart_title=title,
            chart=chart_svg(negative_chart(report.days, **_PHONE_CHART,
                                           legend=legend(ctx.lang, "negative")), title))
    return out


def _import_jobs(ctx: Ctx, case) -> list[dict]:
    """The case's last import job when it is still going or did not finish (with words)."""
    from ...jobs import job_view
    from ...store.jobs import recent
    from ..jobs.pages import job_words

    views = [job_view(row) for row in recent(ctx.db, case.id, "opinion-import", 1)]
    return [dict(v, words=job_words(v, ctx.lang)) for v in views if v["state"] != "done"]


def opinion_t(ctx: Ctx, key: str, **params) -> str:
    return t(f"opinion.{key}", ctx.lang, **params)


_env().globals["opinion_summary"] = opinion_summary
_env().globals["opinion_t"] = opinion_t


def _back(case_id: int) -> RedirectResponse:
    """The case page with its opinion section open (it sits in the documents fold)."""
    return RedirectResponse(f"/cases/{case_id}?show=documents#opinion", status_code=303)


async def _uploads(form: FormData) -> list[tuple[str, bytes]]:
    out = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            name = item.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:120]
            if not name.lower().endswith(_SUFFIXES):
                raise UserError("opinion.err.not_a_table", {"path": name}, file=name,
                                fix_key="opinion.fix.not_a_table")
            out.append((name, await item.read()))
    return out


def _enqueue(ctx: Ctx, case, uploads: list[tuple[str, bytes]]) -> int:
    """Check each upload whole (a bad header or row is refused here, in words, before anything
    is queued or saved), then queue one import job with the files; its id.

    The files wait in the data folder's ``jobs/incoming`` (swept if a request dies) and move
    into the job's folder inside the transaction that queues it."""
    import secrets
    from pathlib import Path as FsPath

    from ...jobs import JobBusy, enqueue_job
    from ...jobs.files import incoming_folder
    from ...jobs.opinion import named_error
    from ...opinion.ingest import check_file

    staging = incoming_folder() / secrets.token_hex(8)
    staging.mkdir(parents=True)
    try:
        files: dict[str, FsPath] = {}
        names = []
        for i, (name, data) in enumerate(uploads):
            stored = f"{i}{FsPath(name).suffix.lower()}"
            path = staging / stored
            path.write_bytes(data)
            try:
                check_file(path)
            except UserError as err:
                raise named_error(err, name) from None
            files[stored] = path
            names.append([stored, name])
        try:
            return enqueue_job(ctx.db, "opinion-import", case.id,
                               {"case_key": case.folder, "files": names}, files)
        except JobBusy:
            raise UserError("jobs.err.busy", fix_key="jobs.err.busy_fix") from None
    finally:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)


@router.post("/cases/{case_id}/opinion/import")
async def import_exports(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                         form: FormData = Depends(checked_form),
                         case: Case = Depends(visible_case)):
    from starlette.concurrency import run_in_threadpool

    uploads = await _uploads(form)
    if not uploads:
        return _back(case_id)
    job_id = await run_in_threadpool(_enqueue, ctx, case, uploads)
    return RedirectResponse(f"/cases/{case_id}/jobs/{job_id}", status_code=303)


@router.get("/cases/{case_id}/opinion/report.html")
def report_html(case_id: CaseId, ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    from ...opinion.html import render_html

    report = _report_or_refuse(ctx, case)
    return HTMLResponse(render_html(report, ctx.lang))


@router.get("/cases/{case_id}/opinion/report.pdf")
def report_pdf(case_id: CaseId, ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    from ...opinion.pdf import render_pdf

    report = _report_or_refuse(ctx, case)
    return download_response(f"{case.key}-opinion.pdf", render_pdf(report, ctx.lang),
                             "application/pdf", headers=NOSNIFF)


@router.get("/cases/{case_id}/opinion")
def opinion_section(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                    case: Case = Depends(visible_case)):
    """Where a task step about ``xiabo opinion report`` sends web readers: the case page's
    opinion section."""
    from fastapi.responses import RedirectResponse

    return RedirectResponse(f"/cases/{case.id}?show=documents#opinion", status_code=303)
