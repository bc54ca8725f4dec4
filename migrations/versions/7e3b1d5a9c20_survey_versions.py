"""survey versions

Revision ID: 7e3b1d5a9c20
Revises: 031ec512f4f2
Create Date: 2026-12-05 15:30:00

A random version per survey, replaced whenever the survey, a question, an option or a
statement changes: the answering pages keep a survey per process while its version holds
(surveys/answering/survey_cache.py). Existing surveys start with the empty version; their
next change gives them a random one.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e3b1d5a9c20'
down_revision = '031ec512f4f2'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('surveys', sa.Column('version', sa.String(length=32), server_default='',
                                       nullable=False))


def downgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_column('version')
