"""Recording progress: a task marked done, and the fact it stands for, in a profile mapping.

Some tasks *are* facts the plan dates other things from: the notice to the agency starts the
legal notice period, the last live starts the fans' transition, the deletion request starts the
platform's review. Marking one of them done records that fact too, so re-planning moves what
follows. The store, the API and ``xiabo done`` all go through :func:`record_done`.
"""

from __future__ import annotations

from datetime import date

from ..errors import UserError

__all__ = ["FACTS", "check_done_date", "record_done"]

# task id → where in the profile its fact lives (section or None for the top level, field)
FACTS: dict[str, tuple[str | None, str]] = {
    "mcn-notice": ("contract", "notice_sent_on"),
    "last-live": (None, "last_live_on"),
    "apply-deletion": ("account", "deletion_applied_on"),
    "guild-exit-apply": ("guild", "exit_started_on"),
    "guild-exit-done": ("guild", "left_on"),
}


def check_done_date(done: date, today: date, *, field: str = "done") -> None:
    """A task cannot have been done after ``today``: refuse it with a clear message."""
    if done > today:
        raise UserError("replan.done_in_future", {"done": done.isoformat(),
                                                  "today": today.isoformat()},
                        field=field, fix_key="replan.fix.done_in_future")


def record_done(data: dict, task_id: str, done: date | None, *, today: date,
                note: str | None = None) -> dict:
    """Mark ``task_id`` done on ``done`` (None: not done any more) in the profile mapping
    ``data`` (changed in place and returned), with the fact the task stands for."""
    progress = data.setdefault("progress", {})
    where = FACTS.get(task_id)
    if done is None:
        progress.pop(task_id, None)
        if not progress:
            data.pop("progress", None)
        if where:
            _set_fact(data, where, None)
        return data
    check_done_date(done, today)
    entry: dict = {"done": done.isoformat()}
    if note:
        entry["note"] = note
    progress[task_id] = entry
    if where:
        _set_fact(data, where, done.isoformat())
    return data


def _set_fact(data: dict, where: tuple[str | None, str], value: str | None) -> None:
    section, name = where
    holder = data if section is None else data.get(section)
    if holder is None or not isinstance(holder, dict):
        if value is None:
            return
        holder = data[section] = {}
    if value is None:
        holder.pop(name, None)
        if section is not None and not holder:
            data.pop(section, None)
    else:
        holder[name] = value
