"""the reason an account is blocked

Revision ID: 0e415f4ed100
Revises: 1f043671d80b
Create Date: 2026-12-05 11:00:00

An admin gives a reason when blocking an account; the person reads it when logging in and
in the mail that tells them. Accounts blocked before have none (empty).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0e415f4ed100'
down_revision = '1f043671d80b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked_reason', sa.Text(), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('blocked_reason')
