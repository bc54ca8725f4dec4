"""What the card-entry pages answer the entry script (static/js/card-entry.js), for the
first entry and the check entry alike: JSON for a saved card (what the page shows after it)
and for a refused one (its errors, as the page would show them)."""

from flask import get_template_attribute, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext

from .cards import SerialGuide

REFUSED = 422  # a card with errors
CONFLICT = 409  # the batch takes no cards (any more): the message says why


def wants_json() -> bool:
    """True for the entry script's requests, which ask for JSON instead of a page."""
    return request.accept_mimetypes.best == "application/json"


def count_text(count: int, expected: int | None) -> str:
    """"37 of 120 cards entered", or "37 cards in this batch" when none are expected."""
    if expected is None:
        return ngettext("%(num)d card in this batch", "%(num)d cards in this batch", count)
    return ngettext("%(count)d of %(num)d card entered", "%(count)d of %(num)d cards entered",
                    expected, count=count)


def entry_refused(form, serial: str, *, status: int = REFUSED, message: str | None = None):
    """The entry script's answer for a card that was not saved: its errors by field id, the
    error summary as the page shows it, and the notice of the refused card."""
    summary = get_template_attribute("_macros/forms.html", "error_summary")
    errors = {field.id: [str(error) for error in field.errors] for field in form if field.errors}
    notice = render_template("votes/batches/_refused_card.html", form=form,
                             serial=(serial or "").strip(), message=message)
    return jsonify(saved=False, errors=errors, summary=str(summary(form)).strip(),
                   notice=notice), status


def _serial_note(name: str, guide: SerialGuide) -> str:
    """A macro of _serial_note.html, as the entry form shows it beside the card number."""
    return str(get_template_attribute("votes/batches/_serial_note.html", name)(guide)).strip()


def entry_saved(*, serial: str, count: int, count_text: str, guide: SerialGuide,
                cards_html: str):
    """The entry script's answer for a saved card: what the page shows after it."""
    return jsonify(
        saved=True, serial=serial, message=_("Card %(serial)s saved.", serial=serial),
        count=count, count_text=count_text, proposal=guide.proposal,
        pattern=guide.shape.pattern() if guide.shape else None,
        pattern_warning=_serial_note("pattern_warning", guide),
        note=_serial_note("misfit_note", guide), cards=cards_html,
    )


