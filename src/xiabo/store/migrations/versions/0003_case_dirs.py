"""per-case folders named by the case id (cases-by-id/<id>), moved from cases/<key>

Revision ID: 0003_case_dirs
Revises: 0002

No table changes: the folders move (xiabo.store.case_dirs). Each folder moves with one atomic
rename, so running the upgrade again after an interruption finishes the job.
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_case_dirs"
down_revision = "0002"
branch_labels = None
depends_on = None


def _rows() -> list[tuple[int, str]]:
    return [(int(i), str(k)) for i, k in op.get_bind().execute(
        sa.text("SELECT id, key FROM cases"))]


def upgrade() -> None:
    from xiabo.store.case_dirs import move_case_dirs

    if op.get_context().as_sql:  # offline SQL script: no folders to move
        return
    move_case_dirs(_rows())


def downgrade() -> None:
    from xiabo.store.case_dirs import move_back

    if op.get_context().as_sql:
        return
    move_back(_rows())
