"""markdown rendered when saved

Revision ID: 1c36d9b566e0
Revises: 2190227533a1
Create Date: 2026-12-02 08:30:00

Descriptions and pages keep the HTML their Markdown renders to, so no page renders it per
request. Existing texts are rendered here, with the renderer of this release.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1c36d9b566e0'
down_revision = '2190227533a1'
branch_labels = None
depends_on = None

RENDERED = (("projects", "description"), ("votes", "description"), ("pages", "body"))


def upgrade():
    from mitwirkung.core.sanitize import MarkdownTooComplex, render_markdown

    connection = op.get_bind()
    for table, source in RENDERED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(f'{source}_html', sa.Text(), nullable=False,
                                          server_default=''))
        rows = connection.execute(sa.text(f"SELECT id, {source} FROM {table}")).all()
        for row_id, text in rows:
            try:
                html = render_markdown(text)
            except MarkdownTooComplex:
                html = ""  # shown empty until staff shorten it; the source stays
            connection.execute(sa.text(f"UPDATE {table} SET {source}_html = :html WHERE id = :id"),
                               {"html": html, "id": row_id})


def downgrade():
    for table, source in RENDERED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(f'{source}_html')
