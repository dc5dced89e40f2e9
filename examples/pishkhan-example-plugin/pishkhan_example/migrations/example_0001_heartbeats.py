"""example heartbeats

Revision ID: example_0001
Revises: 
Create Date: 2026-11-24 09:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = 'example_0001'
down_revision = None
branch_labels = ('example',)
depends_on = None


def upgrade():
    op.create_table('example_heartbeats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('beat_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_example_heartbeats'))
    )
    with op.batch_alter_table('example_heartbeats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_example_heartbeats_beat_at'), ['beat_at'], unique=False)


def downgrade():
    with op.batch_alter_table('example_heartbeats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_example_heartbeats_beat_at'))

    op.drop_table('example_heartbeats')
