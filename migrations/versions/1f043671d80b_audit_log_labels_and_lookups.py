"""audit log: the target's label, and lookups by person and by target

Revision ID: 1f043671d80b
Revises: 020c49ab6b39
Create Date: 2026-12-05 10:00:00

Each entry records what its target was called when it was written (target_label), so a
page of the log reads as sentences without a query per entry. The log is filtered by
person (actor_id) and read by target for a person's data export and erasure: both indexed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1f043671d80b'
down_revision = '020c49ab6b39'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_label', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_log_target', ['target_type', 'target_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_target')
        batch_op.drop_index(batch_op.f('ix_audit_log_actor_id'))
        batch_op.drop_column('target_label')
