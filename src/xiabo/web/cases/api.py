"""The JSON API under /api: cases, tasks, plans (``xiabo.plan/1``), re-planning, rules.

Same permissions as the pages; errors are ``{"error": key, "message", "field", "fix"}`` with
401 (login), 403 (role), 404 (no such case, or not yours), 422 (bad input).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ...cases import baseline_summary, diff_baseline, plan_stored, rulebook, stored
from ...store import cases as repo
from ...store.models import Case
from ..context import Ctx, get_ctx, require_role
from ..deps import CaseId, visible_case
from ..errors import Forbidden


def _same_origin(request: Request) -> None:
    """Refuse a browser's cross-site write (the API has no form token; browsers send Origin).

    Requests without an Origin header (scripts, curl) pass; login and roles still apply.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = f"{request.url.scheme}://{request.url.netloc}"
    if origin.rstrip("/") != own:
        raise Forbidden("web.errors.cross_site")


router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(_same_origin)])

TaskId = Annotated[str, Path(min_length=1, max_length=100, description="task id in the plan")]

_ERRORS = {401: {"description": "Login required (agency mode)"},
           403: {"description": "Not allowed for this role"},
           404: {"description": "No such case or task (or not yours)"},
           422: {"description": "Bad input: error key, message, field and fix"}}


class Problem(BaseModel):
    error: str
    message: str
    field: str | None = None
    fix: str | None = None


class CaseSummary(BaseModel):
    id: int
    key: str
    name: str
    platform: str
    status: str
    operator: str | None = None
    tasks_done: int
    tasks_total: int
    percent: int
    overdue: int
    next_task: str | None = Field(None, description="the most overdue open task, else the "
                                                     "earliest open one")
    next_due: date | None = None
    next_overdue_days: int = 0
    end: date | None = None


class CaseList(BaseModel):
    total: int
    page: int
    per_page: int
    cases: list[CaseSummary]


class CaseDetail(BaseModel):
    id: int
    key: str
    name: str
    platform: str
    status: str
    operator_id: int | None
    start: date
    end: date
    tasks_done: int
    tasks_total: int
    version: int
    baseline_at: date
    calendar: bool = Field(description="whether a calendar feed token exists")
    profile: dict[str, Any]


class NewCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profile: dict[str, Any] = Field(description="A profile (see docs/profile.md); start "
                                                "defaults to today")


class TaskProgressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    done: date | None = Field(None, description="date the task was done; null = not done")
    note: str | None = Field(None, max_length=2000)


class DatesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: date | None = None
    notice_sent_on: date | None = None
    clear_notice_sent_on: bool = False


class ChangeOut(BaseModel):
    task: str
    title: str
    kind: Literal["moved", "added", "removed"]
    baseline_start: date | None
    baseline_due: date | None
    start: date | None
    due: date | None
    start_days: int
    due_days: int


class Changes(BaseModel):
    baseline_at: date
    summary: str = Field(description="what changed since the baseline, in one sentence")
    changes: list[ChangeOut]


class TaskDeadline(BaseModel):
    date: date
    label: str = Field(description="the deadline in words (the tax filing deadline, the "
                                   "contract's end date, a reply deadline)")


class TaskOut(BaseModel):
    id: str
    module: str
    kind: str
    title: str
    steps: list[str]
    start: date
    due: date
    depends_on: list[str]
    rules: list[str]
    critical: bool
    slack_days: int
    milestone: str | None
    status: Literal["overdue", "at_risk", "behind", "in_progress", "upcoming", "done"] = Field(
        description="overdue: a real deadline (legal, contract, platform, reply) has passed; "
                    "at_risk: scheduled to end after such a deadline; behind: its first planned "
                    "end has passed (the plan's own date)")
    overdue_days: int
    behind_days: int
    risk_days: int
    deadline: TaskDeadline | None = None
    planned_due: date | None = None
    done: date | None
    provisional: bool
    note: str | None = None
    derived: bool | None = None
    evidence_entries: int | None = None


