"""The fixed labels written into each language's templates when they load (``web.context``):
every page comes out byte for byte as the templates render it with the labels looked up on
each view, in Chinese and in English."""

from __future__ import annotations

import pytest
from tests.helpers import base_profile

from xiabo.cases import stored
from xiabo.store import cases as repo


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_are_the_same_with_the_labels_written_in(web, lang, monkeypatch):
    from xiabo.web import context

    profile = base_profile(name="标签")
    profile["shop"] = {"open_orders": 2}
    case = stored.create_case(web.db, profile, today=web.today, actor=repo.Actor())
    pages = ["/cases", f"/cases/{case.id}", f"/cases/{case.id}?show=timeline",
             f"/cases/{case.id}?show=money", f"/cases/{case.id}?show=rules",
             f"/cases/{case.id}/letters", f"/cases/{case.id}/orders", f"/cases/{case.id}/edit",
             f"/cases/{case.id}/privacy", f"/cases/{case.id}/backup", "/rules", "/cases/new"]
    web.client.get(f"/cases?lang={lang}")  # the language cookie
    written = {p: web.client.get(p).text for p in pages}
    with monkeypatch.context() as m:
        m.setattr(context, "_lang_env", lambda _lang: context._env())
        looked_up = {p: web.client.get(p).text for p in pages}
    for p in pages:
        assert len(written[p]) > 1000, p
        assert written[p] == looked_up[p], p
    html_lang = 'lang="zh-CN"' if lang == "zh" else 'lang="en"'
    assert all(html_lang in page for page in written.values())  # in the language asked for
