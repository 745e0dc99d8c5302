"""case documents in their own table; first_open_due; indexes for a fast dashboard

Revision ID: 0002
Revises: 0001

The profile, plan and baseline JSON move from ``cases`` to ``case_docs`` so that the dashboard's
scans and counts over ``cases`` read narrow rows. ``cases.first_open_due`` (earliest due date
of an open task) makes "has overdue tasks" an indexed comparison.
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_docs",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("profile_json", sa.Text, nullable=False),
        sa.Column("plan_json", sa.Text, nullable=False),
        sa.Column("baseline_json", sa.Text, nullable=False),
    )
    op.execute("INSERT INTO case_docs (case_id, profile_json, plan_json, baseline_json) "
               "SELECT id, profile_json, plan_json, baseline_json FROM cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("profile_json")
        batch.drop_column("plan_json")
        batch.drop_column("baseline_json")
        batch.add_column(sa.Column("first_open_due", sa.Date, nullable=True))
        batch.create_index("ix_cases_first_open_due", ["first_open_due"])
        batch.create_index("ix_cases_updated_at", ["updated_at"])
    op.execute("UPDATE cases SET first_open_due = (SELECT min(t.due) FROM case_tasks t "
               "WHERE t.case_id = cases.id AND t.done IS NULL)")
    op.create_index("ix_case_tasks_open_due", "case_tasks", ["due", "case_id"],
                    sqlite_where=sa.text("done IS NULL"), postgresql_where=sa.text("done IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_case_tasks_open_due", table_name="case_tasks")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_first_open_due")
        batch.drop_index("ix_cases_updated_at")
        batch.drop_column("first_open_due")
        batch.add_column(sa.Column("profile_json", sa.Text, nullable=False, server_default="{}"))
        batch.add_column(sa.Column("plan_json", sa.Text, nullable=False, server_default="{}"))
        batch.add_column(sa.Column("baseline_json", sa.Text, nullable=False,
                                   server_default="{}"))
    op.execute("UPDATE cases SET profile_json = d.profile_json, plan_json = d.plan_json, "
               "baseline_json = d.baseline_json FROM case_docs d WHERE d.case_id = cases.id")
    op.drop_table("case_docs")
