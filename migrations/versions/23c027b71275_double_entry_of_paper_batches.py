"""double entry of paper batches: votes.double_entry, the 'checking' batch status,
who confirmed a batch, and the check entry's cards

Revision ID: 23c027b71275
Revises: 4900572e12dc
Create Date: 2026-11-25 16:34:10.767622

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '23c027b71275'
down_revision = '4900572e12dc'
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('open', 'counted', 'void')"
NEW_STATUSES = "status IN ('open', 'checking', 'counted', 'void')"


def upgrade():
    op.create_table('paper_check_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=40), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['paper_batches.id'], name=op.f('fk_paper_check_cards_batch_id_paper_batches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_paper_check_cards_entered_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_check_cards')),
    sa.UniqueConstraint('batch_id', 'serial', name=op.f('uq_paper_check_cards_batch_id_serial'))
    )
    # Autogenerate does not see check constraints change: the status list is altered by hand
    # (on SQLite batch mode copies the table, keeping its partial unique index).
    with op.batch_alter_table('paper_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('checked_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_paper_batches_checked_by_id_users'), 'users', ['checked_by_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_constraint(batch_op.f('ck_paper_batches_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_paper_batches_status'), NEW_STATUSES)

    # A server default, so existing votes get double entry off.
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('double_entry', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_column('double_entry')

    # Batches waiting for their check entry did not count: they go back to being open.
    op.execute("UPDATE paper_batches SET status = 'open' WHERE status = 'checking'")
    with op.batch_alter_table('paper_batches', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_paper_batches_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_paper_batches_status'), OLD_STATUSES)
        batch_op.drop_constraint(batch_op.f('fk_paper_batches_checked_by_id_users'), type_='foreignkey')
        batch_op.drop_column('checked_by_id')
        batch_op.drop_column('checked_at')

    op.drop_table('paper_check_cards')
