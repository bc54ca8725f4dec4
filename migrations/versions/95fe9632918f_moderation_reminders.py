"""moderation reminders: the overdue items the moderators have been mailed about, each once

Revision ID: 95fe9632918f
Revises: b483b9d0f228
Create Date: 2026-12-05 12:05:16.075893

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '95fe9632918f'
down_revision = 'b483b9d0f228'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('moderation_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('reminded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_reminders')),
    sa.UniqueConstraint('kind', 'item_id', name='uq_moderation_reminders_item')
    )


def downgrade():
    op.drop_table('moderation_reminders')
