"""Outgoing mail: per-row retries and parking. ``next_attempt_at`` (the earliest time a relay
takes the row: back-off after a 4xx, the relay's claim while it sends) and ``failed_at`` (a
5xx, or the last attempt), with the index the relay picks due rows by
(services/shared/ops/relay_mail.py).

Revision ID: platform_0003
Revises: platform_0002
Create Date: 2026-11-26

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import services.shared.platform.database

revision: str = 'platform_0003'
down_revision: Union[str, Sequence[str], None] = 'platform_0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_DUE = 'sent_at IS NULL AND failed_at IS NULL'


def upgrade() -> None:
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('failed_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True))
    # Mail queued before this revision is due at once, oldest first.
    op.execute('UPDATE outgoing_mail SET next_attempt_at = created_at')
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.alter_column('next_attempt_at', existing_type=services.shared.platform.database.UtcDateTime(timezone=True), nullable=False)
        batch_op.create_index('ix_outgoing_mail_due', ['next_attempt_at', 'id'], unique=False, postgresql_where=sa.text(_DUE), sqlite_where=sa.text(_DUE))


def downgrade() -> None:
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_mail_due', postgresql_where=sa.text(_DUE), sqlite_where=sa.text(_DUE))
        batch_op.drop_column('failed_at')
        batch_op.drop_column('next_attempt_at')
