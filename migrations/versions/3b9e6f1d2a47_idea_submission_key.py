"""one idea per submission

Revision ID: 3b9e6f1d2a47
Revises: 07f7705de04c
Create Date: 2026-12-06 09:00:00

The submission form carries a random key from its first step to saving; a unique index on
(author, key) lets a double click store one idea, whichever request comes second. Added
in place on both databases (no table copy on SQLite, so the search trigger on ideas stays).
Ideas from before have none.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b9e6f1d2a47'
down_revision = '07f7705de04c'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('ideas', sa.Column('submission_key', sa.String(length=43), nullable=True))
    op.create_index('uq_ideas_author_submission', 'ideas', ['author_id', 'submission_key'],
                    unique=True)


def downgrade():
    op.drop_index('uq_ideas_author_submission', table_name='ideas')
    # In place too (SQLite 3.35+), so the search trigger stays.
    op.drop_column('ideas', 'submission_key')
