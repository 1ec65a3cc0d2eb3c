"""application documents: each application keeps its documents as they were when submitted

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 20:03:47.266731

Applications submitted before this revision get the documents their candidates have now: the
closest record there is of what was submitted.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from services.shared.platform.database import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'application_documents',
        sa.Column('application_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('content_type', sa.String(length=50), nullable=False),
        sa.Column('uploaded_at', UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['application_id'], ['applications.id'],
            name=op.f('fk_application_documents_application_id_applications')),
        sa.PrimaryKeyConstraint('application_id', 'kind', name=op.f('pk_application_documents')),
    )
    op.execute(
        "INSERT INTO application_documents "
        "(application_id, kind, sha256, size, content_type, uploaded_at) "
        "SELECT a.id, d.kind, d.sha256, d.size, d.content_type, d.uploaded_at "
        "FROM applications a JOIN documents d ON d.account_id = a.account_id")


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('application_documents')
