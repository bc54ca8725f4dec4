"""no newsletter consent: nothing sends a newsletter, so nothing asks for one

Revision ID: 5d2b8e1c7a90
Revises: 0e415f4ed100
Create Date: 2026-12-05 11:30:00

Registration and the profile asked for consent to news mails that the platform never
sends; a consent without a purpose is data kept for nothing (DSGVO Art. 5 (1) c). The
column goes; a future newsletter asks anew, for what it really sends.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2b8e1c7a90'
down_revision = '0e415f4ed100'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('newsletter')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('newsletter', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
