"""activities.version

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:00:00.000000

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from services.shared.contracts.events import ACTIVITY_PUBLISHED, ActivityPayload
from services.shared.platform.database import UtcDateTime, utcnow
from services.shared.platform.outbox import make_envelope


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # Activities that exist already are at their first version.
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'),
                                      nullable=False))
    _publish_existing_activities()


def _publish_existing_activities() -> None:
    """Selection learns each activity, and its satker, from activity_published: the activities
    made before that event existed are published now, through the outbox, like any other."""
    activities = sa.table(
        'activities', sa.column('id', sa.String), sa.column('satker_code', sa.String),
        sa.column('name', sa.String), sa.column('year', sa.Integer),
        sa.column('registration_opens_at', UtcDateTime),
        sa.column('registration_closes_at', UtcDateTime),
        sa.column('announcement_at', UtcDateTime), sa.column('quota', sa.Integer),
        sa.column('requirements', sa.JSON), sa.column('version', sa.Integer))
    outbox = sa.table(
        'outbox', sa.column('event_id', sa.String), sa.column('event_type', sa.String),
        sa.column('envelope', sa.JSON), sa.column('created_at', UtcDateTime),
        sa.column('attempts', sa.Integer))
    bind = op.get_bind()
    for row in bind.execute(sa.select(activities)).mappings():
        payload = dict(row)
        payload['activity_id'] = payload.pop('id')
        envelope = make_envelope('registration', ACTIVITY_PUBLISHED, payload, ActivityPayload())
        bind.execute(sa.insert(outbox).values(
            event_id=envelope['event_id'], event_type=ACTIVITY_PUBLISHED, envelope=envelope,
            created_at=utcnow(), attempts=0))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('version')
