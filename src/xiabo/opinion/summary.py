"""The report as plain sentences for the terminal (and the web page's short summary).

Why lines and not a table library: the summary is read by a streamer's assistant on a laptop
or phone terminal; a few aligned columns and short sentences are enough, and cheap.
"""

from __future__ import annotations

from ..i18n import t
from .report import Report

__all__ = ["hour_verdict_lines", "render_text", "terms_line", "verdict_lines"]

_MAX_HOUR_STANDOUTS = 5  # a list, not a table: the hourly chart shows the rest


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def terms_line(terms, lang: str) -> str:
    if not terms:
        return t("opinion.report.none", lang)
    return t("opinion.report.sep", lang).join(f"{k.term}({k.count})" for k in terms)


def _messages(report: Report, key: str, messages, lang: str) -> list[str]:
    if not messages:
        return []
    lines = [t(f"opinion.report.{key}", lang)]
    for m in messages:
        text = m.text if len(m.text) <= 80 else m.text[:79] + "…"
        lines.append(t("opinion.report.message", lang, date=m.day.isoformat(),
                       source=t(f"opinion.sources.{m.source}", lang), author=m.author or "-",
                       text=text, likes=f"{m.likes:,}", replies=f"{m.replies:,}"))
    return lines


def _hours(report: Report, lang: str) -> list[str]:
    if not report.hours or report.last_live is None:
        return []
    lines = [t("opinion.report.hours_heading", lang, date=report.last_live.isoformat())]
    peak = max(report.hours, key=lambda h: (h.volume, -h.day.toordinal(), -(h.hour or 0)))
    if peak.volume:
        lines.append(t("opinion.report.peak_hour", lang, date=peak.day.isoformat(),
                       hour=peak.hour, volume=f"{peak.volume:,}", negative=f"{peak.negative:,}"))
    lines.extend(hour_verdict_lines(report, lang))
    return lines


def hour_verdict_lines(report: Report, lang: str) -> list[str]:
    """The hourly view's verdict: spike hours, or why it cannot judge, and the loud hours."""
    if not report.hours:
        return []
    lines: list[str] = []
    spiky = [h for h in report.hours if h.spike]
    verdict, why = report.hour_judgement
    params = report.rules.hourly_spike
    if verdict == "spikes":
        hours = t("opinion.report.sep", lang).join(
            t("opinion.report.hour", lang, date=h.day.isoformat(), hour=h.hour) for h in spiky[:12])
        lines.append(t("opinion.report.spike_hours", lang, hours=hours))
    elif verdict == "cannot_judge":
        lines.append(t(f"opinion.report.hours_cannot_{why}", lang, history=params.min_history,
                       max=max(h.negative for h in report.hours), min=f"{params.min_value:g}"))
    else:
        lines.append(t("opinion.report.no_spike_hours", lang))
    for h in report.hour_standouts[:_MAX_HOUR_STANDOUTS]:
        why_key = "why_history_hours" if h.status == "no_history" else "why_few"
        lines.append(t("opinion.report.hour_stands_out", lang,
                       hour=t("opinion.report.hour", lang, date=h.day.isoformat(), hour=h.hour),
                       negative=f"{h.negative:,}", volume=f"{h.volume:,}",
                       why=t(f"opinion.report.{why_key}", lang, history=params.min_history,
                             min=f"{params.min_value:g}")))
    return lines


def _coverage(report: Report, lang: str) -> list[str]:
    cov = report.coverage
    if cov is None:
        return []
    if cov.complete:
        return [t("opinion.report.coverage_ok", lang, last_live=cov.last_live.isoformat(),
                  until=cov.until.isoformat())]
    days = t("opinion.report.sep", lang).join(d.isoformat() for d in cov.missing[:7])
    if len(cov.missing) > 7:
        days += "…"
    return [t("opinion.report.coverage_missing", lang, last_live=cov.last_live.isoformat(),
              until=cov.until.isoformat(), count=len(cov.missing), days=days)]


