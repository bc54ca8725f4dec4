"""site settings and accessibility feedback

Revision ID: 020c49ab6b39
Revises: c4a7e2f9b013
Create Date: 2026-12-05 09:33:05.007889

site_settings holds one row (id 1): the city's name, logo and colour, where accessibility
feedback is mailed, and the sign-language video with its captions. accessibility_feedback
keeps the messages of the feedback form. Pages now keep every line break of their text
(an address, Leichte Sprache): their stored HTML is rendered again here.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '020c49ab6b39'
down_revision = 'c4a7e2f9b013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accessibility_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('page', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accessibility_feedback'))
    )
    with op.batch_alter_table('accessibility_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accessibility_feedback_created_at'), ['created_at'], unique=False)

    op.create_table('site_settings',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('city_name', sa.String(length=120), nullable=False),
    sa.Column('logo', sa.String(length=64), nullable=True),
    sa.Column('logo_alt', sa.String(length=300), nullable=False),
    sa.Column('accent_color', sa.String(length=7), nullable=True),
    sa.Column('feedback_email', sa.String(length=254), nullable=True),
    sa.Column('sign_video', sa.String(length=64), nullable=True),
    sa.Column('sign_captions', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_site_settings_single_row')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_site_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_settings'))
    )
    _render_pages(hard_breaks=True)


def downgrade():
    _render_pages(hard_breaks=False)
    op.drop_table('site_settings')
    with op.batch_alter_table('accessibility_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accessibility_feedback_created_at'))

    op.drop_table('accessibility_feedback')


def _render_pages(hard_breaks: bool) -> None:
    """Render every page's text again, with the renderer of this release."""
    from mitwirkung.core.sanitize import MarkdownTooComplex, render_markdown

    connection = op.get_bind()
    for page_id, text in connection.execute(sa.text("SELECT id, body FROM pages")).all():
        try:
            html = render_markdown(text, hard_breaks=hard_breaks)
        except MarkdownTooComplex:
            html = ""  # shown empty until an admin shortens it; the source stays
        connection.execute(sa.text("UPDATE pages SET body_html = :html WHERE id = :id"),
                           {"html": html, "id": page_id})
