"""ssda903_import_job.owner: the replica running a background import

Revision ID: 7b1c4e9d2a60
Revises: 5e2f903a11c7
Create Date: 2026-12-03 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '7b1c4e9d2a60'
down_revision: str | None = '5e2f903a11c7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ssda903_import_job') as batch:
        batch.add_column(
            sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('ssda903_import_job') as batch:
        batch.drop_column('owner')
