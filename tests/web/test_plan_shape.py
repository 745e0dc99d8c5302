"""The Plan's shape is written once (``docs/plan-schema.json``): the API's task model and what
``Task.to_dict`` writes are checked against it, so a field added in one place and not the others
fails here."""

from __future__ import annotations

import json
import typing
from pathlib import Path

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "plan-schema.json")
                    .read_text(encoding="utf-8"))
TASK = SCHEMA["properties"]["tasks"]["items"]


def test_the_apis_task_model_is_the_schemas_task():
    from xiabo.web.cases.api import TaskOut

    fields = TaskOut.model_fields
    assert set(fields) == set(TASK["properties"])
    required = {name for name, f in fields.items() if f.is_required()}
    assert required == set(TASK["required"])
    status = typing.get_args(fields["status"].annotation)
    assert set(status) == set(TASK["properties"]["status"]["enum"])


def test_a_plans_tasks_write_only_what_the_schema_names(tmp_path):
    from datetime import date

    from tests.helpers import base_profile

    import xiabo

    plan = xiabo.plan(base_profile(), today=date(2026, 12, 20))
    written = set().union(*(t.to_dict().keys() for t in plan.tasks))
    assert written <= set(TASK["properties"])
    assert set(TASK["required"]) <= written
    assert set(plan.to_dict()) <= set(SCHEMA["properties"])
