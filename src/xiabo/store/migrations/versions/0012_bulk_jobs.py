"""bulk jobs: work over many cases (an import, follow-ups, kits) is a job without a case

Revision ID: 0012_bulk_jobs
Revises: 0011_jobs

``jobs.case_id`` may be empty: a bulk job belongs to the user who started it (``owner_id``; empty
for the single local user), who with the admins is the only one to see it. ``uq_jobs_one_bulk``
keeps one queued-or-running bulk job per kind and owner (``uq_jobs_one_active`` cannot: an
empty case id never collides in a unique index); the owner is ``coalesce(owner_id, 0)`` so
that the local user's jobs collide too.

Why per owner and not one per agency: two operators importing their own lists must not wait
for each other, while one operator's double click must not start two imports.

On SQLite the table is copied (batch mode); its partial indexes are dropped first and made
again after, because a copied table does not keep their conditions.
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_bulk_jobs"
down_revision = "0011_jobs"
branch_labels = None
depends_on = None

_ACTIVE = "state IN ('queued', 'running')"
_BULK = "case_id IS NULL AND state IN ('queued', 'running')"


def _case_indexes() -> None:
    op.create_index("uq_jobs_one_active", "jobs", ["case_id", "kind"], unique=True,
                    sqlite_where=sa.text(_ACTIVE), postgresql_where=sa.text(_ACTIVE))
    op.create_index("ix_jobs_state", "jobs", ["state", "id"])
    op.create_index("ix_jobs_case", "jobs", ["case_id", "kind", "id"])


def _drop_case_indexes() -> None:
    for name in ("uq_jobs_one_active", "ix_jobs_state", "ix_jobs_case"):
        op.drop_index(name, table_name="jobs")


def upgrade() -> None:
    _drop_case_indexes()
    with op.batch_alter_table("jobs") as batch:
        batch.alter_column("case_id", existing_type=sa.Integer, nullable=True)
        batch.add_column(sa.Column("owner_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_jobs_owner_id_users", "users", ["owner_id"], ["id"],
                                 ondelete="SET NULL")
    _case_indexes()
    op.create_index("uq_jobs_one_bulk", "jobs", ["kind", sa.text("coalesce(owner_id, 0)")],
                    unique=True, sqlite_where=sa.text(_BULK), postgresql_where=sa.text(_BULK))
    op.create_index("ix_jobs_owner", "jobs", ["owner_id", "kind", "id"])


def downgrade() -> None:
    op.execute("DELETE FROM jobs WHERE case_id IS NULL")
    op.drop_index("ix_jobs_owner", table_name="jobs")
    op.drop_index("uq_jobs_one_bulk", table_name="jobs")
    _drop_case_indexes()
    with op.batch_alter_table("jobs") as batch:
        batch.drop_constraint("fk_jobs_owner_id_users", type_="foreignkey")
        batch.drop_column("owner_id")
        batch.alter_column("case_id", existing_type=sa.Integer, nullable=False)
    _case_indexes()
