"""ssda903: a return's UASC file, carried rows and children left open; import jobs

Revision ID: 5e2f903a11c7
Revises: 3a0a29da5b1f
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '5e2f903a11c7'
down_revision: str | None = '3a0a29da5b1f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ssda903_return') as batch:
        batch.add_column(sa.Column('uasc', sa.Text(), nullable=True))
        batch.add_column(sa.Column('carried', sa.Text(), nullable=True))
        batch.add_column(sa.Column('left_open', sa.Text(), nullable=True))
    op.create_table('ssda903_import_job',
    sa.Column('job_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('la', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('job_id')
    )
    op.create_index('ix_ssda903_import_job_la', 'ssda903_import_job', ['la'])


def downgrade() -> None:
    op.drop_index('ix_ssda903_import_job_la', table_name='ssda903_import_job')
    op.drop_table('ssda903_import_job')
    with op.batch_alter_table('ssda903_return') as batch:
        batch.drop_column('left_open')
        batch.drop_column('carried')
        batch.drop_column('uasc')
