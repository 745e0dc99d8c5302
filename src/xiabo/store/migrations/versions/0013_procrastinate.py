"""procrastinate: the queue that delivers jobs on PostgreSQL

Revision ID: 0013_procrastinate
Revises: 0012_bulk_jobs

On PostgreSQL, jobs reach workers through procrastinate (``xiabo.jobs.pgqueue``); its tables,
types and functions (all named ``procrastinate_…``) are made here from the installed
procrastinate's own schema, so ``xiabo db upgrade`` is the one step an agency runs. The
``jobs`` table stays the record of progress and results. SQLite has nothing to add: its worker
reads the ``jobs`` table directly.

A later procrastinate release that changes its schema ships SQL migrations of its own
(``procrastinate/sql/migrations``); applying them is then a migration here, which is why
``pyproject.toml`` keeps procrastinate below its next major version.

The downgrade drops every ``procrastinate_…`` object, waiting deliveries with them (the rows
of ``jobs`` stay; ``xiabo worker`` on an older release reads them directly).
"""
from alembic import op

revision = "0013_procrastinate"
down_revision = "0012_bulk_jobs"
branch_labels = None
depends_on = None

_DROP = """
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers CASCADE;
DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE 'DROP FUNCTION IF EXISTS ' || f.signature || ' CASCADE';
    END LOOP;
END $$;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_status,
    procrastinate_job_event_type CASCADE;
"""


def _run_script(sql: str) -> None:
    """A multi-statement script on the migration's own connection (inside its transaction),
    through the driver directly: psycopg takes several statements when given no parameters."""
    cursor = op.get_bind().connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _run_script(_DROP)
