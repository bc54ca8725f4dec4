"""survey tallies

Revision ID: 031ec512f4f2
Revises: 560d9840e3b9
Create Date: 2026-12-08 10:00:00.000000

Running counts of the answer rows that results count, per question and histogram key
(surveys/tallies.py), so that results read a few hundred rows, not one per answer. "None"
is 0 in the key (with has_number for numbers): a primary key holds no NULLs, and the
upsert that adds to a count needs one. Surveys that have answers get their tallies.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '031ec512f4f2'
down_revision = '560d9840e3b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_tallies',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('has_number', sa.Boolean(), nullable=False),
    sa.Column('number', sa.Float(), nullable=False),
    sa.Column('has_text', sa.Boolean(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_tallies_question_id_survey_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'statement_id', 'option_id', 'has_number', 'number', 'has_text', name=op.f('pk_survey_tallies'))
    )
    # What results count (surveys.services.counted): every response of a survey that is
    # not anonymous, the mixes up to mixes_counted of an anonymous one.
    op.execute("""
        INSERT INTO survey_tallies (question_id, statement_id, option_id, has_number, number,
                                    has_text, count)
        SELECT a.question_id, COALESCE(a.statement_id, 0), COALESCE(a.option_id, 0),
               a.number IS NOT NULL, COALESCE(a.number, 0), a.text IS NOT NULL, COUNT(*)
        FROM survey_answers a JOIN surveys s ON s.id = a.survey_id
        WHERE (NOT s.anonymous AND a.mix IS NULL) OR (s.anonymous AND a.mix <= s.mixes_counted)
        GROUP BY a.question_id, a.statement_id, a.option_id, a.number, a.text IS NOT NULL
    """)


def downgrade():
    op.drop_table('survey_tallies')
