"""How the audit log names votes and paper batches and says what was done to them."""

from datetime import date

from babel.dates import format_skeleton
from flask_babel import format_number, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import audit
from ..core.audit import quoted
from ..extensions import db
from .models import PaperBatch, TallyEntry, Vote

# What vote.update lists as changed, named as the vote's form names it.
VOTE_FIELDS = {
    "slug": _l("Web address (slug)"),
    "title": _l("Title"),
    "description": _l("Description"),
    "opens_at": _l("Opens at"),
    "closes_at": _l("Closes at"),
    "results_visibility": _l("Results visible"),
    "double_entry": _l("Double entry of paper ballots"),
}


def _load_votes(ids) -> dict[int, str]:
    query = select(Vote.id, Vote.title).where(Vote.id.in_(ids))
    return {id_: title for id_, title in db.session.execute(query)}


def _batch_label(batch: PaperBatch) -> dict:
    vote = db.session.get(Vote, batch.vote_id)
    return {"station": batch.station, "collected_on": batch.collected_on.isoformat(),
            "vote": vote.title if vote is not None else None}


def _load_batches(ids) -> dict[int, dict]:
    rows = db.session.execute(
        select(PaperBatch.id, PaperBatch.station, PaperBatch.collected_on, Vote.title)
        .join(Vote, Vote.id == PaperBatch.vote_id)
        .where(PaperBatch.id.in_(ids))
    )
    return {id_: {"station": station, "collected_on": day.isoformat(), "vote": title}
            for id_, station, day, title in rows}


def _show_batch(label: dict) -> str:
    """Station and day of collection: Wochenmarkt 12.09."""
    day = date.fromisoformat(label["collected_on"])
    return f"{label['station']} {format_skeleton('ddMM', day, locale=get_locale())}"


def _batch_context(label: dict) -> str | None:
    return _("Vote %(vote)s", vote=quoted(label["vote"])) if label.get("vote") else None


audit.register_target("votes", _l("Vote"), label=lambda vote: vote.title, load=_load_votes,
                      show=quoted)
audit.register_target("paper_batches", _l("Batch"), label=_batch_label, load=_load_batches,
                      show=_show_batch, context=_batch_context)


def _vote_sentence(action, name):
    return audit.sentence(action, name, target="votes")


def _batch_sentence(action, name):
    return audit.sentence(action, name, target="paper_batches")


def _cards(line) -> str:
    cards = int(line.get("cards", 0))
    return ngettext("%(count)s card", "%(count)s cards", cards, count=format_number(cards))


def _code(line) -> str:
    return quoted(line.get("code", "?"))


# Votes -------------------------------------------------------------------------------------


@_vote_sentence("vote.create", _l("Vote created"))
def _create(line):
    return _("Vote %(vote)s created", vote=line.target)


@_vote_sentence("vote.update", _l("Vote edited"))
def _update(line):
    changed = [str(VOTE_FIELDS.get(name, name)) for name in line.get("changed", [])]
    if not changed:
        return _("Vote %(vote)s saved without changes", vote=line.target)
    return _("Vote %(vote)s edited: %(fields)s", vote=line.target, fields=", ".join(changed))


@_vote_sentence("vote.publish", _l("Vote published"))
def _publish(line):
    return _("Vote %(vote)s published", vote=line.target)


@_vote_sentence("vote.close_now", _l("Vote closed early"))
def _close_now(line):
    return _("Vote %(vote)s closed early", vote=line.target)


@_vote_sentence("vote.copy", _l("Vote copied"))
def _copy(line):
    return _("Vote %(vote)s created as a copy of %(source)s", vote=line.target,
             source=quoted(line.get("source_slug", "?")))


@_vote_sentence("vote.final", _l("Result declared final"))
def _final(line):
    return _("Result of vote %(vote)s declared final: %(online)s online, %(paper)s on paper, "
             "%(tally)s from tally sheets", vote=line.target,
             online=format_number(int(line.get("online", 0))),
             paper=format_number(int(line.get("paper", 0))),
             tally=format_number(int(line.get("tally", 0))))


