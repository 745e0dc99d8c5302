"""The whole schema: the core tables (``models``) and those that live in their feature's own
module (drafts, letters, opinion, jobs). Importing this registers every table on ``Base``, so that
``Base.metadata`` is the schema the migrations are checked against and every mapper resolves.
"""

from __future__ import annotations

from . import disputes, drafts, jobs, letters, models, opinion

__all__ = ["Base", "disputes", "drafts", "jobs", "letters", "models", "opinion"]

Base = models.Base
