"""The ballot form: one field `q-<question code>` per question (read by
services.answers_from)."""

from ...core.forms import Form


class BallotForm(Form):
    """Only the CSRF token; the questions come from the vote."""


def field_name(question) -> str:
    """The form field of a question: `q-` and its code."""
    return f"q-{question.code}"
