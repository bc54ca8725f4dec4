"""A vote's questions and their options (staff), while no ballot exists.

A code or title names an option on a paper card (votes/paper/parse.py), so no two options
of a question may share a word, and none may mean "invalid". A published vote keeps at
least one question, each with at least two options. Operations add and flush; the calling
view commits once. The vote itself: services.py, whose lock every change here takes first.
"""

from flask_babel import lazy_gettext as _l

from ...core import audit, uploads
from ...extensions import db
from ..models import Option, Question, Vote, VoteStatus
from .services import (
    SetupError,
    VoteFinal,
    VoteLocked,
    ensure_unlocked,
    is_locked,
    unique_guard,
)

QUESTION_CODE_PATTERN = r"^[a-z0-9_-]+$"
QUESTION_CODE_MAX = 32
OPTION_CODE_PATTERN = r"^[A-Za-z0-9]+$"
OPTION_CODE_MAX = 8
# Column and cell words of the paper-ballot CSV that a code or title must not take over.
RESERVED_QUESTION_CODES = frozenset({"serial"})
RESERVED_OPTION_WORDS = frozenset({"ungültig", "invalid"})


class CodeTaken(SetupError):
    field = "code"


class QuestionCodeTaken(CodeTaken):
    message = _l("Another question of this vote already uses this code.")


class OptionCodeTaken(CodeTaken):
    message = _l("Another option of this question already uses this code.")


class ReservedCode(SetupError):
    """The code is the paper-ballot CSV's card-number column."""

    message = _l("This code is reserved for the card number column.")
    field = "code"


class AmbiguousOption(SetupError):
    """A paper-ballot cell could not tell this option from another one (or from 'invalid');
    `field` is "code" or "title"."""

    MESSAGES = {
        "code": _l("This code is the title of another option or means invalid on paper cards."),
        "title": _l("This title is the code or title of another option or means invalid on "
                    "paper cards."),
    }

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field
        self.message = self.MESSAGES[field]


class StillNeeded(SetupError):
    """Deleting this would leave a published vote without a question, or a question of a
    published vote with fewer than two options."""


class LastQuestion(StillNeeded):
    message = _l("A published vote keeps at least one question.")


class TooFewOptions(StillNeeded):
    message = _l("A question of a published vote keeps at least two options.")


# Questions -----------------------------------------------------------------------------


def add_question(
    vote: Vote, actor, *, code: str, title: str, help_text: str, position: int | None = None
) -> Question:
    """Add a question to an unlocked vote; without a position it goes last."""
    ensure_unlocked(vote)
    code = _checked_question_code(vote, code, question_id=None)
    if position is None:
        position = max((q.position for q in vote.questions), default=0) + 1
    question = Question(
        code=code, title=title.strip(), help_text=help_text.strip(), position=position
    )
    with unique_guard(QuestionCodeTaken):
        vote.questions.append(question)
    audit.record(actor, "vote.question_add", vote, question_id=question.id, code=code)
    return question


def update_question(
    question: Question,
    actor,
    *,
    code: str,
    title: str,
    help_text: str,
    position: int | None = None,
) -> Question:
    """Change a question of an unlocked vote."""
    vote = question.vote
    ensure_unlocked(vote)
    code = _checked_question_code(vote, code, question_id=question.id)
    with unique_guard(QuestionCodeTaken):
        question.code = code
        question.title = title.strip()
        question.help_text = help_text.strip()
        if position is not None:
            question.position = position
    audit.record(actor, "vote.question_update", vote, question_id=question.id, code=code)
    return question


def question_deletion_refused(question: Question) -> SetupError | None:
    """Why deleting `question` would be refused now, None if it would not: the page that
    asks once more says so instead of offering the button."""
    return _refusal(_check_question_deletable, question)


def delete_question(question: Question, actor) -> None:
    """Remove a question and its options (and their images) from an unlocked vote."""
    vote = question.vote
    ensure_unlocked(vote)
    _check_question_deletable(question)
    images = [option.image for option in question.options if option.image]
    audit.record(actor, "vote.question_delete", vote, question_id=question.id, code=question.code)
    vote.questions.remove(question)
    db.session.flush()
    for name in images:
        uploads.delete(name)


def _check_question_deletable(question: Question) -> None:
    vote = question.vote
    if vote.status == VoteStatus.PUBLISHED and len(vote.questions) <= 1:
        raise LastQuestion()


