"""long work as jobs: the queue every web process enqueues into and every worker claims from

Revision ID: 0011_jobs
Revises: 0010_disputes

A row per job (a web backup, an opinion import …): its kind, case, state, payload, progress,
result or error, the worker running it and its heartbeat. ``uq_jobs_one_active`` (unique on
case and kind while queued or running) is what refuses a second backup of a case from another
web process; ``ix_jobs_state`` serves the workers' claim of the oldest queued job.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_jobs"
down_revision = "0010_disputes"
branch_labels = None
depends_on = None

_ACTIVE = "state IN ('queued', 'running')"


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("progress_json", sa.Text, nullable=False),
        sa.Column("result_json", sa.Text, nullable=True),
        sa.Column("error_json", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(120), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=True),
        sa.Column("heartbeat_at", sa.DateTime, nullable=True),
        sa.Column("finished_at", sa.DateTime, nullable=True),
    )
    op.create_index("uq_jobs_one_active", "jobs", ["case_id", "kind"], unique=True,
                    sqlite_where=sa.text(_ACTIVE), postgresql_where=sa.text(_ACTIVE))
    op.create_index("ix_jobs_state", "jobs", ["state", "id"])
    op.create_index("ix_jobs_case", "jobs", ["case_id", "kind", "id"])


def downgrade() -> None:
    op.drop_table("jobs")
