"""The rules of each kind of answer (mitwirkung/surveys/answers.py): reading a form,
checking, conditions, the stored rows and back."""

import pytest
from werkzeug.datastructures import MultiDict

from mitwirkung.surveys import answers
from mitwirkung.surveys.answers import AnswerError
from mitwirkung.surveys.models import QuestionKind

from . import factories


@pytest.fixture
def app_ctx(app):
    """A request in English: messages are asserted in one language."""
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def survey(app):
    return factories.survey(slug="regeln")


def q(survey, kind, **fields):
    return factories.question(survey, kind, **fields)


def read(question, **fields):
    return answers.read(question, MultiDict([(key, value) for key, values in fields.items()
                                            for value in (values if isinstance(values, list)
                                                          else [values])]))


def refused(question, **fields) -> str:
    with pytest.raises(AnswerError) as error:
        read(question, **fields)
    return error.value.message


# -- single choice and yes/no --------------------------------------------------------------

def test_single_choice(survey, app_ctx):
    question = q(survey, QuestionKind.SINGLE, options=("A", "B", ("Sonstiges", {"is_other": True})))
    a, _b, other = question.options
    name = f"q{question.id}"
    assert read(question, **{name: str(a.id)}) == {"option": a.id}
    assert read(question, **{name: ""}) == {}
    assert read(question, **{name: str(a.id), f"{name}_other": "vergessen"}) == {"option": a.id}
    assert read(question, **{name: str(other.id), f"{name}_other": " Rad "}) == {
        "option": other.id, "other": "Rad"}
    assert "what you mean" in refused(question, **{name: str(other.id)})
    assert "300 characters" in refused(question, **{name: str(other.id),
                                                    f"{name}_other": "x" * 301})
    assert refused(question, **{name: "A"}) == "Please choose one of the answers."
    assert refused(question, **{name: "999999"}) == "Please choose among the answers shown."
    assert refused(question, **{name: [str(a.id), str(other.id)]}) == "Please give one answer only."


def test_required_means_an_answer(survey, app_ctx):
    question = q(survey, QuestionKind.YES_NO, required=True)
    assert refused(question) == "Please answer this question."
    assert read(question, **{f"q{question.id}": str(question.options[1].id)}) == {
        "option": question.options[1].id}


# -- multiple choice -----------------------------------------------------------------------

def test_multiple_choice_counts_its_choices(survey, app_ctx):
    question = q(survey, QuestionKind.MULTIPLE, options=("A", "B", "C", "D"), min_choices=2,
                 max_choices=3)
    ids = [str(option.id) for option in question.options]
    name = f"q{question.id}"
    assert read(question, **{name: ids[:2]}) == {"options": [int(i) for i in ids[:2]]}
    assert read(question) == {}  # optional: none at all is fine
    assert refused(question, **{name: ids[:1]}) == "Please choose at least 2 answers."
    assert refused(question, **{name: ids}) == "Please choose at most 3 answers."
    assert refused(question, **{name: [ids[0], ids[0]]}) == "Please choose among the answers shown."
    assert refused(question, **{name: [ids[0], "x"]}) == "Please choose among the answers shown."


# -- free text -----------------------------------------------------------------------------

def test_free_text(survey, app_ctx):
    question = q(survey, QuestionKind.TEXT, max_length=10)
    name = f"q{question.id}"
    assert read(question, **{name: "  Zeile\r\nzwei "}) == {"text": "Zeile\nzwei"}
    assert read(question, **{name: "   "}) == {}
    assert "10 characters (it has 11)" in refused(question, **{name: "x" * 11})


def test_free_text_is_never_longer_than_the_platform_allows(survey, app_ctx):
    question = q(survey, QuestionKind.TEXT)
    assert "5000 characters" in refused(question, **{f"q{question.id}": "x" * 5001})


# -- number and scale ----------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "number"), [
    ("8,5", 8.5), ("8.5", 8.5), ("1.234,5", 1234.5), ("1 234,5", 1234.5), ("0", 0.0),
    ("-2", -2.0), ("12", 12.0)])
