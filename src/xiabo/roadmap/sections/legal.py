"""§8 法律风险防范与证据留存: set up the evidence log first, clean up and seal it last.

A section builder reads rules through ``ctx`` (see :mod:`xiabo.roadmap.engine`) and adds
tasks, blockers and warnings.
"""

from __future__ import annotations

from ..planner import Dep
from ._common import L, has


# ---------------------------------------------------------------- legal (start)
def build_legal_start(ctx) -> None:
    ctx.add("evidence-setup", "legal", "evidence", (L + "evidence_setup.title", {}),
            steps=[(L + "evidence_setup.s1", {}), (L + "evidence_setup.s2", {}),
                   (L + "evidence_setup.s3", {})],
            rules=["legal.record_evidence", "common.law.electronic_evidence"])


# ---------------------------------------------------------------- legal (cleanup)
def build_legal_cleanup(ctx) -> None:
    deps = [Dep("backup-recordings", 1)] if has(ctx, "backup-recordings") else []
    ctx.add("remove-media", "legal", "remove_unlicensed_media", (L + "remove_media.title", {}),
            steps=[(L + "remove_media.s1", {}), (L + "remove_media.s2", {})],
            rules=["legal.remove_unlicensed_media"], deps=deps)
    ctx.add("backup-final", "data", "backup", (L + "backup.title_final", {}),
            steps=[(L + "backup.s_final", {}), (L + "backup.s_verify", {"cls": "recordings"})],
            rules=["data.classes"], deps=[Dep("auto-reply", 1)], days=1)
    fan_deps = [Dep("backup-final", 0)]
    if has(ctx, "backup-fan_profile"):
        fan_deps.append(Dep("backup-fan_profile", 1))
    ctx.add("delete-fan-contacts", "legal", "delete_fan_contacts",
            (L + "delete_fan_contacts.title", {}),
            steps=[(L + "delete_fan_contacts.s1", {}), (L + "delete_fan_contacts.s2", {}),
                   (L + "delete_fan_contacts.s3", {})],
            rules=["legal.delete_fan_contacts", "common.law.pipl_delete"], deps=fan_deps)


# ---------------------------------------------------------------- legal (end)
def build_evidence_seal(ctx) -> None:
    last = "deletion-review" if has(ctx, "deletion-review") else "backup-final"
    ctx.add("evidence-seal", "legal", "evidence", (L + "evidence_seal.title", {}),
            steps=[(L + "evidence_seal.s1", {}), (L + "evidence_seal.s2", {}),
                   (L + "evidence_seal.s3", {"mediation": ctx.value("legal.mediation")})],
            rules=["legal.record_evidence", "common.law.blockchain_evidence", "legal.mediation"],
            deps=[Dep(last, 1)])
