"""Reading a ballot from a submitted form: one field `q-<question code>` per question."""

from flask_wtf import FlaskForm

from .services import InvalidBallot


class BallotForm(FlaskForm):
    """Only the CSRF token; the questions come from the vote."""


def field_name(question) -> str:
    """The form field of a question: `q-` and its code."""
    return f"q-{question.code}"


def answers_from(form_data, question_codes) -> dict[str, str | None]:
    """Question code -> chosen option code (None for blank); two answers to one question or a
    field for an unknown question are an InvalidBallot."""
    answers: dict[str, str | None] = {}
    known = {f"q-{code}": code for code in question_codes}
    for name in form_data:
        if name.startswith("q-") and name not in known:
            raise InvalidBallot(f"unknown field {name!r}")
    for name, code in known.items():
        values = [value.strip() for value in form_data.getlist(name) if value.strip()]
        if len(values) > 1:
            raise InvalidBallot(f"two answers to {code!r}")
        answers[code] = values[0] if values else None
    return answers
