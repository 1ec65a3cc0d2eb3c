"""answer_log: TRUNCATE refused too (the row trigger of 0003 covers UPDATE and DELETE only)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:40:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE TRIGGER answer_log_no_truncate
                BEFORE TRUNCATE ON answer_log
                FOR EACH STATEMENT EXECUTE FUNCTION answer_log_append_only();
        """)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER answer_log_no_truncate ON answer_log;")
