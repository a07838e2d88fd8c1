"""event log keyed by event: several replicas write each event once

Revision ID: b41c2f7d9a10
Revises: 70487ec6a389
Create Date: 2026-12-03 11:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'b41c2f7d9a10'
down_revision: str | None = '70487ec6a389'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('metrics_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    # The rows logged so far hold their event's source and id in the body.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "UPDATE metrics_event SET source = body::json->>'source', event_id = body::json->>'id'"
        )
    else:
        op.execute(
            "UPDATE metrics_event SET source = json_extract(body, '$.source'), "
            "event_id = json_extract(body, '$.id')"
        )
    with op.batch_alter_table('metrics_event', schema=None) as batch_op:
        batch_op.alter_column('source', existing_type=sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False)
        batch_op.alter_column('event_id', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch_op.create_index('ux_metrics_event_source_id', ['source', 'event_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('metrics_event', schema=None) as batch_op:
        batch_op.drop_index('ux_metrics_event_source_id')
        batch_op.drop_column('event_id')
        batch_op.drop_column('source')
