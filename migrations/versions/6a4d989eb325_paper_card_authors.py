"""paper card authors

Revision ID: 6a4d989eb325
Revises: 3c7d8a7cb30f
Create Date: 2026-12-02 10:40:00

Who entered a first-entry card corrected or added during double entry, so that a card
counts only when two different people entered its two sides.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6a4d989eb325'
down_revision = '3c7d8a7cb30f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'paper_card_authors',
        sa.Column('ballot_id', sa.String(length=32), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'],
                                name=op.f('fk_paper_card_authors_ballot_id_ballots'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['batch_id'], ['paper_batches.id'],
                                name=op.f('fk_paper_card_authors_batch_id_paper_batches'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'],
                                name=op.f('fk_paper_card_authors_entered_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('ballot_id', name=op.f('pk_paper_card_authors')),
    )
    op.create_index(op.f('ix_paper_card_authors_batch_id'), 'paper_card_authors', ['batch_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_paper_card_authors_batch_id'), table_name='paper_card_authors')
    op.drop_table('paper_card_authors')
