"""initial

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 19:13:05.859209

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
    # The service's own tables come in later revisions (a database made when this revision
    # held only the platform tables is at this revision already).


def downgrade() -> None:
    """Downgrade schema."""
