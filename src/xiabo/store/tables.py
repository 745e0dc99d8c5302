"""The whole schema: the core tables (``models``) and those that live in their feature's own
module (drafts, letters, opinion, jobs). Importing this registers every table on ``Base``, so that
``Base.metadata`` is the schema the migrations are checked against and every mapper resolves.
"""

from __future__ import annotations

from . import disputes, drafts, jobs, letters, models, opinion

__all__ = ["Base", "disputes", "drafts", "is_ours", "jobs", "letters", "models", "opinion"]

Base = models.Base
QUEUE_PREFIX = "procrastinate_"  # the PostgreSQL queue's own tables (migration 0013)


def is_ours(name: str | None, type_: str, _parents: dict) -> bool:
    """Whether a database object belongs to these models (Alembic's ``include_name``): the
    queue's tables are made from its own schema and are not compared with ``Base``."""
    return not (type_ == "table" and name and name.startswith(QUEUE_PREFIX))
