"""The calendar reaches a CalDAV server: roadmap.ics PUT into a Radicale started on loopback and
read back with the caldav client; every task is an event there, with its steps."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from xiabo import export
from xiabo.export.ical import task_uid
from xiabo.paths import case_slug


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def radicale(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--auth-type", "none", "--rights-type", "owner_only",
         "--storage-filesystem-folder", str(tmp_path / "collections")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("Radicale did not start")
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_every_task_is_an_event_on_the_server(radicale, ks_plan):
    import caldav
    from icalendar import Calendar

    client = caldav.DAVClient(url=radicale, username="streamer", password="x")
    principal = client.principal()
    cal = principal.make_calendar(name="xiabo")
    data = Calendar.from_ical(export.ics(ks_plan))
    for event in data.walk("VEVENT"):  # one object per resource, as a phone's sync would
        wrapper = Calendar()
        for key in ("version", "prodid"):
            wrapper.add(key, data[key])
        wrapper.add_component(event)
        cal.save_event(wrapper.to_ical().decode("utf-8"))
    back = {}
    for item in cal.events():
        comp = Calendar.from_ical(item.data)
        for ev in comp.walk("VEVENT"):
            back[str(ev["uid"])] = ev
    case = case_slug(ks_plan.name)
    assert len(back) == len(list(data.walk("VEVENT")))
    for task in ks_plan.tasks:
        ev = back[task_uid(case, task.id)]
        assert str(ev["summary"]).endswith(task.title)
        assert ev.decoded("dtstart") == task.start
        text = str(ev["description"])
        assert all(step[:10] in text for step in task.steps)
    # a date search finds the tasks that run in that window, as a phone's month view asks
    from datetime import datetime

    found = cal.search(start=datetime(2027, 1, 15), end=datetime(2027, 1, 16), event=True, expand=False)
    titles = {str(Calendar.from_ical(f.data).walk("VEVENT")[0]["summary"]) for f in found}
    assert any("最后一场告别直播" in title for title in titles)
