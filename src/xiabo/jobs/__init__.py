"""Long work as durable jobs: a web request enqueues a row of the ``jobs`` table and reads its
progress; workers claim rows, run the registered function, heartbeat, and hand on the jobs of
workers that died. Same table and functions on both engines. On SQLite a thread of ``xiabo
serve`` finds queued rows in the table (``worker``); on PostgreSQL procrastinate delivers them to
``xiabo worker`` processes on any machine that reaches the database (``pgqueue``).
"""

from __future__ import annotations

from .queue import JobBusy, enqueue_job, job_view, retry_job
from .registry import KINDS, JobContext, JobLost, kind
from .worker import Worker

__all__ = ["KINDS", "JobBusy", "JobContext", "JobLost", "Worker", "enqueue_job", "job_view",
           "kind", "retry_job"]
