"""The platform tables every service has: outbox, processed events (the inbox), idempotency
records and outgoing mail. One migration, in every service's history (``ops/migrate.py``
adds this folder to each service's version locations; each service's first revision
depends on it).

Revision ID: platform_0001
Revises:
Create Date: 2026-11-25

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import services.shared.platform.database

revision: str = 'platform_0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = ('platform',)
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # A database made before the platform tables had a revision of their own (each service's
    # first revision created them) has them already: create only what is missing.
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if 'idempotency_records' not in existing:
        op.create_table('idempotency_records',
        sa.Column('caller', sa.String(length=64), nullable=False),
        sa.Column('method', sa.String(length=100), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('response', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('caller', 'method', 'key', name=op.f('pk_idempotency_records'))
        )

    if 'outbox' not in existing:
        op.create_table('outbox',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('event_id', sa.String(length=36), nullable=False),
        sa.Column('event_type', sa.String(length=100), nullable=False),
        sa.Column('envelope', sa.JSON(), nullable=False),
        sa.Column('created_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
        sa.Column('published_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
        sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
        )

    if 'outbox' not in existing:
        with op.batch_alter_table('outbox', schema=None) as batch_op:
            batch_op.create_index('ix_outbox_unpublished', ['id'], unique=False, postgresql_where=sa.text('published_at IS NULL'), sqlite_where=sa.text('published_at IS NULL'))

    if 'outgoing_mail' not in existing:
        op.create_table('outgoing_mail',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('recipient', sa.String(length=320), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('created_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail'))
        )

    if 'processed_events' not in existing:
        op.create_table('processed_events',
        sa.Column('event_id', sa.String(length=36), nullable=False),
        sa.Column('event_type', sa.String(length=100), nullable=False),
        sa.Column('handler', sa.String(length=200), nullable=False),
        sa.Column('processed_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('event_id', 'handler', name=op.f('pk_processed_events'))
        )


def downgrade() -> None:
    op.drop_table('processed_events')
    op.drop_table('outgoing_mail')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unpublished', postgresql_where=sa.text('published_at IS NULL'), sqlite_where=sa.text('published_at IS NULL'))

    op.drop_table('outbox')
    op.drop_table('idempotency_records')
