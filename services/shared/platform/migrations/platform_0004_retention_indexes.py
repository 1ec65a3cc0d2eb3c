"""Indexes retention finds old rows by: outbox.published_at, processed_events.processed_at,
idempotency_records.created_at, outgoing_mail.sent_at and failed_at
(services/shared/ops/retention.py); without them each run scans the whole table.

Revision ID: platform_0004
Revises: platform_0003
Create Date: 2026-11-25

"""
from typing import Sequence, Union

from alembic import op

revision: str = 'platform_0004'
down_revision: Union[str, Sequence[str], None] = 'platform_0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = (
    ('ix_outbox_published_at', 'outbox', 'published_at'),
    ('ix_processed_events_processed_at', 'processed_events', 'processed_at'),
    ('ix_idempotency_records_created_at', 'idempotency_records', 'created_at'),
    ('ix_outgoing_mail_sent_at', 'outgoing_mail', 'sent_at'),
    ('ix_outgoing_mail_failed_at', 'outgoing_mail', 'failed_at'),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], unique=False)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