def _checked_question_code(vote: Vote, code: str, question_id: int | None) -> str:
    code = code.strip().lower()
    if code in RESERVED_QUESTION_CODES:
        raise ReservedCode(code)
    if any(q.code == code and q.id != question_id for q in vote.questions):
        raise QuestionCodeTaken(code)
    return code


# Options -------------------------------------------------------------------------------


def add_option(
    question: Question,
    actor,
    *,
    code: str,
    title: str,
    text: str,
    image_alt: str,
    image=None,
    position: int | None = None,
) -> Option:
    """Add an option to a question of an unlocked vote; an uploaded image is re-encoded."""
    vote = question.vote
    ensure_unlocked(vote)
    code, title = _checked_option(question, code, title, option_id=None)
    if position is None:
        position = max((o.position for o in question.options), default=0) + 1
    stored = uploads.save_image(image) if image is not None else None
    option = Option(
        code=code,
        title=title,
        text=text.strip(),
        image=stored,
        image_alt=image_alt.strip() if stored else "",
        position=position,
    )
    with unique_guard(OptionCodeTaken, stored):
        question.options.append(option)
    audit.record(
        actor, "vote.option_add", vote, question_id=question.id, option_id=option.id, code=code
    )
    return option


def update_option(
    option: Option,
    actor,
    *,
    code: str,
    title: str,
    text: str,
    image_alt: str,
    image=None,
    remove_image: bool = False,
    position: int | None = None,
) -> Option:
    """Change an option of an unlocked vote; a new image replaces the old one."""
    question = option.question
    vote = question.vote
    ensure_unlocked(vote)
    code, title = _checked_option(question, code, title, option_id=option.id)
    old_image = option.image
    new_image = uploads.save_image(image) if image is not None else None
    with unique_guard(OptionCodeTaken, new_image):
        option.code = code
        option.title = title
        option.text = text.strip()
        if new_image or remove_image:
            option.image = new_image
        option.image_alt = image_alt.strip() if option.image else ""
        if position is not None:
            option.position = position
    if old_image and old_image != option.image:
        uploads.delete(old_image)
    audit.record(
        actor, "vote.option_update", vote, question_id=question.id, option_id=option.id, code=code
    )
    return option


def option_deletion_refused(option: Option) -> SetupError | None:
    """Why deleting `option` would be refused now, None if it would not."""
    return _refusal(_check_option_deletable, option)


def delete_option(option: Option, actor) -> None:
    """Remove an option (and its image) from a question of an unlocked vote."""
    question = option.question
    vote = question.vote
    ensure_unlocked(vote)
    _check_option_deletable(option)
    audit.record(
        actor,
        "vote.option_delete",
        vote,
        question_id=question.id,
        option_id=option.id,
        code=option.code,
    )
    image = option.image
    question.options.remove(option)
    db.session.flush()
    uploads.delete(image)


def _check_option_deletable(option: Option) -> None:
    question = option.question
    if question.vote.status == VoteStatus.PUBLISHED and len(question.options) <= 2:
        raise TooFewOptions()


def _checked_option(
    question: Question, code: str, title: str, option_id: int | None
) -> tuple[str, str]:
    """The code upper-cased and the title stripped, once neither clashes on a paper card.

    A paper cell names an option by code or title, ignoring case, so each word may
    stand for one option only.
    """
    code, title = code.strip().upper(), title.strip()
    others = [o for o in question.options if o.id != option_id]
    if any(o.code == code for o in others):
        raise OptionCodeTaken(code)
    if code.casefold() in RESERVED_OPTION_WORDS or any(
        code.casefold() == o.title.casefold() for o in others
    ):
        raise AmbiguousOption("code")
    taken = {o.code.casefold() for o in others} | {o.title.casefold() for o in others}
    if title.casefold() in taken | RESERVED_OPTION_WORDS:
        raise AmbiguousOption("title")
    return code, title


def _refusal(check, part: Question | Option) -> SetupError | None:
    """The error `check` or the lock would raise for deleting `part`, without locking."""
    vote = part.vote if isinstance(part, Question) else part.question.vote
    if vote.is_final:
        return VoteFinal()
    if is_locked(vote):
        return VoteLocked()
    try:
        check(part)
    except SetupError as error:
        return error
    return None
