"""Batch import of streamers from .xlsx/.csv: one row → one profile → one case.

Headers are question ids (``name``, ``platform``, ``contract.agency`` …) or the question texts
in Chinese or English. Bad rows are reported by row number with the field and the fix; good
rows are created. The file is checked before it is parsed (size, zip expansion, row count).
The reading and creating live in ``xiabo.cases.importing`` (the ``cases-import`` job runs
them); here is the template to fill in.
"""

from __future__ import annotations

import csv
import io

from ...cases.importing import (  # noqa: F401 - the import's names where the web used them
    ImportReport,
    RowResult,
    read_table,
)
from ...i18n import t

__all__ = ["ImportReport", "RowResult", "read_table", "template_csv"]


def template_csv(lang: str) -> bytes:
    """A CSV with every question id as a header and one example row."""
    from ...interview.questions import load_questions

    ids = [q.id for q in load_questions() if not q.id.startswith("_")]
    example = {"name": t("web.import.example_name", lang), "platform": "kuaishou",
               "start": "", "followers": "1200000", "delete_account": "true",
               "contract.signed": "true", "contract.agency": t("web.import.example_agency", lang),
               "money.balance_cny": "12000", "account.bindings": "wechat, alipay",
               "equipment": "iPhone 15; 补光灯" if lang == "zh" else "iPhone 15; ring light"}
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(ids)
    writer.writerow([example.get(i, "") for i in ids])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
