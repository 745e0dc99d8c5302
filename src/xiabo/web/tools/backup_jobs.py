"""Backups started from the web page: a job per request, run in a thread, watched by polling.

A job bags the chosen folders (``xiabo.backup.create_bag``), then fully verifies every bag it
made and records the check, so the case's 3-2-1 status counts it. Its state is kept in memory
and written (atomically, throttled) to ``<case folder>/web-jobs/<id>.json``, so any worker can
show it and a finished result outlives a restart. One job per case at a time.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from ...errors import UserError

__all__ = ["Job", "find_job", "recent_jobs", "start_job"]

_JOBS: dict[str, Job] = {}
_LOCK = threading.Lock()
_SAVE_EVERY = 1.0  # seconds between progress writes to disk
RUNNING = ("queued", "copying", "verifying")


@dataclass
class Job:
    id: str
    case_key: str
    case_id: int
    sources: list[str]
    dests: list[str]
    data_class: str
    media: str | None = None
    offsite: bool = False
    platform: str | None = None
    state: str = "queued"  # queued, copying, verifying, done, failed
    total_bytes: int = 0
    total_files: int = 0
    done_bytes: int = 0
    done_files: int = 0
    bags: list[str] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)  # {path, ok, files, problems: {lang}}
    error: dict | None = None  # {lang: words}
    started_at: str = ""
    finished_at: str = ""
    _saved: float = 0.0

    @property
    def running(self) -> bool:
        return self.state in RUNNING

    @property
    def percent(self) -> int:
        if not self.total_bytes:
            return 100 if self.state == "done" else 0
        return min(100, int(self.done_bytes * 100 / self.total_bytes))

    def as_dict(self) -> dict:
        out = asdict(self)
        out.pop("_saved", None)
        out["percent"] = self.percent
        return out


def _folder(case_key: str) -> Path:
    from ...paths import case_dir

    return case_dir(case_key) / "web-jobs"


def _save(job: Job, force: bool = False) -> None:
    now = time.monotonic()
    if not force and now - job._saved < _SAVE_EVERY:
        return
    job._saved = now
    from ...fsutil import atomic_write

    folder = _folder(job.case_key)
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / f"{job.id}.json", json.dumps(job.as_dict(), ensure_ascii=False))


def _load(case_key: str, job_id: str) -> Job | None:
    if not job_id.isalnum() or len(job_id) > 40:
        return None
    path = _folder(case_key) / f"{job_id}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    data.pop("percent", None)
    try:
        return Job(**data)
    except TypeError:
        return None


def find_job(case_key: str, job_id: str) -> Job | None:
    """The job from memory (this worker started it) or from its file."""
    with _LOCK:
        job = _JOBS.get(job_id)
    if job is not None and job.case_key == case_key:
        return job
    return _load(case_key, job_id)


def recent_jobs(case_key: str, limit: int = 5) -> list[Job]:
    folder = _folder(case_key)
    try:
        files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return []
    found = [find_job(case_key, p.stem) for p in files[:limit]]
    return [j for j in found if j is not None]


def _words(err: UserError) -> dict:
    return {lang: err.render(lang) for lang in ("zh", "en")}


def _run(job: Job) -> None:
    from ...backup import create_bag, label_destination, record_verified, verify_bag
    from ...i18n import t

    def on_start(total_bytes: int, total_files: int) -> None:
        job.total_bytes, job.total_files, job.done_bytes, job.done_files = (
            total_bytes, total_files, 0, 0)
        _save(job, force=True)

    def advance(nbytes: int, nfiles: int) -> None:
        job.done_bytes += nbytes
        job.done_files += nfiles
        _save(job)

    try:
        if job.media:
            for dest in job.dests:
                label_destination(job.case_key, dest, job.media, job.offsite)
        job.state = "copying"
        _save(job, force=True)
        result = create_bag(job.sources, job.dests, data_class=job.data_class,
                            case=job.case_key, platform=job.platform, progress=advance,
                            on_start=on_start)
        job.bags = list(result.bags)
        job.state = "verifying"
        _save(job, force=True)
        for bag in job.bags:
            check = verify_bag(bag, progress=advance, on_start=on_start)
            record_verified(job.case_key, check, data_class=job.data_class)
            job.checks.append({"path": bag, "ok": check.ok, "files": check.files,
                               "problems": {lang: [t(f"backup.verify.kinds.{p.kind}", lang,
                                                     path=p.path, detail=p.detail)
                                                   for p in check.problems[:20]]
                                            for lang in ("zh", "en")}})
        job.state = "done" if all(c["ok"] for c in job.checks) else "failed"
        if job.state == "failed":
            job.error = {lang: t("reach.backup.verify_failed", lang) for lang in ("zh", "en")}
    except UserError as err:
        job.state, job.error = "failed", _words(err)
    except Exception as err:  # noqa: BLE001 - a worker thread: report on the page, never die silently
        job.state = "failed"
        job.error = {lang: t("reach.backup.unexpected", lang, error=str(err)[:300])
                     for lang in ("zh", "en")}
    finally:
        job.finished_at = datetime.now().isoformat(timespec="seconds")
        from . import bridges

        bridges._BACKUP_CACHE.clear()  # the 3-2-1 status must show the new bag now
        _save(job, force=True)


def start_job(*, case_key: str, case_id: int, sources: list[str], dests: list[str],
              data_class: str, media: str | None, offsite: bool,
              platform: str | None) -> Job:
    """Start a backup in a thread; refuses a second one for the same case while one runs."""
    with _LOCK:
        for other in _JOBS.values():
            if other.case_key == case_key and other.running:
                raise UserError("reach.backup.busy", fix_key="reach.backup.busy_fix")
        job = Job(id=secrets.token_hex(8), case_key=case_key, case_id=case_id,
                  sources=sources, dests=dests, data_class=data_class, media=media,
                  offsite=offsite, platform=platform,
                  started_at=datetime.now().isoformat(timespec="seconds"))
        _JOBS[job.id] = job
        if len(_JOBS) > 200:  # keep the finished ones of this process bounded
            for jid in [k for k, v in _JOBS.items() if not v.running][:100]:
                _JOBS.pop(jid, None)
    _save(job, force=True)
    threading.Thread(target=_run, args=(job,), name=f"xiabo-backup-{job.id}",
                     daemon=True).start()
    return job
