"""flags, hiding and muting

Revision ID: 4f2a9c7e1b36
Revises: 95fe9632918f
Create Date: 2026-12-06 10:00:00

Residents report published ideas and comments (flags, one per person and item by a unique
index); moderators hide a published item with a reason (hidden_at, hidden_reason on both
moderated tables) and mute accounts for a time (muted_until, muted_reason on users).

Only nullable columns or columns with a server default are added, with plain ADD COLUMN:
no table is recreated, so SQLite's trigger ideas_fts_delete (proposals/search.py) stays.
The list's covering index of ideas takes hidden_at, so a board's count stays index-only.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4f2a9c7e1b36'
down_revision = '95fe9632918f'
branch_labels = None
depends_on = None

VISIBLE = ['board_id', 'moderation_state', 'withdrawn_at', 'author_id', 'category_id', 'status']


def upgrade():
    for table in ('ideas', 'comments'):
        op.add_column(table, sa.Column('hidden_at', sa.DateTime(), nullable=True))
        op.add_column(table, sa.Column('hidden_reason', sa.Text(), server_default='',
                                       nullable=False))
    op.add_column('users', sa.Column('muted_until', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('muted_reason', sa.Text(), server_default='',
                                     nullable=False))
    op.drop_index('ix_ideas_board_visible', table_name='ideas')
    op.create_index('ix_ideas_board_visible', 'ideas',
                    VISIBLE[:3] + ['hidden_at'] + VISIBLE[3:], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_type', sa.String(length=40), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision', sa.String(length=8), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("reason IN ('spam', 'offensive', 'off_topic')", name=op.f('ck_flags_reason')),
    sa.CheckConstraint("decision IS NULL OR decision IN ('kept', 'hidden')", name=op.f('ck_flags_decision')),
    sa.CheckConstraint('(decision IS NULL) = (decided_at IS NULL)', name=op.f('ck_flags_decided')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flags_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_flags_decided_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    op.create_index('uq_flags_user_item', 'flags', ['user_id', 'item_type', 'item_id'],
                    unique=True)
    op.create_index('ix_flags_item', 'flags', ['item_type', 'item_id', 'decided_at'],
                    unique=False)
    op.create_index('ix_flags_open', 'flags', ['decided_at', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_flags_open', table_name='flags')
    op.drop_index('ix_flags_item', table_name='flags')
    op.drop_index('uq_flags_user_item', table_name='flags')
    op.drop_table('flags')
    op.drop_index('ix_ideas_board_visible', table_name='ideas')
    op.create_index('ix_ideas_board_visible', 'ideas', VISIBLE, unique=False)
    # DROP COLUMN needs SQLite 3.35, which has it without recreating the table.
    op.drop_column('users', 'muted_reason')
    op.drop_column('users', 'muted_until')
    for table in ('comments', 'ideas'):
        op.drop_column(table, 'hidden_reason')
        op.drop_column(table, 'hidden_at')
