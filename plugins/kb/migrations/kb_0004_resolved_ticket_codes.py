"""kb resolved tickets keep their tracking code, so an article can be linked to one later

Revision ID: kb_0004
Revises: kb_0003
Create Date: 2026-11-24 06:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'kb_0004'
down_revision = 'kb_0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kb_resolved_tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracking_code', sa.String(length=12), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('kb_resolved_tickets', schema=None) as batch_op:
        batch_op.drop_column('tracking_code')
