"""The ``backup`` job: bag the chosen folders into every destination, verify each bag fully and
record the check, so the case's 3-2-1 status counts it.

Resumable: the bag's name is checkpointed first; ``create_bag`` picks up its own partial bag
(same sources, class and destinations), a bag already finished under that name is verified,
and the bags made and the checks recorded are checkpointed, so a run handed on after its worker
died neither copies a finished bag again nor records a check twice.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .registry import JobContext, kind

__all__ = ["run_backup"]


@kind("backup", resumable=True)
def run_backup(ctx: JobContext) -> dict:
    from ..backup import create_bag, label_destination, record_verified, verify_bag
    from ..errors import UserError
    from ..i18n import t

    p = ctx.payload
    case_key = p["case_key"]

    def on_start(total_bytes: int, total_files: int) -> None:
        ctx.update(total=total_bytes, total_files=total_files, done=0, done_files=0)

    def advance(nbytes: int, nfiles: int) -> None:
        ctx.add(done=nbytes, done_files=nfiles)

    bags = ctx.progress.get("bags")
    if bags is None:
        # the bag's name is fixed before any copying: a worker that died after the bag got its
        # final name but before the checkpoint below left that bag, which a run handed on
        # finds under this name instead of starting a second bag beside it
        name = ctx.progress.get("name")
        if name is None:
            name = f"{p['data_class']}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
            ctx.checkpoint(name=name)
        finished = [str(Path(d).resolve() / name) for d in p["dests"]]
        if not all(Path(b).is_dir() for b in finished):
            if p.get("media"):
                for dest in p["dests"]:
                    label_destination(case_key, dest, p["media"], bool(p.get("offsite")))
            ctx.update(phase="copying")
            made = create_bag(p["sources"], p["dests"], data_class=p["data_class"],
                              name=name, case=case_key, platform=p.get("platform"),
                              progress=advance, on_start=on_start)
            finished = list(made.bags)
        bags = finished
        ctx.checkpoint(bags=bags, phase="verifying")
    checks: list[dict] = list(ctx.progress.get("checks") or [])
    for bag in bags:
        if any(c["path"] == bag for c in checks):
            continue  # checked and recorded before this worker took over
        check = verify_bag(bag, progress=advance, on_start=on_start)
        record_verified(case_key, check, data_class=p["data_class"])
        checks.append({"path": bag, "ok": check.ok, "files": check.files,
                       "problems": {lang: [t(f"backup.verify.kinds.{q.kind}", lang,
                                             path=q.path, detail=q.detail)
                                           for q in check.problems[:20]]
                                    for lang in ("zh", "en")}})
        ctx.checkpoint(checks=checks)
    if not all(c["ok"] for c in checks):
        raise UserError("reach.backup.verify_failed")
    ctx.update(phase="done")
    return {"bags": bags, "checks": checks}
