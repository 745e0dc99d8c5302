"""opinion monitoring: the imports of comment exports per case

Revision ID: 0005_opinion
Revises: 0002

The messages live in the case folder's opinion store (SQLite, as beside a profile for the CLI);
``opinion_imports`` lists which export was imported into which case, when, and what it added.
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_opinion"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opinion_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_opinion_imports_case_id", "opinion_imports", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_opinion_imports_case_id", table_name="opinion_imports")
    op.drop_table("opinion_imports")
