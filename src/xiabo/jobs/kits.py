"""The ``exports-kit`` bulk job: one zip with the announcement kit of each selected case (the
same pieces as a case's own kit download), written into the job's folder and offered on the
job's page to its owner for a day (``files.KEEP_OUTPUT``), then removed.

Each case under its own folder, named by its key (readable, unique). The owner's rights are
checked when the job runs; a case the owner may no longer see is a failure in words and is
not in the zip; so is a case over the export budget (``export.budget``, as its own kit
download is refused). The kit holds announcements only, never dispute data.

Resumable by doing it again: a kit is cheap to build, so a run handed on rewrites the zip
from the first case (into a scratch file, moved into place when whole).
"""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date

from .bulk import case_failure, owner_actor
from .registry import JobContext, kind

__all__ = ["ZIP_NAME", "run_kits"]

ZIP_NAME = "kits.zip"


@kind("exports-kit", resumable=True, keeps_files=True)
def run_kits(ctx: JobContext) -> dict:
    from ..cases import plan_stored
    from ..export.budget import check_export_budget
    from ..export.kit_zip import kit_files, zip_info
    from ..roadmap.profile import profile_from_dict
    from ..store.cases import NotFound, require_case

    actor = owner_actor(ctx)
    today = date.fromisoformat(ctx.payload["today"])
    lang, tone = ctx.payload["lang"], ctx.payload.get("tone", "warm")
    ids = [int(i) for i in ctx.payload["case_ids"]]
    ctx.folder.mkdir(parents=True, exist_ok=True)
    scratch = ctx.folder / (ZIP_NAME + ".part")
    failures: list[dict] = []
    made = 0
    ctx.update(total=len(ids), done=0, failures=[])
    with zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, case_id in enumerate(ids, start=1):
            try:
                case = require_case(ctx.db, case_id, actor)  # the owner's rights now
                plan = plan_stored(case, ctx.db, today, lang)
                profile = profile_from_dict(json.loads(case.profile_json))
                check_export_budget("kit", plan, profile, lang)  # as a case's own kit download
                for name, data in kit_files(plan, profile, tone):
                    zf.writestr(zip_info(f"{case.key}/{name}", today), data)
                made += 1
            except NotFound as err:
                failures.append(case_failure(ctx.db, case_id, err, actor))
            except Exception as err:  # noqa: BLE001 - one case's failure must not stop the rest
                failures.append(case_failure(ctx.db, case_id, err, actor))
            ctx.update(done=n, failures=failures)
    os.replace(scratch, ctx.folder / ZIP_NAME)
    return {"cases": len(ids), "made": made, "failed": len(failures),
            "file": ZIP_NAME, "bytes": (ctx.folder / ZIP_NAME).stat().st_size}
