"""The base of every refusal a service raises: it carries its own translatable message, so a
view or command needs one `except` and says the same as every other place."""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """An operation refused for a reason the person can act on.

    Subclasses set `message` (lazy, with `%(name)s` placeholders filled from the keyword
    arguments) and, where the problem belongs to one form field, `field`."""

    message = _l("This cannot be done.")
    field: str | None = None

    def __init__(self, *args, **params):
        super().__init__(*args)
        self.params = params

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


def show_on_form(form, error: DomainError) -> bool:
    """Put `error` beside its field when the form has that field; False if it has none (the
    caller then shows it as a message)."""
    if error.field and error.field in form:
        form[error.field].errors.append(str(error))
        return True
    return False
