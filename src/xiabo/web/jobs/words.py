"""A bulk job in words (for its page and ``GET /api/jobs/{id}``): where it is ("n of N
cases"), the cases that failed by the streamer's name, the kits' zip while it is kept."""

from __future__ import annotations

from ...i18n import t

__all__ = ["KINDS", "bulk_api", "bulk_words", "failures", "n", "output"]

# what each kind is called, counts, and where its page leads back to
KINDS = {
    "cases-import": {"title": "jobs.bulk.titles.cases_import", "unit": "rows",
                     "back": ("/cases/import", "jobs.bulk.back_import")},
    "letters-followup": {"title": "jobs.bulk.titles.letters_followup", "unit": "cases",
                         "back": ("/cases", "jobs.bulk.back_dashboard")},
    "exports-kit": {"title": "jobs.bulk.titles.exports_kit", "unit": "cases",
                    "back": ("/cases", "jobs.bulk.back_dashboard")},
}



def n(value) -> str:
    """A count as the pages print it (thousands separated; "-" when unknown)."""
    return f"{value:,}" if isinstance(value, int) else "-"


def bulk_words(view: dict, lang: str) -> str:
    """Where a bulk job is, in words: "n of N cases" while it runs, its outcome when done."""
    spec = KINDS.get(view["kind"], {"unit": "cases"})
    g, result, state = view["progress"], view["result"] or {}, view["state"]
    if state == "queued":
        return t("jobs.bulk.queued", lang)
    if state == "running":
        if not g.get("total"):
            return t("jobs.bulk.starting", lang)
        return t(f"jobs.bulk.progress_{spec['unit']}", lang, n=n(g.get("done", 0)),
                 total=n(g.get("total")))
    if state == "done":
        if view["kind"] == "cases-import":
            return t("jobs.bulk.done.cases_import", lang, created=n(result.get("created", 0)),
                     failed=n(result.get("failed", 0)))
        if view["kind"] == "letters-followup":
            return t("jobs.bulk.done.letters_followup", lang, n=n(result.get("drafted", 0)),
                     cases=n(result.get("cases", 0)))
        if view["kind"] == "exports-kit":
            return t("jobs.bulk.done.exports_kit", lang, made=n(result.get("made", 0)),
                     cases=n(result.get("cases", 0)))
    return t(f"jobs.states.{state}", lang)


def failures(view: dict, lang: str) -> list[dict]:
    """The cases that failed: the streamer's name (or words for a case not to be named) and
    the reason, in ``lang``."""
    return [{"name": f.get("name") or t("jobs.bulk.unnamed", lang),
             "error": (f.get("error") or {}).get(lang, "")}
            for f in view["progress"].get("failures") or []]


def output(view: dict) -> dict | None:
    """The kits' zip while it is kept: its link, size and when it goes (None: gone, or not a
    job with a file)."""
    from ...jobs.files import job_folder, output_kept_until
    from ...jobs.kits import ZIP_NAME

    if view["kind"] != "exports-kit" or view["state"] != "done":
        return None
    path = job_folder(view["id"]) / ZIP_NAME
    if not path.is_file():
        return {"gone": True}
    from datetime import datetime

    until = output_kept_until(datetime.fromisoformat(view["finished_at"].rstrip("Z")))
    return {"gone": False, "url": f"/jobs/{view['id']}/{ZIP_NAME}", "bytes": path.stat().st_size,
            "until": until.isoformat(sep=" ", timespec="minutes") + " UTC"}


def bulk_api(view: dict, lang: str) -> None:
    """``GET /api/jobs/{id}`` of a bulk job: failures in words, the zip's link, no ids of
    cases the caller may not see."""
    view["failures"] = failures(view, lang)
    view["progress"].pop("failures", None)
    kept = output(view)
    if kept is not None:
        view["download"] = None if kept["gone"] else kept["url"]
    if view["result"]:
        view["result"].pop("file", None)