def verdict_lines(report: Report, lang: str) -> list[str]:
    """Spikes with their size and the messages behind them; or why no verdict is possible."""
    sep = t("opinion.report.sep", lang)
    rules = report.rules
    lines: list[str] = []
    if report.verdict == "spikes":
        lines.append(t("opinion.report.spikes", lang,
                       days=sep.join(d.day.isoformat() for d in report.spikes)))
        for detail in report.spike_details:
            d = detail.day
            lines.append(t("opinion.report.spike_size", lang, date=d.day.isoformat(),
                           negative=f"{d.negative:,}", volume=f"{d.volume:,}",
                           baseline=f"{d.point.baseline:,.0f}",
                           ratio=f"{detail.ratio:.1f}" if detail.ratio else "-"))
            for m in detail.messages:
                text = m.text if len(m.text) <= 60 else m.text[:59] + "…"
                lines.append(t("opinion.report.behind", lang, text=text, likes=f"{m.likes:,}"))
    elif report.verdict == "cannot_judge":
        lines.append(t("opinion.report.cannot_judge", lang, have=report.data_days,
                       need=rules.spike.min_history + 1, history=rules.spike.min_history))
    else:
        lines.append(t("opinion.report.no_spikes", lang))
        if report.unjudged:
            lines.append(t("opinion.report.unjudged", lang, count=len(report.unjudged),
                           history=rules.spike.min_history))
    for d in report.standouts:
        why = (t("opinion.report.why_history", lang, history=rules.spike.min_history)
               if d.status == "no_history"
               else t("opinion.report.why_few", lang, min=f"{rules.spike.min_value:g}"))
        lines.append(t("opinion.report.stands_out", lang, date=d.day.isoformat(),
                       negative=f"{d.negative:,}", volume=f"{d.volume:,}", why=why))
    return lines


def render_text(report: Report, lang: str = "zh") -> str:
    """The daily summary: shares, one line per day (spikes marked), keywords, loudest complaints."""
    if not report.total:
        return t("opinion.report.empty", lang)
    lines = [t("opinion.report.heading", lang, since=report.since.isoformat(),
               until=report.until.isoformat(), total=f"{report.total:,}"),
             t("opinion.report.share", lang, negative=_pct(report.share("negative")),
               neutral=_pct(report.share("neutral")), positive=_pct(report.share("positive"))),
             "", t("opinion.report.table_head", lang)]
    for d in report.days:
        row = (f"{d.day.isoformat()}  {d.volume:>6,}  {d.negative:>6,}  {d.neutral:>6,}"
               f"  {d.positive:>6,}")
        if d.volume:
            row += f"  {_pct(d.share('negative')):>4} ±{d.margin * 100:.0f}"
        if d.volume and report.thin(d):
            row += t("opinion.report.thin_mark", lang)
        if d.spike and d.point and d.point.baseline is not None:
            row += t("opinion.report.spike_mark", lang, baseline=f"{d.point.baseline:,.0f}")
        elif d.stands_out:
            row += t("opinion.report.stands_out_mark", lang)
        lines.append(row)
    lines.append(t("opinion.report.confidence", lang, min=report.rules.day_min_messages))
    lines.append("")
    lines.extend(verdict_lines(report, lang))
    lines.append(t("opinion.report.keywords", lang, terms=terms_line(report.keywords, lang)))
    lines.append(t("opinion.report.negative_keywords", lang,
                   terms=terms_line(report.negative_keywords, lang)))
    if report.new_phrases:
        lines.append(t("opinion.report.new_phrases", lang,
                       terms=terms_line(report.new_phrases, lang)))
    for block in (_hours(report, lang), _coverage(report, lang),
                  _messages(report, "most_liked", report.most_liked, lang),
                  _messages(report, "most_replied", report.most_replied, lang)):
        if block:
            lines.append("")
            lines.extend(block)
    return "\n".join(lines)
