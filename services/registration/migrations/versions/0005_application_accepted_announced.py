"""applications.accepted_announced_at: finally accepted and announced (results_announced)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 20:34:07.297790

Announcements made before this revision are marked when registration consumes them: their
results_announced events wait in its queue (evt-selection-results_announced--registration.*).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from services.shared.platform.database import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_announced_at', UtcDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('accepted_announced_at')
