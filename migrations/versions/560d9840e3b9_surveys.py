"""surveys

Revision ID: 560d9840e3b9
Revises: 4f2a9c7e1b36
Create Date: 2026-12-05 14:18:31.934744

Surveys on projects: questions in pages (of seven kinds, with conditions), their options
and matrix statements; participations (once per account or browser), the inbox where an
anonymous response waits to be mixed, and responses with their answer rows. Responses and
answers are tables without rowid on SQLite, as ballots: a rowid would number them in the
order they were written.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '560d9840e3b9'
down_revision = '4f2a9c7e1b36'
branch_labels = None
depends_on = None


def upgrade():
    # Questions and options refer to each other (a question's condition names an option):
    # SQLite takes the reference in the table, PostgreSQL once both tables exist.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    condition_option_fk = [sa.ForeignKeyConstraint(
        ['condition_option_id'], ['survey_options.id'],
        name=op.f('fk_survey_questions_condition_option_id_survey_options'),
        ondelete='SET NULL')] if sqlite else []
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('intro_html', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('anonymous', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('confidential', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('results_public', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('changeable', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('quiz', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('mixes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('mixes_counted', sa.Integer(), server_default='0', nullable=False),
    sa.Column('sealed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("audience IN ('public', 'citizens', 'staff')", name=op.f('ck_surveys_audience')),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_surveys_status')),
    sa.CheckConstraint('NOT (anonymous AND changeable)', name=op.f('ck_surveys_anonymous_final')),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_surveys_window')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_surveys_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_surveys_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('slug', name=op.f('uq_surveys_slug'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_project_id'), ['project_id'], unique=False)

    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('help_text', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('min_choices', sa.Integer(), nullable=True),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.Column('max_length', sa.Integer(), nullable=True),
    sa.Column('number_min', sa.Float(), nullable=True),
    sa.Column('number_max', sa.Float(), nullable=True),
    sa.Column('number_step', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('scale_min', sa.Integer(), nullable=True),
    sa.Column('scale_max', sa.Integer(), nullable=True),
    sa.Column('scale_min_label', sa.String(length=80), nullable=False),
    sa.Column('scale_max_label', sa.String(length=80), nullable=False),
    sa.Column('condition_question_id', sa.Integer(), nullable=True),
    sa.Column('condition_option_id', sa.Integer(), nullable=True),
    sa.Column('condition_negated', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('single', 'multiple', 'text', 'number', 'scale', 'yes_no', 'matrix')", name=op.f('ck_survey_questions_kind')),
    sa.CheckConstraint('(condition_question_id IS NULL) = (condition_option_id IS NULL)', name=op.f('ck_survey_questions_condition')),
    sa.CheckConstraint('max_choices IS NULL OR max_choices >= 1', name=op.f('ck_survey_questions_max_choices')),
    sa.CheckConstraint('max_length IS NULL OR max_length >= 1', name=op.f('ck_survey_questions_max_length')),
    sa.CheckConstraint('min_choices IS NULL OR min_choices >= 0', name=op.f('ck_survey_questions_min_choices')),
    sa.CheckConstraint('number_step IS NULL OR number_step > 0', name=op.f('ck_survey_questions_number_step')),
    sa.CheckConstraint('page >= 1', name=op.f('ck_survey_questions_page')),
    sa.CheckConstraint('scale_max IS NULL OR scale_min IS NULL OR scale_max > scale_min', name=op.f('ck_survey_questions_scale')),
    *condition_option_fk,
    sa.ForeignKeyConstraint(['condition_question_id'], ['survey_questions.id'], name=op.f('fk_survey_questions_condition_question_id_survey_questions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_questions_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions'))
    )
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_questions_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('is_other', sa.Boolean(), nullable=False),
    sa.Column('is_correct', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_options_question_id_survey_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_options'))
    )
    with op.batch_alter_table('survey_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_options_question_id'), ['question_id'], unique=False)

    op.create_table('survey_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_statements_question_id_survey_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_statements'))
    )
    with op.batch_alter_table('survey_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_statements_question_id'), ['question_id'], unique=False)

    op.create_table('survey_participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('browser_key', sa.String(length=64), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.CheckConstraint('(user_id IS NULL) <> (browser_key IS NULL)', name=op.f('ck_survey_participations_who')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_participations_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_survey_participations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_participations')),
    sa.UniqueConstraint('survey_id', 'browser_key', name=op.f('uq_survey_participations_survey_id_browser_key')),
    sa.UniqueConstraint('survey_id', 'user_id', name=op.f('uq_survey_participations_survey_id_user_id'))
    )
    with op.batch_alter_table('survey_participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_participations_user_id'), ['user_id'], unique=False)

    op.create_table('survey_inbox',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_inbox_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_inbox'))
    )
    with op.batch_alter_table('survey_inbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_inbox_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('mix', sa.Integer(), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.CheckConstraint('mix IS NULL OR user_id IS NULL', name=op.f('ck_survey_responses_anonymous')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_responses_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_survey_responses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('survey_id', 'user_id', name=op.f('uq_survey_responses_survey_id_user_id')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index('ix_survey_responses_survey_mix', ['survey_id', 'mix'], unique=False)

    op.create_table('survey_answers',
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=True),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.Float(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('mix', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['option_id'], ['survey_options.id'], name=op.f('fk_survey_answers_option_id_survey_options'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_answers_question_id_survey_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_answers_response_id_survey_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['survey_statements.id'], name=op.f('fk_survey_answers_statement_id_survey_statements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_answers_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'seq', name=op.f('pk_survey_answers')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answers_histogram', ['question_id', 'statement_id', 'option_id', 'number', 'mix'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_survey_id'), ['survey_id'], unique=False)

    if not sqlite:
        op.create_foreign_key(op.f('fk_survey_questions_condition_option_id_survey_options'),
                              'survey_questions', 'survey_options', ['condition_option_id'],
                              ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_survey_id'))
        batch_op.drop_index('ix_survey_answers_histogram')

    op.drop_table('survey_answers')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_responses_survey_mix')

    op.drop_table('survey_responses')
    with op.batch_alter_table('survey_participations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_participations_user_id'))

    op.drop_table('survey_participations')
    with op.batch_alter_table('survey_inbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_inbox_survey_id'))

    op.drop_table('survey_inbox')
    with op.batch_alter_table('survey_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_statements_question_id'))

    op.drop_table('survey_statements')
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_questions_survey_id'))

    with op.batch_alter_table('survey_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_options_question_id'))

    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('fk_survey_questions_condition_option_id_survey_options'),
                           'survey_questions', type_='foreignkey')
    op.drop_table('survey_options')
    op.drop_table('survey_questions')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveys_project_id'))

    op.drop_table('surveys')
