"""PostgreSQL tells the relay when there is something to send: a row added to the outbox or
to the outgoing mail sends a notification (``NOTIFY bps_relay``, delivered at commit) that
wakes the relay at once (services/shared/ops/relay.py), instead of the relay asking the
database 50 times a second while idle (issue 8: the four idle relays and their queries took
about a sixth of a 2-core machine). SQLite has no notifications: its relay keeps polling.

Revision ID: platform_0005
Revises: platform_0004
Create Date: 2026-11-26

"""
from typing import Sequence, Union

from alembic import op

revision: str = 'platform_0005'
down_revision: Union[str, Sequence[str], None] = 'platform_0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHANNEL = 'bps_relay'  # services/shared/platform/database.py: RELAY_CHANNEL
TABLES = ('outbox', 'outgoing_mail')


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    # Once per statement, whatever the number of rows: the relay reads them all anyway.
    op.execute(f"""
        CREATE FUNCTION bps_relay_wakeup() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
            RETURN NULL;
        END $$""")
    for table in TABLES:
        op.execute(f"CREATE TRIGGER {table}_relay_wakeup AFTER INSERT ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION bps_relay_wakeup()")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_relay_wakeup ON {table}")
    op.execute("DROP FUNCTION bps_relay_wakeup()")
