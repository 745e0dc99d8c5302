"""Small builders shared by the spine's tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

TODAY = date(2026, 11, 25)


@dataclass
class PlanTask:
    """A plan task as the web's drawings and lists read it (no planner needed)."""

    id: str
    title: str
    start: date
    due: date
    done: date | None = None
    critical: bool = False
    milestone: str | None = None
    status: str = "upcoming"
    overdue_days: int = 0
    behind_days: int = 0
    risk_days: int = 0
    slack_days: int = 0
    planned_due: date | None = None
    deadline: date | None = None
    deadline_label: str | None = None


def make_xlsx(path, sheets: dict[str, list[list]]):
    """Write an .xlsx with one sheet per entry of ``sheets`` (rows as lists); return ``path``."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def base_profile(**over) -> dict:
    data = {
        "name": "测试直播间",
        "platform": "kuaishou",
        "start": "2026-12-01",
        "followers": 1000,
        "account": {"status": "normal", "pending_violations": 0, "bindings": ["wechat", "alipay"]},
        "money": {"balance_cny": "1000", "diamonds": 10, "pending_gift_orders": 1},
        "shop": {"open_orders": 2},
        "contract": {"signed": True, "agency": "某传媒", "kind": "cooperation", "notice_days": 30,
                     "non_compete_months": 12, "penalty_cny": "1000"},
        "equipment": [{"name": "iPhone", "type": "phone", "os": "ios", "disposal": "sell"},
                      {"name": "红米", "type": "phone", "os": "android", "disposal": "donate"},
                      {"name": "灯", "type": "light", "disposal": "keep"}],
        "channels": ["weibo"],
        "comeback": {"plan": "other_platform"},
    }
    for key, value in over.items():
        data[key] = value
    return data


def make_plan(lang: str = "zh", today: date = TODAY, rules=None, **over):
    import xiabo

    return xiabo.plan(base_profile(**over), today=today, lang=lang, rules=rules)


def legal_period_end(event: date, days: int) -> date:
    """A period's last day from ``chinese_calendar`` directly, independent of xiabo's calendar.

    民法典 Art. 201: the event day is not counted; Art. 203: a last day that is a rest day
    moves to the next working day.
    """
    import chinese_calendar

    last = event + timedelta(days=days)
    while not chinese_calendar.is_workday(last):
        last += timedelta(days=1)
    return last


def in_own_thread(fn):
    """``fn()`` in a thread of its own, its result or its exception: a browser test earlier in
    the session can leave an event loop marked running in the main thread, so ``asyncio.run``
    there would be refused (and ``xiabo worker`` runs in a process of its own anyway)."""
    import threading

    out: list = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if failure:
        raise failure[0]
    assert out, "did not finish"
    return out[0]
