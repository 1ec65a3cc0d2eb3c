"""accounts, profiles, documents, activities, applications

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 19:09:08.168755

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

    op.create_table('accounts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('satker_code', sa.String(length=4), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('created_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('activated_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('email', name=op.f('uq_accounts_email'))
    )
    op.create_table('activities',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('satker_code', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('registration_opens_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('registration_closes_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('announcement_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=True),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.Column('application_count', sa.Integer(), nullable=False),
    sa.Column('last_registration_seq', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('created_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quota IS NULL OR application_count <= quota', name=op.f('ck_activities_quota')),
    sa.CheckConstraint('registration_closes_at > registration_opens_at', name=op.f('ck_activities_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_satker_code'), ['satker_code'], unique=False)

    op.create_table('activation_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('expires_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('used_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_activation_tokens_account_id_accounts')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_activation_tokens'))
    )
    with op.batch_alter_table('activation_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activation_tokens_account_id'), ['account_id'], unique=False)

    op.create_table('applications',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('activity_id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('registration_number', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_applications_account_id_accounts')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_applications_activity_id_activities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('activity_id', 'account_id', name='uq_applications_one_per_candidate'),
    sa.UniqueConstraint('activity_id', 'registration_number', name='uq_applications_registration_number')
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_account_id'), ['account_id'], unique=False)

    op.create_table('documents',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('uploaded_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_documents_account_id_accounts')),
    sa.PrimaryKeyConstraint('account_id', 'kind', name=op.f('pk_documents'))
    )
    op.create_table('profiles',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('nik', sa.String(length=16), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('kecamatan_code', sa.String(length=6), nullable=False),
    sa.Column('domicile_regency_code', sa.String(length=4), nullable=False),
    sa.Column('education', sa.String(length=3), nullable=False),
    sa.Column('occupation', sa.String(length=200), nullable=False),
    sa.Column('is_asn', sa.Boolean(), nullable=False),
    sa.Column('has_other_institution_contract', sa.Boolean(), nullable=False),
    sa.Column('has_bps_experience', sa.Boolean(), nullable=False),
    sa.Column('has_capi_experience', sa.Boolean(), nullable=False),
    sa.Column('owns_smartphone', sa.Boolean(), nullable=False),
    sa.Column('can_use_computer', sa.Boolean(), nullable=False),
    sa.Column('can_ride_motorbike', sa.Boolean(), nullable=False),
    sa.Column('statements', sa.JSON(), nullable=False),
    sa.Column('updated_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_profiles_account_id_accounts')),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_profiles')),
    sa.UniqueConstraint('nik', name=op.f('uq_profiles_nik'))
    )



def downgrade() -> None:
    """Downgrade schema."""

    op.drop_table('profiles')
    op.drop_table('documents')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_account_id'))

    op.drop_table('applications')
    with op.batch_alter_table('activation_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activation_tokens_account_id'))

    op.drop_table('activation_tokens')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_satker_code'))

    op.drop_table('activities')
    op.drop_table('accounts')

