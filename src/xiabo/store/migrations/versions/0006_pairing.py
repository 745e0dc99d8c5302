"""phone pairing: one-time pairing links and the sessions of paired phones

Revision ID: 0006_pairing
Revises: 0002

A pairing link is shown as a QR code on the computer; the phone that opens it gets a session
limited to one case. Only SHA-256 digests of link and session tokens are stored.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_pairing"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pairing_links",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_pairing_links_case_id", "pairing_links", ["case_id"])
    op.create_table(
        "phone_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_phone_sessions_case_id", "phone_sessions", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_phone_sessions_case_id", table_name="phone_sessions")
    op.drop_table("phone_sessions")
    op.drop_index("ix_pairing_links_case_id", table_name="pairing_links")
    op.drop_table("pairing_links")
