"""The ``letters-followup`` bulk job: the dashboard's "draft follow-ups for the selected
cases". One case at a time, each in its own short transactions (``draft_followups``), with the
owner's rights re-checked when it runs: a case the owner may no longer see is a failure in
words, never drafted.

Resumable: the cases done are checkpointed, and so is the case about to be drafted (with the
time). A case a worker died on is passed again: its letters, followed up today, are not
followed up twice, those it drafted before the stop are counted (letters followed up today
and written since that time), and its plan's stored columns are brought up to date (the
death may have come between the letters' write and the re-plan).
"""

from __future__ import annotations

from datetime import date

from .bulk import case_failure, owner_actor
from .registry import JobContext, kind

__all__ = ["run_followups"]


@kind("letters-followup", resumable=True)
def run_followups(ctx: JobContext) -> dict:
    from ..cases.followups import draft_followups, followed_up_since
    from ..cases.stored import refresh
    from ..store.cases import NotFound, require_case
    from ..store.models import utcnow

    actor = owner_actor(ctx)
    today = date.fromisoformat(ctx.payload["today"])
    ids: list[int] = [int(i) for i in ctx.payload["case_ids"]]
    done: list[int] = list(ctx.progress.get("cases_done") or [])
    failures: list[dict] = list(ctx.progress.get("failures") or [])
    drafted = int(ctx.progress.get("drafted") or 0)
    stopped_on = ctx.progress.get("drafting")  # {case, at}: where a worker died, if one did
    ctx.update(total=len(ids), done=len(done))
    for case_id in ids:
        if case_id in done:
            continue
        try:
            require_case(ctx.db, case_id, actor)  # the owner's rights now
            if stopped_on and stopped_on.get("case") == case_id:
                before = followed_up_since(ctx.db, case_id, today, stopped_on["at"])
                if before:
                    drafted += before
                    refresh(ctx.db, case_id, today=today, actor=actor,
                            action="letters.bulk_followup")
            ctx.checkpoint(drafting={"case": case_id, "at": utcnow().isoformat()})
            drafted += draft_followups(ctx.db, [case_id], actor, today)
        except NotFound as err:
            failures.append(case_failure(ctx.db, case_id, err, actor))
        except Exception as err:  # noqa: BLE001 - one case's failure must not stop the others
            from ..store.failures import ServiceUnavailable, classify

            if isinstance(classify(err), ServiceUnavailable):
                raise  # a read-only store or a full disk: stop; a retry resumes
            failures.append(case_failure(ctx.db, case_id, err, actor))
        done.append(case_id)
        ctx.checkpoint(cases_done=done, failures=failures, drafted=drafted, done=len(done),
                       drafting=None)
    return {"drafted": drafted, "cases": len(ids), "failed": len(failures)}