def test_numbers_as_people_type_them(survey, app_ctx, typed, number):
    question = q(survey, QuestionKind.NUMBER)
    assert read(question, **{f"q{question.id}": typed}) == {"number": number}


@pytest.mark.parametrize("typed", ["acht", "1e999", "nan", "inf", "8,5,5", "--1"])
def test_what_is_no_number(survey, app_ctx, typed):
    question = q(survey, QuestionKind.NUMBER)
    assert refused(question, **{f"q{question.id}": typed}) == (
        "Please enter a number, such as 8 or 8,5.")


def test_a_number_within_its_range_and_steps(survey, app_ctx):
    question = q(survey, QuestionKind.NUMBER, number_min=0, number_max=200, number_step=0.5,
                 unit="Stunden")
    name = f"q{question.id}"
    assert read(question, **{name: "199,5"}) == {"number": 199.5}
    assert refused(question, **{name: "201"}) == "Please enter a number from 0 to 200 Stunden."
    assert refused(question, **{name: "-1"}) == "Please enter a number from 0 to 200 Stunden."
    assert refused(question, **{name: "8,3"}) == "Please enter a number in steps of 0.5."
    low = q(survey, QuestionKind.NUMBER, number_min=1)
    assert refused(low, **{f"q{low.id}": "0"}) == "Please enter a number of at least 1."
    high = q(survey, QuestionKind.NUMBER, number_max=1)
    assert refused(high, **{f"q{high.id}": "2"}) == "Please enter a number of at most 1."


def test_a_scale_takes_its_points_only(survey, app_ctx):
    question = q(survey, QuestionKind.SCALE, scale_min=0, scale_max=10)
    name = f"q{question.id}"
    assert read(question, **{name: "10"}) == {"number": 10.0}
    assert refused(question, **{name: "11"}) == "Please enter a number from 0 to 10."
    assert refused(question, **{name: "2,5"}) == "Please enter a number in steps of 1."


# -- matrix --------------------------------------------------------------------------------

def test_a_matrix_answers_each_statement_on_its_scale(survey, app_ctx):
    question = q(survey, QuestionKind.MATRIX, statements=("Preis", "Zeit"))
    price, time = question.statements
    name = f"q{question.id}"
    assert read(question, **{f"{name}_s{price.id}": "5"}) == {"rows": {str(price.id): 5}}
    assert read(question) == {}
    message = "Please choose a point on the scale for each statement."
    assert refused(question, **{f"{name}_s{price.id}": "6"}) == message
    assert refused(question, **{f"{name}_s{price.id}": "x"}) == message
    required = q(survey, QuestionKind.MATRIX, statements=("A", "B"), required=True)
    first = required.statements[0]
    assert refused(required, **{f"q{required.id}_s{first.id}": "1"}) == message
    # A statement of another question, in a stored or forged value:
    with pytest.raises(AnswerError):
        answers.check(question, {"rows": {str(first.id): 1}})
    with pytest.raises(AnswerError):
        answers.check(question, {"rows": {str(price.id): True}})


def test_check_refuses_what_is_no_answer(survey, app_ctx):
    question = q(survey, QuestionKind.NUMBER)
    for value in ([], "8", {"number": "8"}, {"number": True}, {"number": float("nan")}):
        with pytest.raises(AnswerError):
            answers.check(question, value)
    text = q(survey, QuestionKind.TEXT)
    with pytest.raises(AnswerError):
        answers.check(text, {"text": 5})
    assert answers.check(text, {"text": "x", "sneaky": 1}) == {"text": "x"}


# -- conditions ----------------------------------------------------------------------------

