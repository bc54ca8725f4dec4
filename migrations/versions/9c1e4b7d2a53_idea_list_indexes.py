"""idea list indexes: walk a board's ideas in the list's order, count them from an index

Revision ID: 9c1e4b7d2a53
Revises: 3b9e6f1d2a47
Create Date: 2026-12-05 12:00:00

The list of a board's ideas sorts newest or most supported first and counts what the
person may see. The first index put the moderation state between the board and the date,
so SQLite sorted every idea of the board for each page; now the order indexes hold only the
board, the sort key and the id, and a third index holds every column the count asks about
(who may see an idea, and the list's filters), so counting reads no idea row. Measured in
bench/ideas.py on 5,000 ideas (docs/benchmarks.md).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '9c1e4b7d2a53'
down_revision = '3b9e6f1d2a47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_board_listing')
        batch_op.drop_index('ix_ideas_board_supports')
        batch_op.create_index('ix_ideas_board_newest', ['board_id', 'created_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_ideas_board_supports', ['board_id', 'supports_count', 'id'],
                              unique=False)
        batch_op.create_index('ix_ideas_board_visible',
                              ['board_id', 'moderation_state', 'withdrawn_at', 'author_id',
                               'category_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_board_visible')
        batch_op.drop_index('ix_ideas_board_supports')
        batch_op.drop_index('ix_ideas_board_newest')
        batch_op.create_index('ix_ideas_board_supports', ['board_id', 'supports_count'],
                              unique=False)
        batch_op.create_index('ix_ideas_board_listing',
                              ['board_id', 'moderation_state', 'created_at'], unique=False)
