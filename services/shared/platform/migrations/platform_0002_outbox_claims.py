"""Outbox claims: ``claimed_until`` (a relay took the row and publishes it outside its
transaction; no other relay takes it before then; after an unroutable return, its retry time)
and ``last_error`` (why the last publish failed), for services/shared/ops/relay_events.py.

Revision ID: platform_0002
Revises: platform_0001
Create Date: 2026-11-26

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import services.shared.platform.database

revision: str = 'platform_0002'
down_revision: Union[str, Sequence[str], None] = 'platform_0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('last_error')
        batch_op.drop_column('claimed_until')