def test_conditions_decide_what_is_asked(survey, app_ctx):
    way = q(survey, QuestionKind.SINGLE, options=("Rad", "Auto"))
    rad, auto = way.options
    bike = q(survey, QuestionKind.TEXT, condition_question_id=way.id,
             condition_option_id=rad.id)
    not_car = q(survey, QuestionKind.TEXT, condition_question_id=way.id,
                condition_option_id=auto.id, condition_negated=True)
    after_bike = q(survey, QuestionKind.MULTIPLE, options=("x",),
                   condition_question_id=way.id, condition_option_id=rad.id, required=True)
    questions = [way, bike, not_car, after_bike]
    assert answers.asked(questions, {str(way.id): {"option": rad.id}}) == questions
    assert answers.asked(questions, {str(way.id): {"option": auto.id}}) == [way]
    assert answers.asked(questions, {}) == [way, not_car]  # not answered: no option chosen
    # A question not asked is dropped; a required one asked must be answered.
    checked = answers.check_response(questions, {str(way.id): {"option": auto.id},
                                                 str(bike.id): {"text": "weg damit"}})
    assert checked == {str(way.id): {"option": auto.id}}
    with pytest.raises(answers.ResponseError) as error:
        answers.check_response(questions, {str(way.id): {"option": rad.id}})
    assert list(error.value.errors) == [after_bike.id]


def test_a_condition_on_a_multiple_choice(survey, app_ctx):
    wishes = q(survey, QuestionKind.MULTIPLE, options=("A", "B"))
    follow = q(survey, QuestionKind.TEXT, condition_question_id=wishes.id,
               condition_option_id=wishes.options[1].id)
    assert answers.condition_holds(follow, {str(wishes.id): {"options": [wishes.options[1].id]}})
    assert not answers.condition_holds(follow, {str(wishes.id): {"options": []}})


# -- stored rows and back -----------------------------------------------------------------

def test_every_kind_is_stored_as_rows_and_read_back(survey, app_ctx):
    single = q(survey, QuestionKind.SINGLE, options=("A", ("Sonst", {"is_other": True})))
    multiple = q(survey, QuestionKind.MULTIPLE, options=("C", "D", ("Anders", {"is_other": True})))
    text = q(survey, QuestionKind.TEXT)
    number = q(survey, QuestionKind.NUMBER)
    scale = q(survey, QuestionKind.SCALE)
    matrix = q(survey, QuestionKind.MATRIX, statements=("S1", "S2"))
    empty = q(survey, QuestionKind.TEXT)
    s1, s2 = matrix.statements
    given = {
        str(single.id): {"option": single.options[1].id, "other": "Rad"},
        str(multiple.id): {"options": [multiple.options[0].id, multiple.options[2].id],
                           "other": "Bus"},
        str(text.id): {"text": "Hallo"},
        str(number.id): {"number": 8.5},
        str(scale.id): {"number": 3},
        str(matrix.id): {"rows": {str(s1.id): 4}},
        str(empty.id): {},
    }
    questions = survey.questions
    checked = answers.check_response(questions, given)
    rows = answers.response_rows(questions, checked)
    assert (multiple.id, None, None, 2, None) in rows  # how many were chosen
    assert (multiple.id, None, multiple.options[2].id, None, "Bus") in rows
    assert (matrix.id, s2.id, None, None, None) in rows  # a statement left empty
    assert (empty.id, None, None, None, None) in rows  # asked, left empty: a row all the same
    for question in questions:
        stored = [row[1:] for row in rows if row[0] == question.id]
        assert answers.value_from_rows(question, stored) == given[str(question.id)], question
    data = answers.form_data(number, given[str(number.id)])
    assert data == {f"q{number.id}": "8.5"}
    assert answers.form_data(multiple, given[str(multiple.id)])[f"q{multiple.id}"] == [
        str(multiple.options[0].id), str(multiple.options[2].id)]


def test_quiz_score_counts_exactly_the_right_options(survey, app_ctx):
    one = q(survey, QuestionKind.SINGLE, options=(("Ja", {"is_correct": True}), "Nein"))
    both = q(survey, QuestionKind.MULTIPLE, options=(("A", {"is_correct": True}),
                                                     ("B", {"is_correct": True}), "C"))
    plain = q(survey, QuestionKind.TEXT)
    given = {str(one.id): {"option": one.options[0].id},
             str(both.id): {"options": [both.options[0].id]}, str(plain.id): {"text": "x"}}
    assert answers.quiz_score(survey.questions, given) == (1, 2)
