"""§4 粉丝告知与舆情管理: the goodbye, the transition period and opinion monitoring.

A section builder reads rules through ``ctx`` (see :mod:`xiabo.roadmap.engine`) and adds
tasks, blockers and warnings.
"""

from __future__ import annotations

from datetime import timedelta

from ...rules import is_unknown
from ..planner import Dep
from ._common import L


# ---------------------------------------------------------------- fans
def build_fans(ctx) -> None:
    p = ctx.p
    wind_down_at = ctx.value("fans.wind_down_followers")
    monitor_at = ctx.value("fans.opinion_monitoring_followers")
    if p.followers >= wind_down_at:
        days = ctx.value("fans.wind_down_days")
        interval = ctx.value("fans.wind_down_video_interval_days")
        ctx.add("wind-down", "fans", "wind_down", (L + "wind_down.title", {"days": days}),
                steps=[(L + "wind_down.s1", {"days": interval}), (L + "wind_down.s2", {}),
                       (L + "wind_down.s3", {})],
                rules=["fans.wind_down_followers", "fans.wind_down_days",
                       "fans.wind_down_video_interval_days"], days=days)
        ctx.facts["wind_down"] = {"days": days, "interval": interval}
        before_last = Dep("wind-down", 1)
    else:
        lead = ctx.value("fans.announce_lead_days")
        ctx.add("pre-announce", "fans", "announce", (L + "pre_announce.title", {"days": lead}),
                steps=[(L + "pre_announce.s1", {"days": lead}), (L + "pre_announce.s2", {})],
                rules=["fans.announce_lead_days"])
        before_last = Dep("pre-announce", lead)
    cs = ctx.value("fans.customer_service_account")
    ctx.add("last-live", "fans", "announce", (L + "last_live.title", {}),
            steps=[(L + "last_live.s1", {}), (L + "last_live.s2", {}), (L + "last_live.s3", {})],
            rules=["fans.announce_channels"], deps=[before_last], milestone="last_live")
    ctx.fact("last-live", p.last_live_on)
    unknown = is_unknown(cs)  # the pack does not know the account: say what to look for
    ctx.add("pinned-video", "fans", "announce",
            (L + "pinned_video.title_unknown", {}) if unknown else (L + "pinned_video.title", {"cs": cs}),
            steps=[(L + ("pinned_video.s1_unknown" if unknown else "pinned_video.s1"), {"cs": cs}),
                   (L + "pinned_video.s2", {})],
            rules=["fans.announce_channels", "fans.customer_service_account"],
            deps=[Dep("last-live", 0)])
    for channel in p.channels:
        ctx.add(f"announce-{channel}", "fans", "announce",
                (L + "announce.title", {"channel": L + f"channels.{channel}"}),
                steps=[(L + "announce.s1", {"channel": L + f"channels.{channel}"}),
                       (L + "announce.s2", {})],
                rules=["fans.announce_channels"], deps=[Dep("last-live", 1)])
    transition = ctx.value("fans.transition_days")
    ctx.add("auto-reply", "fans", "auto_reply", (L + "auto_reply.title", {"days": transition}),
            steps=[(L + "auto_reply.s1", {}), (L + "auto_reply.s2", {"days": transition}),
                   (L + "auto_reply.s3", {})],
            rules=["fans.transition_days"], deps=[Dep("last-live", 1)], days=transition,
            milestone="transition_end", follows=True)
    if p.followers >= monitor_at:
        ctx.add("opinion-monitoring", "fans", "opinion_monitoring",
                (L + "opinion_monitoring.title", {}),
                steps=[(L + "opinion_monitoring.s1", {}), (L + "opinion_monitoring.s2", {}),
                       (L + "opinion_monitoring.s3", {})],
                rules=["fans.opinion_monitoring_followers", "fans.transition_days"],
                deps=[Dep("last-live", 0)], days=transition + 1)
        _opinion_status(ctx, transition)
    ctx.block("transition", "fans.transition_days", ("blockers.transition", {"days": transition}),
              "auto-reply", lapses=True)
    if not p.delete_account:
        ctx.add("keep-active", "fans", "keep_active", (L + "keep_active.title", {}),
                steps=[(L + "keep_active.s1", {}), (L + "keep_active.s2", {})],
                rules=["fans.wind_down_video_interval_days", "comeback.rest_period"],
                deps=[Dep("last-live", 1)], exit_path=False)


def _opinion_status(ctx, transition: int) -> None:
    """What ``xiabo opinion`` recorded: a step linking the report, and done only when there
    was data for every day from the last live through the transition period (few gaps)."""
    found = ctx.facts.get("opinion")
    if not found:
        return
    spec = ctx.tasks[-1]
    spec.steps.append((L + "opinion_monitoring.s_status", {
        "messages": f"{found['messages']:,}", "first": found["first"].isoformat(),
        "last": found["last"].isoformat(), "dir": found["dir"]}))
    last_live = ctx.p.last_live_on
    if last_live is None or spec.done is not None:
        return
    gap_key = "opinion.coverage_max_gap_days"
    max_gap = ctx.value(gap_key)
    spec.rules.append(ctx.view.resolve(gap_key))
    ctx.rules.add(ctx.view.resolve(gap_key))
    end = last_live + timedelta(days=transition)
    missing = sum(1 for i in range(transition + 1)
                  if last_live + timedelta(days=i) not in found["days"])
    if found["last"] >= end and missing <= max_gap:
        spec.done = end
