"""§5 直播设备处理方案: wipe, sell, keep or recycle each device.

A section builder reads rules through ``ctx`` (see :mod:`xiabo.roadmap.engine`) and adds
tasks, blockers and warnings.
"""

from __future__ import annotations

from ..planner import Dep
from ._common import L, has


# ---------------------------------------------------------------- equipment
def build_equipment(ctx) -> None:
    if not ctx.p.equipment:
        return
    electronic = set(ctx.value("equipment.electronic_types"))
    after = "deletion-review" if has(ctx, "deletion-review") else "auto-reply"
    for i, device in enumerate(ctx.p.equipment, start=1):
        needs_wipe = device.type in electronic or device.os in ("ios", "android", "windows", "macos")
        deps = [Dep(after, 1)]
        if needs_wipe:
            wipe_key = {"ios": "equipment.wipe_ios", "android": "equipment.wipe_android"}.get(device.os or "")
            steps = [(L + "wipe.s_backup", {"name": device.name})]
            rules = ["equipment.disposal_paths"]
            if wipe_key:
                steps.append((L + "wipe.s_os", {"how": ctx.value(wipe_key)}))
                rules.append(wipe_key)
            else:
                steps.append((L + "wipe.s_generic", {}))
            steps.append((L + "wipe.s_check", {}))
            ctx.add(f"wipe-{i}", "equipment", "wipe_device", (L + "wipe.title", {"name": device.name}),
                    steps=steps, rules=rules, deps=deps)
            deps = [Dep(f"wipe-{i}", 1)]
        elif device.disposal != "keep":
            deps = [Dep("last-live", 1)]
        if device.disposal == "keep":
            if not needs_wipe:
                continue
            ctx.tasks[-1].steps.append((L + "wipe.s_keep", {}))
            continue
        steps = [(L + f"dispose.{device.disposal}", {"name": device.name})]
        rules = ["equipment.disposal_paths"]
        if device.disposal == "donate":
            steps.append((L + "dispose.donate_receipt", {}))
            rules.append("equipment.donation_deduction")
        ctx.add(f"dispose-{i}", "equipment", "dispose_device",
                (L + "dispose.title", {"name": device.name, "how": L + f"disposals.{device.disposal}"}),
                steps=steps, rules=rules, deps=deps)
