"""final results

Revision ID: b71e5c0d9a24
Revises: 8f3b2d41c7a9
Create Date: 2026-12-02 15:30:00

Staff declare a vote's result final (who, when); from then on nothing changes. Results
may be kept back until then: a third visibility, 'after_final'.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b71e5c0d9a24'
down_revision = '8f3b2d41c7a9'
branch_labels = None
depends_on = None

OLD_VISIBILITIES = "results_visibility IN ('live', 'after_close')"
NEW_VISIBILITIES = "results_visibility IN ('live', 'after_close', 'after_final')"


def upgrade():
    # Autogenerate does not see check constraints change: altered by hand.
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('final_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('final_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_votes_final_by_id_users'), 'users',
                                    ['final_by_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_constraint(batch_op.f('ck_votes_visibility'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_votes_visibility'), NEW_VISIBILITIES)


def downgrade():
    # Results kept back until the final result are kept back until the close instead.
    op.execute("UPDATE votes SET results_visibility = 'after_close'"
               " WHERE results_visibility = 'after_final'")
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_votes_visibility'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_votes_visibility'), OLD_VISIBILITIES)
        batch_op.drop_constraint(batch_op.f('fk_votes_final_by_id_users'), type_='foreignkey')
        batch_op.drop_column('final_by_id')
        batch_op.drop_column('final_at')
