"""A progress entry for a task the plan does not have is a warning naming the closest task."""

from __future__ import annotations

from datetime import date

import xiabo

from ..helpers import base_profile


def test_unknown_task_id_in_progress_names_the_closest():
    profile = base_profile(progress={"mcn-notise": {"done": "2026-11-20"}, "zzz": {"done": "2026-11-20"}})
    plan = xiabo.plan(profile, today=date(2026, 11, 25))
    near = next(w for w in plan.warnings if w.id == "unknown-progress:mcn-notise")
    assert "「mcn-notice」" in near.message and plan.task("mcn-notice").title in near.message
    far = next(w for w in plan.warnings if w.id == "unknown-progress:zzz")
    assert "--verbose" in far.message
    assert not plan.task("mcn-notice").done
