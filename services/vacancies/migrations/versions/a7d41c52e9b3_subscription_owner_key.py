"""subscription owner key

A webhook subscription belongs to the API key that made it (issue 13): another
key of the same LA or region cannot list, change or delete it. Subscriptions
made before this revision have no key and stay with their LA's keys.

Revision ID: a7d41c52e9b3
Revises: ceff883587fc
Create Date: 2026-12-03 08:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'a7d41c52e9b3'
down_revision: str | None = 'ceff883587fc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('feed_subscription', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('key_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.create_index(batch_op.f('ix_feed_subscription_key_id'), ['key_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feed_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_subscription_key_id'))
        batch_op.drop_column('key_id')
