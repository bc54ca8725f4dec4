"""content version: the number that every write a visitor's page may show replaces
(core/content_version.py, core/page_cache.py)

Revision ID: a7891e44335b
Revises: 7e3b1d5a9c20
Create Date: 2026-12-05

"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = 'a7891e44335b'
down_revision = '7e3b1d5a9c20'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'content_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'version': secrets.randbits(62)}])


def downgrade():
    op.drop_table('content_version')
