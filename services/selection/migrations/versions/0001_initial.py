"""initial

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 19:29:28.527793

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import services.shared.platform.database


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = 'platform_0001'


def upgrade() -> None:
    """Upgrade schema."""

    op.create_table('applications',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('activity_id', sa.String(length=36), nullable=False),
    sa.Column('activity_name', sa.String(length=200), nullable=False),
    sa.Column('satker_code', sa.String(length=4), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('registration_number', sa.String(length=30), nullable=False),
    sa.Column('submitted_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.Column('profile', sa.JSON(), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('age', sa.Integer(), nullable=False),
    sa.Column('checks', sa.JSON(), nullable=False),
    sa.Column('administrative_status', sa.String(length=30), nullable=False),
    sa.Column('administrative_reason', sa.String(length=1000), nullable=True),
    sa.Column('administrative_decided_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True),
    sa.Column('received_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_administrative_status'), ['administrative_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_satker_code'), ['satker_code'], unique=False)

    op.create_table('candidate_data',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('profile', sa.JSON(), nullable=True),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_candidate_data'))
    )
    op.create_table('administrative_decisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('application_id', sa.String(length=36), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=False),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.Column('decided_by', sa.String(length=36), nullable=False),
    sa.Column('decided_by_role', sa.String(length=20), nullable=False),
    sa.Column('decided_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_administrative_decisions_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_administrative_decisions'))
    )
    with op.batch_alter_table('administrative_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_administrative_decisions_application_id'), ['application_id'], unique=False)




    # The audit trail is append-only, also for anyone with SQL access through the app's role.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION administrative_decisions_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'administrative_decisions is append-only';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER administrative_decisions_append_only
                BEFORE UPDATE OR DELETE ON administrative_decisions
                FOR EACH ROW EXECUTE FUNCTION administrative_decisions_append_only();
        """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER administrative_decisions_append_only ON administrative_decisions;"
                   " DROP FUNCTION administrative_decisions_append_only();")
    """Downgrade schema."""

    with op.batch_alter_table('administrative_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_administrative_decisions_application_id'))

    op.drop_table('administrative_decisions')
    op.drop_table('candidate_data')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_satker_code'))
        batch_op.drop_index(batch_op.f('ix_applications_administrative_status'))
        batch_op.drop_index(batch_op.f('ix_applications_activity_id'))
        batch_op.drop_index(batch_op.f('ix_applications_account_id'))

    op.drop_table('applications')