class Dashboard(BaseModel):
    total: int
    active: int
    finished: int
    archived: int
    with_overdue: int
    overdue_tasks: int
    platforms: list[str]
    upcoming_milestones: list[dict[str, Any]]


class RuleOut(BaseModel):
    id: str
    title: str
    value: Any
    unit: str
    source: str
    reference: str
    verified: bool
    last_verified: date
    section: str | None = None


def _lang(lang: str | None, ctx: Ctx) -> str:
    from ...i18n import normalise_lang

    return normalise_lang(lang) if lang else ctx.lang


def _detail(case) -> CaseDetail:
    return CaseDetail(id=case.id, key=case.key, name=case.name, platform=case.platform,
                      status=case.status, operator_id=case.operator_id, start=case.start,
                      end=case.end, tasks_done=case.tasks_done, tasks_total=case.tasks_total,
                      version=case.version, baseline_at=case.baseline_at,
                      calendar=case.ics_token is not None,
                      profile=json.loads(case.profile_json))


@router.get("/cases", response_model=CaseList, responses=_ERRORS)
async def api_cases(platform: str | None = Query(None, max_length=50),
              status: Literal["active", "finished", "archived", "overdue"] | None = None,
              operator: int | None = Query(None, ge=0, le=2**31 - 1,
                                           description="operator user id; 0 = unassigned"),
              q: str | None = Query(None, max_length=100),
              page: int = Query(1, ge=1, le=100000), per_page: int = Query(50, ge=1, le=500),
              lang: Literal["zh", "en"] | None = None, ctx: Ctx = Depends(get_ctx)):
    """Cases visible to the caller, newest first, with progress and overdue counts."""
    if ctx.actor.role in ("streamer", "adviser"):
        operator = None
    flt = repo.CaseFilter(platform=platform, status=status, operator_id=operator, query=q,
                          page=page, per_page=per_page)
    rows, total = repo.list_cases(ctx.db, ctx.actor, flt, today=ctx.today, lang=_lang(lang, ctx))
    return CaseList(total=total, page=page, per_page=per_page,
                    cases=[CaseSummary(**r.to_dict()) for r in rows])


@router.post("/cases", response_model=CaseDetail, status_code=201,
             responses={**_ERRORS, 422: {"model": Problem}})
def api_create_case(body: NewCase, ctx: Ctx = Depends(get_ctx)):
    """Create a case from a profile; the plan is stored and becomes the baseline."""
    require_role(ctx, "admin", "operator")
    operator = ctx.actor.id if ctx.actor.role == "operator" else None
    case = stored.create_case(ctx.db, body.profile, today=ctx.today, actor=ctx.actor,
                            operator_id=operator, source="api")
    return _detail(case)


@router.get("/cases/{case_id}", response_model=CaseDetail, responses=_ERRORS)
async def api_case(case_id: CaseId, case: Case = Depends(visible_case)):
    return _detail(case)


@router.put("/cases/{case_id}/profile", response_model=CaseDetail,
            responses={**_ERRORS, 422: {"model": Problem}})
def api_put_profile(case_id: CaseId, body: NewCase, ctx: Ctx = Depends(get_ctx)):
    """Replace the profile (recorded progress is kept unless the new profile has some)."""
    case = stored.update_profile(ctx.db, case_id, body.profile, today=ctx.today, actor=ctx.actor)
    return _detail(case)


@router.get("/cases/{case_id}/plan", responses=_ERRORS)
async def api_plan(case_id: CaseId, lang: Literal["zh", "en"] | None = None,
             today: date | None = Query(None, description="plan as of this day (default: "
                                                          "the server's today)"),
             ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)) -> dict[str, Any]:
    """The plan as the ``xiabo.plan/1`` JSON document (same as ``xiabo plan --json``)."""
    return JSONResponse(plan_stored(case, ctx.db, today or ctx.today, _lang(lang, ctx)).to_dict())


