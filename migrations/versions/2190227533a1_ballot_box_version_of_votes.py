"""ballot box version of votes

Revision ID: 2190227533a1
Revises: eb37f9c900b3
Create Date: 2026-12-01 16:06:52.658102

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2190227533a1'
down_revision = 'eb37f9c900b3'
branch_labels = None
depends_on = None


def upgrade():
    # Existing votes share a first version; their next change gives each a random one. The
    # server default only fills them in: new votes get their version from the model.
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('box_version', sa.String(length=32), nullable=False,
                                      server_default='initial'))
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.alter_column('box_version', server_default=None)


def downgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_column('box_version')
