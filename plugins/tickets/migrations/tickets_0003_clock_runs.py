"""tickets SLA clocks keep the spans they ran, so a late closure gives back time before a pause

Revision ID: tickets_0003
Revises: tickets_0002
Create Date: 2026-11-25 00:20:00

Clocks from before have no spans (``runs`` NULL) and keep the business time they banked.
"""
import sqlalchemy as sa
from alembic import op

revision = 'tickets_0003'
down_revision = 'tickets_0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tickets_sla_clocks') as batch_op:
        batch_op.add_column(sa.Column('runs', sa.JSON(), nullable=True))
        batch_op.create_index('ix_tickets_sla_clocks_paused', ['paused_at'], unique=False)


def downgrade():
    with op.batch_alter_table('tickets_sla_clocks') as batch_op:
        batch_op.drop_index('ix_tickets_sla_clocks_paused')
        batch_op.drop_column('runs')
