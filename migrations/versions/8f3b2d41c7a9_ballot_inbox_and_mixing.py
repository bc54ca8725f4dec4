"""ballot inbox and mixing

Revision ID: 8f3b2d41c7a9
Revises: 6a4d989eb325
Create Date: 2026-12-02 14:30:00

Online ballots wait in an inbox until they are mixed into the ballots with at least k
others (docs/secrecy.md): the inbox table, the mix number of each online ballot, and per
vote how many mixes there were, how many are counted and when the last one sealed it.
On SQLite the ballots and their answers become tables without rowid, whose order is that
of their random ids.
Ballots cast before this revision keep mix NULL: they are counted already.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f3b2d41c7a9'
down_revision = '6a4d989eb325'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ballot_inbox',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('vote_id', sa.Integer(), nullable=False),
        sa.Column('choices', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['vote_id'], ['votes.id'],
                                name=op.f('fk_ballot_inbox_vote_id_votes'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_inbox')),
    )
    op.create_index(op.f('ix_ballot_inbox_vote_id'), 'ballot_inbox', ['vote_id'], unique=False)
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('mixes', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('mixes_counted', sa.Integer(), nullable=False,
                                      server_default='0'))
    sqlite = op.get_bind().dialect.name == 'sqlite'
    # SQLite: copy both tables into tables without rowid (foreign keys are off meanwhile,
    # migrations/env.py). PostgreSQL has no rowid; its tables only gain the column.
    rowless = {'recreate': 'always', 'table_kwargs': {'sqlite_with_rowid': False}} if sqlite else {}
    with op.batch_alter_table('ballots', schema=None, **rowless) as batch_op:
        batch_op.add_column(sa.Column('mix', sa.Integer(), nullable=True))
        batch_op.create_index('ix_ballots_vote_mix', ['vote_id', 'mix'], unique=False)
    if sqlite:
        with op.batch_alter_table('ballot_answers', schema=None, **rowless):
            pass


def downgrade():
    waiting = op.get_bind().execute(sa.text('SELECT COUNT(*) FROM ballot_inbox')).scalar()
    if waiting:  # they would be lost: their votes must close and be sealed first
        raise RuntimeError(f'{waiting} ballots wait in the inbox; seal their votes first')
    sqlite = op.get_bind().dialect.name == 'sqlite'
    rowid = {'recreate': 'always', 'table_kwargs': {'sqlite_with_rowid': True}} if sqlite else {}
    if sqlite:
        with op.batch_alter_table('ballot_answers', schema=None, **rowid):
            pass
    with op.batch_alter_table('ballots', schema=None, **rowid) as batch_op:
        batch_op.drop_index('ix_ballots_vote_mix')
        batch_op.drop_column('mix')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_column('mixes_counted')
        batch_op.drop_column('mixes')
        batch_op.drop_column('sealed_at')
    op.drop_index(op.f('ix_ballot_inbox_vote_id'), table_name='ballot_inbox')
    op.drop_table('ballot_inbox')
