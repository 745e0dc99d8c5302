"""wizard drafts: a half-filled new-case wizard survives a closed tab

Revision ID: 0007_drafts
Revises: 0002

One row per owner (``local`` in single-user mode, ``user:<id>`` in agency mode) and target
(``new`` for the new-case wizard, ``case:<id>`` for editing a case): the step reached and the
answers typed so far, as JSON.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_drafts"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wizard_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner", sa.String(60), nullable=False),
        sa.Column("target", sa.String(40), nullable=False),
        sa.Column("step", sa.Integer, nullable=False, server_default="1"),
        sa.Column("values_json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("owner", "target", name="uq_wizard_drafts_owner_target"),
    )


def downgrade() -> None:
    op.drop_table("wizard_drafts")
