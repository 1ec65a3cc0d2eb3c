"""applications: the latest administrative decision of each application

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import services.shared.platform.database


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('applications',
    sa.Column('application_id', sa.String(length=36), nullable=False),
    sa.Column('activity_id', sa.String(length=36), nullable=False),
    sa.Column('satker_code', sa.String(length=4), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('registration_number', sa.String(length=30), nullable=False),
    sa.Column('administrative_status', sa.String(length=30), nullable=False),
    sa.Column('decided_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_applications'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('applications')


