"""opinion monitoring: the web's messages and keyword counts move into the store

Revision ID: 0009_opinion_messages
Revises: 0008_merge

Until now a web case kept its comments in a SQLite file in the case folder, so an agency on
PostgreSQL had them outside its database. ``opinion_messages`` holds them per case (content hash
unique per case: the same export twice adds nothing), ``opinion_terms`` the keyword counts per
case and day; the indexes serve the per-day and per-hour aggregates and the loudest negative
messages. Existing case folders are copied in by the web on a case's first opinion read.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_opinion_messages"
down_revision = "0008_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opinion_messages",
        sa.Column("hash", sa.LargeBinary(16), primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("ts", sa.BigInteger, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("hour", sa.SmallInteger, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("likes", sa.BigInteger, nullable=False),
        sa.Column("replies", sa.BigInteger, nullable=False),
        sa.Column("sentiment", sa.SmallInteger, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("import_id", sa.Integer,
                  sa.ForeignKey("opinion_imports.id", ondelete="SET NULL"), nullable=True),
    )
    op.create_index("ix_opinion_messages_day", "opinion_messages", ["case_id", "day", "sentiment"])
    op.create_index("ix_opinion_messages_hour", "opinion_messages",
                    ["case_id", "day", "hour", "sentiment"])
    op.create_index("ix_opinion_messages_likes", "opinion_messages",
                    ["case_id", "sentiment", "likes"])
    op.create_index("ix_opinion_messages_replies", "opinion_messages",
                    ["case_id", "sentiment", "replies"])
    op.create_index("ix_opinion_messages_import_id", "opinion_messages", ["import_id"])
    op.create_table(
        "opinion_terms",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("neg", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("opinion_terms")
    for name in ("import_id", "replies", "likes", "hour", "day"):
        op.drop_index(f"ix_opinion_messages_{name}", table_name="opinion_messages")
    op.drop_table("opinion_messages")
