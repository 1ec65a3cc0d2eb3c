"""test results: the competency test's outcome and the final status of each application

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import services.shared.platform.database


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Every application held before this revision is still pending in final selection.
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('test_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('test_score', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('test_answered', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('test_attempt_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('test_closed_by', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('test_completed_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('final_status', sa.String(length=20), server_default='pending', nullable=False))
        batch_op.add_column(sa.Column('withdrawn_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('final_status')
        batch_op.drop_column('test_completed_at')
        batch_op.drop_column('test_closed_by')
        batch_op.drop_column('test_attempt_id')
        batch_op.drop_column('test_answered')
        batch_op.drop_column('test_score')
        batch_op.drop_column('test_status')
