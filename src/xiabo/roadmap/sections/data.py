"""§2 核心数据备份与迁移策略: one backup task per data class, fed by the 3-2-1 status.

A section builder reads rules through ``ctx`` (see :mod:`xiabo.roadmap.engine`) and adds
tasks, blockers and warnings.
"""

from __future__ import annotations

from ._common import L


# ---------------------------------------------------------------- data
def build_data(ctx) -> None:
    classes = list(ctx.value("data.classes"))
    if ctx.p.shop is None and "sales" in classes:
        classes.remove("sales")
    media = ctx.value("data.backup_media")
    for cls in classes:
        tid = f"backup-{cls}"
        method = ctx.value(f"data.{cls}.method")
        ctx.add(tid, "data", "backup", (L + f"backup.title_{cls}", {}),
                steps=[(L + "backup.s_get", {"method": method}),
                       (L + "backup.s_copy", {"media": media}),
                       (L + "backup.s_verify", {"cls": cls})],
                rules=["data.classes", f"data.{cls}.method", "data.backup_media",
                       "common.practice.backup_copies"])
        if cls == classes[0] and ctx.view.find("data.download.channel") is not None:
            # the platform's own copy of your data (or what to check), asked for first
            ctx.tasks[-1].steps.insert(0, (L + "backup.s_download",
                                           {"channel": ctx.value("data.download.channel")}))
            ctx.tasks[-1].rules.append(ctx.rule_id("data.download.channel"))
        found = ctx.facts["backups"].get(cls)
        if found:  # what `xiabo backup status` knows about this class
            spec = ctx.tasks[-1]
            spec.steps.append((L + "backup.s_status", {
                "copies": found["copies"], "media": found["media"], "offsite": found["offsite"],
                "need_copies": ctx.view.book.value("common.practice.backup_copies", ctx.on),
                "need_media": ctx.view.book.value("common.practice.backup_media", ctx.on),
                "need_offsite": ctx.view.book.value("common.practice.backup_offsite", ctx.on)}))
            spec.rules += ["common.practice.backup_media", "common.practice.backup_offsite"]
            ctx.rules.update(spec.rules)
        verified = bool(found and found.get("has_verified"))
        if cls not in ctx.p.data.backed_up and not verified:
            ctx.block(f"backup:{cls}", "data.classes", ("blockers.backup", {"cls": (L + f"cls.{cls}")}),
                      tid)
        elif ctx.tasks[-1].done is None:
            # already backed up before the plan started (or verified by xiabo backup)
            when = found.get("last_verified") if found else None
            ctx.tasks[-1].done = when if (when and when >= ctx.on) else ctx.on
    retention = ctx.get("data.recordings.cloud_retention_months")
    if retention:
        ctx.warn("recordings-retention", ("warnings.retention", {"months": retention}),
                 [ctx.rule_id("data.recordings.cloud_retention_months")])
    ctx.facts["data_classes"] = classes
