"""tally sheets and the expected size of a batch

Revision ID: c4a7e2f9b013
Revises: b71e5c0d9a24
Create Date: 2026-12-02 19:10:00

Stations that count by hand bring only totals: a batch of source 'tally' holds them in
paper_tally_sheets, one row per entry (first, and the check entry of double entry). Any
batch may say how many cards it should hold (expected_cards), checked at its close.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a7e2f9b013'
down_revision = 'b71e5c0d9a24'
branch_labels = None
depends_on = None

OLD_SOURCES = "source IN ('manual', 'csv')"
NEW_SOURCES = "source IN ('manual', 'csv', 'tally')"


def upgrade():
    op.create_table('paper_tally_sheets',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('entry', sa.String(length=8), nullable=False),
    sa.Column('cards', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("entry IN ('first', 'check')", name=op.f('ck_paper_tally_sheets_entry')),
    sa.ForeignKeyConstraint(['batch_id'], ['paper_batches.id'], name=op.f('fk_paper_tally_sheets_batch_id_paper_batches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_paper_tally_sheets_entered_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('batch_id', 'entry', name=op.f('pk_paper_tally_sheets'))
    )
    # Autogenerate does not see check constraints change: altered by hand (on SQLite batch
    # mode copies the table, keeping its partial unique index).
    with op.batch_alter_table('paper_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expected_cards', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_paper_batches_source'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_paper_batches_source'), NEW_SOURCES)


def downgrade():
    # A tally sheet has no cards to keep: its batch goes with it.
    op.execute("DELETE FROM paper_batches WHERE source = 'tally'")
    with op.batch_alter_table('paper_batches', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_paper_batches_source'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_paper_batches_source'), OLD_SOURCES)
        batch_op.drop_column('expected_cards')
    op.drop_table('paper_tally_sheets')
