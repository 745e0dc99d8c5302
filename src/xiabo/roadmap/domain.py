"""The part of every input's domain that depends on today: the date window around it.

The profile model holds the static domain (shapes, lengths, upper bounds, no control
characters, no impossible dates); this module holds what needs ``today`` and the rules
(``common.input.*`` in the rule packs): a start date within a few years of today, done dates not
after today. ``check_dates`` is called by plan building (so the web, the API, the store and the
batch all get it) and by the CLI commands before any work, with the file named.

It also names fields in words a person uses (``field_labels``), for every profile error.
"""

from __future__ import annotations

from datetime import date

from ..errors import UserError

__all__ = ["check_dates", "check_today", "field_label", "field_labels", "years_from"]

# the widest calendar the planner, charts and exports are built for (the model's static bounds)
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def field_label(loc: tuple, lang: str = "zh") -> str:
    """``('money', 'diamonds')`` → 钻石数; ``('progress', 'backup', 'done')`` → 任务完成日期."""
    from ..i18n import lookup

    parts = [str(p) for p in loc if not isinstance(p, int)]
    if parts[:1] == ["progress"] and len(parts) >= 3:
        parts = ["progress", parts[-1]]
    while parts:
        text = lookup("inputs.fields." + ".".join(parts), lang)
        if text is not None:
            return text
        parts = parts[:-1]
    return ".".join(str(p) for p in loc) or "-"


def field_labels(loc: tuple) -> dict[str, str]:
    """The label in every language, as message parameters (``{label_zh}``, ``{label_en}``)."""
    return {"label_zh": field_label(loc, "zh"), "label_en": field_label(loc, "en")}


def years_from(day: date, years: int) -> date:
    """``day`` moved by whole years (29 February becomes 28 February), clamped to the calendar."""
    year = min(max(day.year + years, EARLIEST.year), LATEST.year)
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def check_today(today: date, option: str = "--today") -> None:
    """``today`` itself must be a date the calendar can plan from."""
    if not EARLIEST <= today <= LATEST:
        raise UserError("inputs.today_out_of_range", {"value": today.isoformat(),
                                                     "earliest": EARLIEST.isoformat(),
                                                     "latest": LATEST.isoformat()},
                        field=option, fix_key="inputs.fix.today")


def _window(book, today: date) -> dict[str, tuple[date, date]]:
    """The windows for ``today``, memoised on the book (rules and today fix them)."""
    memo = book.memo("input_window")
    hit = memo.get(today)
    if hit is None:
        years = {key: int(book.value(f"common.input.{key}", today))
                 for key in ("start_years_back", "start_years_ahead", "done_years_back",
                             "signed_years_back")}
        hit = {
            "start": (years_from(today, -years["start_years_back"]),
                      years_from(today, years["start_years_ahead"])),
            "done": (years_from(today, -years["done_years_back"]), today),
            "signed": (years_from(today, -years["signed_years_back"]), today),
        }
        if len(memo) > 10_000:  # a server plans for many todays: stay bounded
            memo.clear()
        memo[today] = hit
    return hit


_GUILD_FACTS = ("last_broadcast_on", "exit_started_on", "guild_answer_on", "review_started_on",
                "review_result_on", "appeal_on", "left_on")


def _dates(profile) -> list[tuple[tuple, str, date]]:
    """(location, kind of window, value) for every date in the profile."""
    out: list[tuple[tuple, str, date]] = []
    if profile.start is not None:
        out.append((("start",), "start", profile.start))
    account = profile.account
    if account.deletion_applied_on is not None:  # facts: they happened, so not after today
        out.append((("account", "deletion_applied_on"), "done", account.deletion_applied_on))
    if profile.last_live_on is not None:
        out.append((("last_live_on",), "done", profile.last_live_on))
    c = profile.contract
    if c.signed_on is not None:
        out.append((("contract", "signed_on"), "signed", c.signed_on))
    if c.notice_sent_on is not None:
        out.append((("contract", "notice_sent_on"), "done", c.notice_sent_on))
    g = profile.guild
    if g.bound:  # facts of the guild exit: they happened, so none after today
        if g.joined_on is not None:
            out.append((("guild", "joined_on"), "signed", g.joined_on))
        for name in _GUILD_FACTS:
            value = getattr(g, name)
            if value is not None:
                out.append((("guild", name), "done", value))
    for task_id, progress in (profile.progress or {}).items():
        if progress.done is not None:
            out.append((("progress", task_id, "done"), "done", progress.done))
    return out


def check_dates(profile, book, today: date, source: str | None = None) -> None:
    """Every date of ``profile`` within its window around ``today``, or a UserError naming it."""
    check_today(today)
    dated = _dates(profile)
    if not dated:
        return
    window = _window(book, today)
    for loc, kind, value in dated:
        low, high = window[kind]
        if low <= value <= high:
            continue
        field = ".".join(loc)
        fix = f"inputs.fix.window_{kind}"
        raise UserError("inputs.date_out_of_window",
                        {"field": field, **field_labels(loc), "value": value.isoformat(),
                         "earliest": low.isoformat(), "latest": high.isoformat(),
                         "today": today.isoformat()},
                        file=source or getattr(profile, "_source", None), field=field, fix_key=fix)
