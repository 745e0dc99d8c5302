"""Letters in the web: the case page section, drafting, one tap to mark sent with a tracking
number, follow-up, escalation, the dashboard's overdue column and bulk follow-ups."""

from __future__ import annotations

import re
from datetime import date

from tests.helpers import base_profile

from xiabo.cases import stored
from xiabo.store import cases as repo

LOCAL = repo.Actor()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_letter_life_in_the_web(web, home):
    case = stored.create_case(web.db, base_profile(name="网页信函"), today=web.today, actor=LOCAL)
    page = web.client.get(f"/cases/{case.id}?show=documents")
    assert page.status_code == 200 and 'id="letters"' in page.text
    token = _csrf(page.text)
    new = web.client.get(f"/cases/{case.id}/letters/new")
    assert new.status_code == 200 and "个人信息复制申请" in new.text and "未知" not in new.text
    assert "还不知道" in new.text and "如何联系我们" in new.text  # what is unknown, where to look
    r = web.client.post(f"/cases/{case.id}/letters", data={"csrf": token, "kind": "pi-copy"})
    assert r.status_code == 303
    url = r.headers["location"]
    assert url.endswith("/letters/pi-copy-1")
    show = web.client.get(url)
    assert show.status_code == 200 and "【待填写：平台账号 ID】" in show.text
    # the blanks are filled on the page; the files are made again
    assert f'action="/cases/{case.id}/letters/pi-copy-1/fill"' in show.text
    labels = re.findall(r'<label>([^<]+)\s*<input name="blank-(\d+)"', show.text)
    number = next(n for label, n in labels if label.strip() == "平台账号 ID")
    r = web.client.post(url + "/fill", data={"csrf": token, f"blank-{number}": "ks_778899"})
    assert r.status_code == 303
    show = web.client.get(r.headers["location"])
    assert "已填进信里" in show.text and 'name="blank-' in show.text
    assert "平台账号 ID" not in show.text.split('class="fill"')[1].split("</form>")[0]
    md = web.client.get(url + "/files/letter.md")  # the letter's file, as downloaded
    assert md.status_code == 200
    assert "ks_778899" in md.text and "【待填写：平台账号 ID】" not in md.text

    # one tap from the case page: mark sent with a tracking number
    page = web.client.get(f"/cases/{case.id}?show=documents")
    assert "pi-copy-1/sent" in page.text
    r = web.client.post(url + "/sent", data={"csrf": token, "via": "post",
                                             "tracking": "EMS5566778899"})
    assert r.status_code == 303
    show = web.client.get(url)
    assert "EMS5566778899" in show.text and "2026-12-25" in show.text  # 11-25 + 30 days

    # a date after today is refused, nothing changes
    bad = web.client.post(url + "/reply", data={"csrf": token, "on": "2026-11-26"})
    assert bad.status_code == 422

    # overdue by today: the case page offers the follow-up; the dashboard counts the letter
    web.today = date(2027, 1, 5)
    page = web.client.get(f"/cases/{case.id}?show=documents")
    assert "pi-copy-1/followup" in page.text and "逾期" in page.text
    dash = web.client.get("/cases")
    assert dash.status_code == 200 and 'name="case"' in dash.text
    r = web.client.post("/letters/followups", data={"csrf": token, "case": [str(case.id)]})
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    job = web.after_jobs(r)  # queued as a job; its page counts and leads back to the dashboard
    assert "起草了 1 封催办函" in job.text and 'href="/cases?letters_drafted=1"' in job.text
    show = web.client.get(url)
    assert "followup-1.md" in show.text
    doc = web.client.get(url + "/files/followup-1.md")
    assert doc.status_code == 200 and "EMS5566778899" in doc.text

    r = web.client.post(url + "/escalate", data={"csrf": token, "to": "12377"})
    assert r.status_code == 303
    doc = web.client.get(url + "/files/escalation-12377.md")
    assert "12377" in doc.text and "EMS5566778899" in doc.text
    assert web.client.get(url + "/files/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)

    # every step is in the case's evidence log, which verifies
    from xiabo.evidence import default_dir
    from xiabo.evidence.verify import verify_log

    store = repo.get_case(web.db, case.id)
    folder = default_dir(store.folder)
    assert verify_log(folder).ok
    from xiabo.evidence import counts_by_task

    assert counts_by_task(folder)["letter-pi-copy-1"] >= 6


def test_termination_sent_in_the_web_sets_the_notice_date(web, home):
    case = stored.create_case(web.db, base_profile(name="解约网页"), today=web.today, actor=LOCAL)
    token = _csrf(web.client.get(f"/cases/{case.id}").text)
    r = web.client.post(f"/cases/{case.id}/letters", data={"csrf": token,
                                                           "kind": "termination"})
    url = r.headers["location"]
    early = web.client.post(url + "/sent", data={"csrf": token, "on": "2026-11-24", "via": "email"})
    assert early.status_code == 422 and "早于这封信起草的日期" in early.text  # refused in words
    web.client.post(url + "/sent", data={"csrf": token, "on": web.today.isoformat(),
                                         "via": "email"})
    import json

    profile = json.loads(repo.get_case(web.db, case.id).profile_json)
    assert profile["contract"]["notice_sent_on"] == web.today.isoformat()


def test_forms_need_the_token(web, home):
    case = stored.create_case(web.db, base_profile(name="令牌"), today=web.today, actor=LOCAL)
    web.client.get(f"/cases/{case.id}")
    r = web.client.post(f"/cases/{case.id}/letters", data={"csrf": "x", "kind": "pi-copy"})
    assert r.status_code in (400, 403)