@router.get("/cases/{case_id}/tasks", response_model=list[TaskOut], responses=_ERRORS)
async def api_tasks(case_id: CaseId, lang: Literal["zh", "en"] | None = None,
              ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    return [t.to_dict() for t in plan_stored(case, ctx.db, ctx.today, _lang(lang, ctx)).tasks]


@router.post("/cases/{case_id}/tasks/{task_id}", response_model=TaskOut, responses=_ERRORS)
def api_mark_task(case_id: CaseId, task_id: TaskId, body: TaskProgressIn,
                  ctx: Ctx = Depends(get_ctx)):
    """Record a task as done on ``done`` (null: not done); downstream dates move."""
    case = stored.mark_task(ctx.db, case_id, task_id, body.done, today=ctx.today, actor=ctx.actor,
                          note=body.note)
    return plan_stored(case, ctx.db, ctx.today, ctx.lang).task(task_id).to_dict()


@router.patch("/cases/{case_id}/dates", response_model=Changes, responses=_ERRORS)
def api_dates(case_id: CaseId, body: DatesIn, ctx: Ctx = Depends(get_ctx)):
    """Edit the start date or the date the notice was sent; returns plan vs baseline."""
    notice: date | None | bool = False
    if body.clear_notice_sent_on:
        notice = None
    elif body.notice_sent_on is not None:
        notice = body.notice_sent_on
    case = stored.set_dates(ctx.db, case_id, today=ctx.today, actor=ctx.actor, start=body.start,
                          notice_sent_on=notice)
    return _changes(case, ctx)


def _changes(case, ctx: Ctx) -> Changes:
    plan = plan_stored(case, ctx.db, ctx.today, ctx.lang)
    baseline = json.loads(case.baseline_json)
    diff = diff_baseline(plan, baseline)
    return Changes(baseline_at=case.baseline_at, summary=baseline_summary(plan, baseline),
                   changes=[ChangeOut(**c.to_dict()) for c in diff])


@router.get("/cases/{case_id}/changes", response_model=Changes, responses=_ERRORS)
async def api_changes(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                      case: Case = Depends(visible_case)):
    """What moved since the baseline, by how many days."""
    return _changes(case, ctx)


@router.post("/cases/{case_id}/baseline", response_model=Changes, responses=_ERRORS)
def api_reset_baseline(case_id: CaseId, ctx: Ctx = Depends(get_ctx)):
    """Make the current plan the baseline."""
    return _changes(stored.reset_baseline(ctx.db, case_id, today=ctx.today, actor=ctx.actor), ctx)


@router.get("/dashboard", response_model=Dashboard, responses=_ERRORS)
async def api_dashboard(platform: str | None = Query(None, max_length=50),
                  operator: int | None = Query(None, ge=0, le=2**31 - 1),
                  days: int = Query(14, ge=1, le=366),
                  lang: Literal["zh", "en"] | None = None, ctx: Ctx = Depends(get_ctx)):
    """Counts for the caller's cases and the milestones due in the next ``days``."""
    require_role(ctx, "admin", "operator")
    flt = repo.CaseFilter(platform=platform, operator_id=operator)
    summary, upcoming = repo.dashboard_data(ctx.db, ctx.actor, flt, today=ctx.today,
                                            lang=_lang(lang, ctx), days=days)
    return Dashboard(**summary, upcoming_milestones=[
        {**row, "due": row["due"].isoformat()} for row in upcoming])


@router.get("/rules", response_model=list[RuleOut], responses=_ERRORS)
async def api_rules(platform: str | None = Query(None, max_length=50),
              lang: Literal["zh", "en"] | None = None, ctx: Ctx = Depends(get_ctx)):
    """Every rule in force today (optionally one platform's plus the common ones)."""
    from ..admin.rules import rule_rows

    book = rulebook()
    out = []
    for row in rule_rows(book, _lang(lang, ctx), ctx.today, platform):
        rule = book.rules[row["id"]]
        from ...roadmap.plan import _jsonable

        out.append(RuleOut(id=rule.id, title=row["title"],
                           value=_jsonable(rule.value_at(ctx.today)),
                           unit=rule.unit, source=rule.source, reference=rule.reference,
                           verified=rule.verified, last_verified=rule.last_verified,
                           section=rule.section))
    return out
