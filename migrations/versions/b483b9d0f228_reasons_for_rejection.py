"""reasons for rejection: the list moderators choose from, which admins edit; seeded with
four German defaults

Revision ID: b483b9d0f228
Revises: 88959aa14c24
Create Date: 2026-12-05 12:02:28.155909

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b483b9d0f228'
down_revision = '88959aa14c24'
branch_labels = None
depends_on = None

# As core/reject_reasons.py's DEFAULTS when this revision was written (a migration does not
# import the app: it must seed the same rows whatever the code says later).
DEFAULTS = ("Beleidigend oder herabwürdigend", "Werbung oder Spam", "Gehört nicht zum Thema",
            "Enthält persönliche Daten")


def upgrade():
    reasons = op.create_table('reject_reasons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reject_reasons')),
    sa.UniqueConstraint('text', name='uq_reject_reasons_text')
    )
    op.bulk_insert(reasons, [{"text": text, "position": position, "active": True}
                             for position, text in enumerate(DEFAULTS, start=1)])


def downgrade():
    op.drop_table('reject_reasons')
