"""letters with clocks: one row per letter of a case, and its documents

Revision ID: 0004_letters
Revises: 0002

``letters`` keeps the letter's record (xiabo.letter/1 JSON) with the columns the dashboard
filters on (state, due date); ``letter_docs`` keeps the drafts, follow-ups, escalation drafts
and replies as bytes.
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_letters"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("letter_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("sent_on", sa.Date, nullable=True),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("record_json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("case_id", "letter_id", name="uq_letters_case_letter"),
    )
    op.create_index("ix_letters_open_due", "letters", ["state", "due"])
    op.create_table(
        "letter_docs",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("letter_id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("letter_docs")
    op.drop_index("ix_letters_open_due", table_name="letters")
    op.drop_table("letters")