@_vote_sentence("vote.question_add", _l("Question added"))
def _question_add(line):
    return _("Question %(code)s added to vote %(vote)s", code=_code(line), vote=line.target)


@_vote_sentence("vote.question_update", _l("Question edited"))
def _question_update(line):
    return _("Question %(code)s of vote %(vote)s edited", code=_code(line), vote=line.target)


@_vote_sentence("vote.question_delete", _l("Question deleted"))
def _question_delete(line):
    return _("Question %(code)s of vote %(vote)s deleted", code=_code(line), vote=line.target)


@_vote_sentence("vote.option_add", _l("Option added"))
def _option_add(line):
    return _("Option %(code)s added to vote %(vote)s", code=_code(line), vote=line.target)


@_vote_sentence("vote.option_update", _l("Option edited"))
def _option_update(line):
    return _("Option %(code)s of vote %(vote)s edited", code=_code(line), vote=line.target)


@_vote_sentence("vote.option_delete", _l("Option deleted"))
def _option_delete(line):
    return _("Option %(code)s of vote %(vote)s deleted", code=_code(line), vote=line.target)


# Paper batches -----------------------------------------------------------------------------


@_batch_sentence("paper.import", _l("Batch imported"))
def _import(line):
    if line.get("file"):
        return _("Batch %(batch)s imported from the file %(file)s: %(cards)s", batch=line.target,
                 file=quoted(line.get("file")), cards=_cards(line))
    return _("Batch %(batch)s imported: %(cards)s", batch=line.target, cards=_cards(line))


@_batch_sentence("paper.close", _l("Batch closed"))
def _close(line):
    return _("Batch %(batch)s closed: %(cards)s", batch=line.target, cards=_cards(line))


@_batch_sentence("paper.void", _l("Batch declared void"))
def _void(line):
    return _("Batch %(batch)s declared void: %(reason)s", batch=line.target,
             reason=line.get("reason"))


@_batch_sentence("paper.tally", _l("Tally sheet entered"))
def _tally(line):
    return _("Tally sheet %(batch)s entered: %(cards)s", batch=line.target, cards=_cards(line))


@_batch_sentence("paper.tally_entry", _l("Tally sheet entry saved"))
def _tally_entry(line):
    return _("Tally sheet %(batch)s: %(entry)s saved, %(cards)s", batch=line.target,
             entry=TallyEntry.label_of(line.get("entry")), cards=_cards(line))


@_batch_sentence("paper.confirm", _l("Batch confirmed"))
def _confirm(line):
    return _("Batch %(batch)s confirmed by its check entry: %(cards)s count", batch=line.target,
             cards=_cards(line))


@_batch_sentence("paper.check_import", _l("Check entry imported"))
def _check_import(line):
    return _("Check entry of batch %(batch)s imported from the file %(file)s: %(cards)s",
             batch=line.target, file=quoted(line.get("file", "?")), cards=_cards(line))


@_batch_sentence("paper.check_discard", _l("Check entry discarded"))
def _check_discard(line):
    return _("Check entry of batch %(batch)s discarded: %(cards)s", batch=line.target,
             cards=_cards(line))


@_batch_sentence("paper.correct", _l("Card corrected while checking"))
def _correct(line):
    serial, batch = line.get("serial", "?"), line.target
    change = line.get("change")
    if change == "add":
        return _("Card %(serial)s added to batch %(batch)s while checking", serial=serial,
                 batch=batch)
    if change == "delete":
        return _("Card %(serial)s removed from batch %(batch)s while checking", serial=serial,
                 batch=batch)
    if line.get("new_serial") and line.get("new_serial") != serial:
        return _("Card %(serial)s of batch %(batch)s corrected while checking, now card "
                 "%(new)s", serial=serial, batch=batch, new=line.get("new_serial"))
    return _("Card %(serial)s of batch %(batch)s corrected while checking", serial=serial,
             batch=batch)
