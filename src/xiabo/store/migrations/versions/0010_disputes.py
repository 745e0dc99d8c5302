"""disputes: a stored case's dispute profile and the counter-party mark

Revision ID: 0010_disputes
Revises: 0009_opinion_messages

One row per case (``case_disputes``): the dispute profile as JSON and whether the agency is the
counter-party (then only the streamer and their adviser read it). The ``adviser`` role needs no
schema change (``users.role`` is free text checked by the application).
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_disputes"
down_revision = "0009_opinion_messages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_disputes",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("counterparty", sa.Boolean, nullable=False),
        sa.Column("profile_json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("case_disputes")
