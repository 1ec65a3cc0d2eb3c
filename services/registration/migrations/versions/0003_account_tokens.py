"""accounts: token version, password reset tokens, service tokens

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 19:24:57.092965

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from services.shared.platform.database import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'service_tokens',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('satker_code', sa.String(length=4), nullable=False),
        sa.Column('created_by', sa.String(length=36), nullable=False),
        sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UtcDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_service_tokens')))
    op.create_table(
        'password_reset_tokens',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('account_id', sa.String(length=36), nullable=False),
        sa.Column('expires_at', UtcDateTime(timezone=True), nullable=False),
        sa.Column('used_at', UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_password_reset_tokens_account_id_accounts')),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_password_reset_tokens')))
    with op.batch_alter_table('password_reset_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_tokens_account_id'),
                              ['account_id'], unique=False)
    # Accounts that exist already are at their first token version.
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_version', sa.Integer(),
                                      server_default=sa.text('0'), nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('token_version')
    with op.batch_alter_table('password_reset_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_tokens_account_id'))
    op.drop_table('password_reset_tokens')
    op.drop_table('service_tokens')
