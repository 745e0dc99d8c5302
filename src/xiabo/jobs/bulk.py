"""What every bulk job (work over many cases, no case of its own) shares: it runs with its
owner's rights as they are when it runs (not as they were when it was queued), and it counts
"n of N cases" with each failure named by the case's streamer, in words.

Progress keys: ``total`` and ``done`` (cases), ``failures`` ([{"case": id, "name": streamer,
"error": {"zh": …, "en": …}}]).
"""

from __future__ import annotations

from ..errors import UserError
from .registry import JobContext

__all__ = ["case_failure", "owner_actor"]


def owner_actor(ctx: JobContext):
    """The actor the job acts as: its owner now, or the local user for a job the local user
    started. A job whose owner was removed stops with words (it never falls back to an
    administrator's rights)."""
    from ..store.actors import Actor
    from ..store.models import User
    from ..store.users import actor_for

    if ctx.owner_id is None:
        if ctx.payload.get("local"):
            return Actor()
        raise UserError("jobs.bulk.err.owner_gone", fix_key="jobs.bulk.err.owner_gone_fix")
    with ctx.db.read() as s:
        user = s.get(User, ctx.owner_id)
        if user is None:
            raise UserError("jobs.bulk.err.owner_gone", fix_key="jobs.bulk.err.owner_gone_fix")
        return actor_for(user)


def case_failure(db, case_id: int, err: Exception, actor) -> dict:
    """A failure of one case as the job page shows it: the streamer's name (only if ``actor``
    may still see the case; else no name at all) and the words."""
    from ..i18n import t
    from ..store.actors import can_see
    from ..store.cases import get_case

    case = get_case(db, case_id)
    name = case.name if case is not None and can_see(actor, case) else None
    if name is None:  # gone, or no longer the owner's: no name, no id, the same words
        words = {lang: t("jobs.bulk.case_gone", lang) for lang in ("zh", "en")}
    elif isinstance(err, UserError):
        words = {lang: err.render(lang) for lang in ("zh", "en")}
    else:
        words = {lang: t("jobs.err.unexpected", lang, error=str(err)[:300])
                 for lang in ("zh", "en")}
    return {"case": case_id, "name": name, "error": words}
