"""Setting up a vote: the rules staff meet, called without a request."""

import io
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from mitwirkung.core import uploads
from mitwirkung.core.models import AuditEntry
from mitwirkung.core.time import local_to_utc, local_today, utc_to_local, utcnow
from mitwirkung.core.uploads import UploadRejected
from mitwirkung.extensions import db
from mitwirkung.votes import services
from mitwirkung.votes.casting import ballot_box
from mitwirkung.votes.casting import services as casting
from mitwirkung.votes.models import (
    Ballot,
    InboxBallot,
    OnlineTally,
    Option,
    PaperBatch,
    Participation,
    Question,
    Vote,
)
from mitwirkung.votes.paper import batches, tally_sheets
from mitwirkung.votes.paper.tally_sheets import SheetFigures
from mitwirkung.votes.results import final
from mitwirkung.votes.results.tally import tally
from mitwirkung.votes.setup import questions as vote_questions
from mitwirkung.votes.setup import services as setup

from ... import factories
from ...projects import factories as project_factories
from ..factories import cast, make_vote

OPENS = datetime(2023, 8, 21, 6, 0)
CLOSES = datetime(2023, 10, 31, 23, 0)


@pytest.fixture
def actor(app):
    return factories.user(role="staff")


@pytest.fixture
def project(app):
    return project_factories.project()


@pytest.fixture
def draft(project):
    return make_vote(project, slug="entwurf", status="draft", questions=[])


@pytest.fixture
def voted(project):
    """A published, open vote with one online ballot: its questions are locked."""
    vote = make_vote(project, slug="pfalztheater")
    cast(vote, factories.user(), {"entwurf": "A", "name": "A"})
    db.session.commit()
    return vote


@pytest.fixture
def uploaded_files(app, app_ctx):
    folder = Path(app.config["UPLOAD_DIR"])
    return lambda: {p.name for p in folder.glob("*")} if folder.exists() else set()


def vote_fields(**fields) -> dict:
    values = {
        "slug": "platz",
        "title": "Wie soll der Platz aussehen?",
        "description": "",
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "results_visibility": "after_close",
    }
    values.update(fields)
    return values


def option_fields(**fields) -> dict:
    values = {"code": "D", "title": "Neuer Entwurf", "text": "", "image_alt": ""}
    values.update(fields)
    return values


def audit_actions(vote: Vote) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.target_type == "votes", AuditEntry.target_id == vote.id)
            .order_by(AuditEntry.id)
        )
    )


def png() -> io.BytesIO:
    return io.BytesIO(project_factories.image_bytes("PNG"))


# Times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        (datetime(2023, 8, 21, 8, 0), datetime(2023, 8, 21, 6, 0)),  # summer time, UTC+2
        (datetime(2023, 12, 1, 8, 0), datetime(2023, 12, 1, 7, 0)),  # winter time, UTC+1
    ],
)
def test_local_berlin_time_is_stored_as_utc_and_shown_back_in_local_time(local, utc):
    assert local_to_utc(local) == utc
    assert utc_to_local(utc) == local


# Votes ---------------------------------------------------------------------------------


def test_new_vote_is_a_draft_of_its_project_and_is_audited(project, actor):
    vote = setup.create_vote(project, actor, **vote_fields(slug=" Platz "))
    assert (vote.slug, vote.status, vote.project_id) == ("platz", "draft", project.id)
    assert vote.created_by_id == actor.id
    assert audit_actions(vote) == ["vote.create"]


@pytest.mark.parametrize("slug", ["entwurf", "new"])
def test_vote_slug_must_be_unique_and_not_clash_with_a_page(project, actor, draft, slug):
    with pytest.raises(setup.SlugTaken):
        setup.create_vote(project, actor, **vote_fields(slug=slug))


@pytest.mark.parametrize("closes", [OPENS, datetime(2023, 8, 20)])
def test_vote_must_close_after_it_opens(project, actor, closes):
    with pytest.raises(setup.InvalidWindow):
        setup.create_vote(project, actor, **vote_fields(closes_at=closes))
    assert db.session.scalar(select(Vote).where(Vote.slug == "platz")) is None


def test_unknown_results_visibility_is_refused(project, actor):
    with pytest.raises(setup.InvalidVisibility):
        setup.create_vote(project, actor, **vote_fields(results_visibility="never"))


def test_update_changes_the_vote_and_records_what_changed(draft, actor):
    setup.update_vote(draft, actor, **vote_fields(slug="neu", title="Neu"))
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "vote.update")).one()
    assert draft.slug == "neu" and draft.title == "Neu"
    assert "slug" in entry.details["changed"] and "opens_at" in entry.details["changed"]


def test_update_to_another_votes_slug_is_refused(project, draft, actor):
    make_vote(project, slug="belegt")
    with pytest.raises(setup.SlugTaken):
        setup.update_vote(draft, actor, **vote_fields(slug="belegt"))


def test_dates_texts_and_visibility_still_move_once_ballots_exist(voted, actor):
    setup.update_vote(
        voted,
        actor,
        **vote_fields(slug="pfalztheater", title="Neu", results_visibility="after_close"),
    )
    assert (voted.opens_at, voted.closes_at, voted.title) == (OPENS, CLOSES, "Neu")
    assert voted.results_visibility == "after_close"


def test_slug_is_fixed_once_ballots_exist(voted, actor):
    with pytest.raises(setup.VoteLocked):
        setup.update_vote(voted, actor, **vote_fields(slug="anders"))
    assert voted.slug == "pfalztheater"


# Publishing ----------------------------------------------------------------------------


def test_vote_without_questions_cannot_be_published(draft, actor):
    with pytest.raises(setup.NotReady) as refused:
        setup.publish_vote(draft, actor)
    assert refused.value.problems == [("no_questions", None)]
    assert draft.status == "draft"


def test_vote_with_a_question_of_one_option_cannot_be_published(project, actor):
    vote = make_vote(
        project, status="draft", questions=[("entwurf", "Entwurf", [("A", "Offene Bühne")])]
    )
    with pytest.raises(setup.NotReady) as refused:
        setup.publish_vote(vote, actor)
    assert refused.value.problems == [("too_few_options", vote.questions[0])]


def test_ready_vote_is_published_and_audited(project, actor):
    vote = make_vote(project, status="draft")
    setup.publish_vote(vote, actor)
    assert vote.status == "published"
    assert audit_actions(vote) == ["vote.publish"]


def test_published_vote_cannot_be_published_again(project, actor):
    with pytest.raises(setup.AlreadyPublished):
        setup.publish_vote(make_vote(project), actor)


# Questions -----------------------------------------------------------------------------


def test_questions_without_position_go_last(draft, actor):
    first = vote_questions.add_question(draft, actor, code="entwurf", title="Entwurf", help_text="")
    second = vote_questions.add_question(draft, actor, code="name", title="Name", help_text="")
    assert (first.position, second.position) == (1, 2)
    assert [q.code for q in draft.questions] == ["entwurf", "name"]
    assert audit_actions(draft) == ["vote.question_add", "vote.question_add"]


def test_question_code_is_unique_within_the_vote(project, actor):
    vote = make_vote(project, status="draft")
    with pytest.raises(vote_questions.CodeTaken):
        vote_questions.add_question(vote, actor, code="Entwurf", title="Nochmal", help_text="")


def test_question_may_keep_its_own_code_when_edited(project, actor):
    vote = make_vote(project, status="draft")
    question = vote.questions[0]
    vote_questions.update_question(question, actor, code="entwurf", title="Neu", help_text="Hilfe")
    assert (question.title, question.help_text) == ("Neu", "Hilfe")
    assert audit_actions(vote) == ["vote.question_update"]


def test_question_code_serial_is_reserved_for_the_card_number(draft, actor):
    with pytest.raises(vote_questions.ReservedCode):
        vote_questions.add_question(draft, actor, code="serial", title="Nummer", help_text="")


def test_deleting_a_question_removes_its_options(project, actor):
    vote = make_vote(project, status="draft")
    vote_questions.delete_question(vote.questions[0], actor)
    assert [q.code for q in vote.questions] == ["name"]
    assert db.session.scalar(select(Option).where(Option.title == "Offene Bühne")) is None
    assert audit_actions(vote) == ["vote.question_delete"]


def test_published_vote_keeps_its_last_question(project, actor):
    vote = make_vote(project, questions=[("entwurf", "E", [("A", "a"), ("B", "b")])])
    with pytest.raises(vote_questions.StillNeeded):
        vote_questions.delete_question(vote.questions[0], actor)


# Options -------------------------------------------------------------------------------


def test_option_code_is_stored_in_capitals_and_goes_last(project, actor):
    vote = make_vote(project, status="draft")
    option = vote_questions.add_option(vote.questions[0], actor,
                                       **option_fields(code="d", title="Neu"))
    assert (option.code, option.position) == ("D", 4)
    assert audit_actions(vote) == ["vote.option_add"]


def test_option_code_is_unique_within_its_question_whatever_the_case(project, actor):
    vote = make_vote(project, status="draft")
    with pytest.raises(vote_questions.CodeTaken):
        vote_questions.add_option(vote.questions[0], actor, **option_fields(code="a"))


def test_same_option_code_may_appear_in_another_question(project, actor):
    vote = make_vote(project, status="draft")
    vote_questions.add_option(vote.questions[0], actor, **option_fields(code="D", title="Neu"))
    assert [o.code for o in vote.questions[1].options] == ["A", "B", "C", "D"]


@pytest.mark.parametrize(
    ("code", "title", "field"),
    [
        ("D", "a", "title"),  # a paper cell "a" would mean option A
        ("D", "offene bühne", "title"),
        ("D", "Ungültig", "title"),
        ("INVALID", "Neu", "code"),
    ],
)
def test_option_that_a_paper_cell_could_confuse_is_refused(project, actor, code, title, field):
    vote = make_vote(project, status="draft")
    with pytest.raises(vote_questions.AmbiguousOption) as refused:
        vote_questions.add_option(vote.questions[0], actor, **option_fields(code=code, title=title))
    assert refused.value.field == field
    assert len(vote.questions[0].options) == 3


def test_option_image_is_stored_and_replaced_and_removed(project, actor, uploaded_files):
    vote = make_vote(project, status="draft")
    option = vote_questions.add_option(
        vote.questions[0], actor, image=png(), **option_fields(code="D", image_alt="Plan D")
    )
    first = option.image
    assert first in uploaded_files() and option.image_alt == "Plan D"
    vote_questions.update_option(option, actor, image=png(),
                                 **option_fields(code="D", image_alt="Neu"))
    assert option.image != first and first not in uploaded_files()
    second = option.image
    vote_questions.update_option(option, actor, remove_image=True, **option_fields(code="D"))
    assert option.image is None and option.image_alt == ""
    assert second not in uploaded_files()


def test_option_with_a_fake_image_is_not_added(project, actor, uploaded_files):
    vote = make_vote(project, status="draft")
    before = uploaded_files()
    with pytest.raises(UploadRejected):
        vote_questions.add_option(
            vote.questions[0],
            actor,
            image=io.BytesIO(b"<svg onload=alert(1)>"),
            **option_fields(code="D", image_alt="x"),
        )
    assert len(vote.questions[0].options) == 3 and uploaded_files() == before


def test_deleting_an_option_deletes_its_image(project, actor, uploaded_files):
    vote = make_vote(project, status="draft")
    option = vote_questions.add_option(
        vote.questions[0], actor, image=png(), **option_fields(code="D", image_alt="Plan")
    )
    name = option.image
    vote_questions.delete_option(option, actor)
    assert [o.code for o in vote.questions[0].options] == ["A", "B", "C"]
    assert name not in uploaded_files()


def test_question_of_a_published_vote_keeps_two_options(project, actor):
    vote = make_vote(project, questions=[("entwurf", "E", [("A", "a"), ("B", "b")])])
    with pytest.raises(vote_questions.StillNeeded):
        vote_questions.delete_option(vote.questions[0].options[0], actor)
    assert len(vote.questions[0].options) == 2


# The lock ------------------------------------------------------------------------------


def test_vote_is_locked_once_the_first_ballot_exists(project, voted):
    assert setup.is_locked(voted)
    assert not setup.is_locked(make_vote(project))


@pytest.mark.parametrize(
    "change",
    [
        lambda v, a: vote_questions.add_question(v, a, code="neu", title="Neu", help_text=""),
        lambda v, a: vote_questions.update_question(
            v.questions[0], a, code="entwurf", title="Anders", help_text=""
        ),
        lambda v, a: vote_questions.delete_question(v.questions[0], a),
        lambda v, a: vote_questions.add_option(v.questions[0], a,
                                               **option_fields(code="D", title="X")),
        lambda v, a: vote_questions.update_option(
            v.questions[0].options[0], a, **option_fields(code="A", title="Anders")
        ),
        lambda v, a: vote_questions.delete_option(v.questions[1].options[3], a),
    ],
    ids=[
        "add question",
        "edit question",
        "delete question",
        "add option",
        "edit option",
        "delete option",
    ],
)
def test_questions_and_options_are_locked_once_ballots_exist(voted, actor, change):
    with pytest.raises(setup.VoteLocked):
        change(voted, actor)
    db.session.rollback()
    assert [q.title for q in db.session.scalars(select(Question).order_by(Question.id))] == [
        "Welcher Entwurf soll umgesetzt werden?",
        "Wie soll der Platz heißen?",
    ]
    assert len(db.session.scalars(select(Option)).all()) == 7
    assert db.session.scalar(select(Option.title).where(Option.code == "A")) == "Offene Bühne"
    assert audit_actions(voted) == []


# The list of votes ---------------------------------------------------------------------


def test_the_list_says_where_each_vote_stands_latest_opening_first(project):
    now = utcnow()
    make_vote(project, slug="entwurf", status="draft", opens_at=now + timedelta(days=3))
    make_vote(project, slug="geplant", opens_at=now + timedelta(days=2))
    make_vote(project, slug="offen", opens_at=now - timedelta(days=1))
    make_vote(project, slug="beendet", opens_at=now - timedelta(days=9),
              closes_at=now - timedelta(days=2))
    make_vote(project, slug="endgueltig", opens_at=now - timedelta(days=20),
              closes_at=now - timedelta(days=10), final_at=now - timedelta(days=5))
    rows = setup.all_votes()
    assert [(row.vote.slug, row.standing) for row in rows] == [
        ("entwurf", "draft"), ("geplant", "scheduled"), ("offen", "open"),
        ("beendet", "closed"), ("endgueltig", "final"),
    ]
    assert [str(row.standing.label) for row in rows] == [
        "Draft", "Scheduled", "Open", "Closed", "Result final"]


def test_the_list_counts_the_ballots_the_results_count(app_ctx, project, actor):
    vote = make_vote(project, slug="platz")
    other = make_vote(project, slug="anderer-platz")
    for choice in ("A", "B"):
        cast(vote, factories.user(), {"entwurf": choice})
    day = local_today()
    batches.import_batch(vote, b"serial,entwurf,name\n1,A,B\n2,B,\n3,,\n", station="Markt",
                         collected_on=day, entered_by=actor, file_name="markt.csv")
    void, _parsed = batches.import_batch(vote, b"serial,entwurf,name\n4,A,\n", station="Rathaus",
                                         collected_on=day, entered_by=actor, file_name="r.csv")
    batches.void_batch(void, actor, "doppelt")
    tally_sheets.enter_sheet(vote, station="Urne", collected_on=day, entered_by=actor,
                             figures=SheetFigures(4, {"entwurf": {"options": {"A": 4}},
                                                         "name": {"blank": 4}}))
    db.session.commit()
    rows = {row.vote.slug: row.ballots for row in setup.all_votes()}
    assert rows == {"platz": 2 + 3 + 4, "anderer-platz": 0}
    assert rows["platz"] == tally(vote).total_ballots
    assert tally(other).total_ballots == 0


# Asking before a deletion --------------------------------------------------------------


def test_what_a_deletion_would_meet_is_known_before_it_is_tried(project, voted, actor):
    vote = make_vote(project, status="draft")
    assert vote_questions.option_deletion_refused(vote.questions[0].options[0]) is None
    assert vote_questions.question_deletion_refused(vote.questions[0]) is None
    short = make_vote(project, questions=[("entwurf", "E", [("A", "a"), ("B", "b")])])
    assert isinstance(vote_questions.option_deletion_refused(short.questions[0].options[0]),
                      vote_questions.TooFewOptions)
    assert isinstance(vote_questions.question_deletion_refused(short.questions[0]),
                      vote_questions.LastQuestion)
    assert isinstance(vote_questions.option_deletion_refused(voted.questions[0].options[0]),
                      setup.VoteLocked)
    assert audit_actions(vote) == audit_actions(short) == []


# Closing early -------------------------------------------------------------------------


def _open(project, **fields):
    return make_vote(project, slug="offen", opens_at=utcnow() - timedelta(days=3),
                     closes_at=utcnow() + timedelta(days=7), **fields)


def test_an_open_vote_closes_now_by_the_server_clock_and_is_audited(project, actor):
    vote = _open(project)
    planned, version = vote.closes_at, vote.box_version
    before = utcnow()
    setup.close_now(vote, actor)
    db.session.commit()
    assert before <= vote.closes_at <= utcnow()
    assert services.phase(vote) == "closed" and vote.box_version != version
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "vote.close_now"))
    assert (entry.actor_id, entry.target_id) == (actor.id, vote.id)
    assert entry.details["planned"] == planned.isoformat()
    assert entry.details["closes_at"] == vote.closes_at.isoformat()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"status": "draft"}, setup.NotOpen),
        ({"opens_at": datetime(2099, 1, 1), "closes_at": datetime(2099, 2, 1)}, setup.NotOpen),
        ({"opens_at": OPENS, "closes_at": CLOSES}, setup.NotOpen),
        ({"opens_at": OPENS, "closes_at": CLOSES, "final_at": CLOSES}, setup.VoteFinal),
    ],
    ids=["draft", "upcoming", "closed", "final"],
)
def test_only_an_open_vote_closes_early(project, actor, fields, error):
    vote = make_vote(project, **fields)
    closes_at = vote.closes_at
    with pytest.raises(error):
        setup.close_now(vote, actor)
    db.session.rollback()
    assert vote.closes_at == closes_at and audit_actions(vote) == []


def test_no_ballot_is_taken_after_the_close_even_from_a_cached_ballot_box(project, actor):
    vote = _open(project)
    cast(vote, factories.user(), {"entwurf": "A"})
    box = ballot_box.read(vote.slug)  # this process keeps the box it read while open
    setup.close_now(vote, actor)
    db.session.commit()
    assert ballot_box.lookup(vote.slug) == (box, True)
    with pytest.raises(casting.StaleBallotBox):
        casting.cast_ballot(box, factories.user(), {"entwurf": "B"})
    with pytest.raises(casting.VoteNotOpen):
        casting.cast_online(vote.slug, factories.user(), MultiDict({"q-entwurf": "B"}))
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 1


def test_the_results_after_an_early_close_seal_the_vote_with_every_ballot(
    app, app_ctx, monkeypatch, project, actor
):
    monkeypatch.setitem(app.config, "BALLOT_MIX_SIZE", 3)
    vote = _open(project)
    for _n in range(7):
        cast(vote, factories.user(), {"entwurf": "B"})
    assert tally(vote).online_ballots == 3  # a group of 3 waits uncounted, and one in the inbox
    setup.close_now(vote, actor)
    db.session.commit()
    assert vote.sealed_at is None  # the close is noticed when the results are read
    results = tally(vote)
    assert results.online_ballots == 7 and results.online_waiting == 0
    assert vote.sealed_at is not None
    assert db.session.scalar(select(func.count()).select_from(InboxBallot)) == 0
    with pytest.raises(setup.AlreadyCounted):  # a sealed vote does not open again
        setup.update_vote(vote, actor, **vote_fields(slug="offen", opens_at=vote.opens_at,
                                                     closes_at=utcnow() + timedelta(days=1)))


def test_paper_cards_of_the_closing_day_still_count_after_an_early_close(
    app_ctx, project, actor
):
    vote = _open(project)
    setup.close_now(vote, actor)
    db.session.commit()
    today = local_today()
    batch, _parsed = batches.import_batch(vote, b"serial,entwurf,name\n1,A,B\n", station="Markt",
                                          collected_on=today, entered_by=actor, file_name="m.csv")
    assert batch.status == "counted"
    with pytest.raises(batches.CollectedAfterClose):
        batches.import_batch(vote, b"serial,entwurf,name\n2,A,B\n", station="Markt",
                             collected_on=today + timedelta(days=1), entered_by=actor,
                             file_name="n.csv")


# Copying (called without a request, services speak the default language, German) ------


def _setup_of(vote: Vote) -> list:
    return [
        (q.code, q.title, q.help_text, q.position,
         [(o.code, o.title, o.text, o.image_alt, o.position) for o in q.options])
        for q in vote.questions
    ]


def test_a_copy_is_a_new_draft_with_every_question_and_option(project, actor, uploaded_files):
    vote = make_vote(project, slug="platz", title="Wie soll der Platz aussehen?",
                     description="Drei **Entwürfe**", visibility="after_final",
                     double_entry=True)
    vote.questions[0].help_text = "Bitte einen wählen."
    vote_questions.add_option(vote.questions[0], actor, image=png(),
                     **option_fields(code="D", text="Mit Brunnen", image_alt="Plan D"))
    db.session.commit()
    copy = setup.copy_vote(vote, actor)
    db.session.commit()
    assert (copy.slug, copy.title) == ("platz-kopie", "Wie soll der Platz aussehen? (Kopie)")
    assert (copy.status, copy.project_id, copy.created_by_id) == ("draft", project.id, actor.id)
    assert (copy.description, copy.description_html) == (vote.description,
                                                         vote.description_html)
    assert (copy.results_visibility, copy.double_entry) == ("after_final", True)
    assert (copy.opens_at, copy.closes_at) == (vote.opens_at, vote.closes_at)
    assert _setup_of(copy) == _setup_of(vote) and len(copy.questions[0].options) == 4
    assert {q.id for q in copy.questions}.isdisjoint(q.id for q in vote.questions)
    original, copied = vote.questions[0].options[3].image, copy.questions[0].options[3].image
    assert copied != original and {original, copied} <= uploaded_files()
    folder = Path(uploads._upload_dir())
    assert (folder / copied).read_bytes() == (folder / original).read_bytes()
    assert audit_actions(copy) == ["vote.copy"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "vote.copy"))
    assert entry.details == {"slug": "platz-kopie", "source_id": vote.id, "source_slug": "platz"}


def test_a_copy_takes_no_ballots_batches_participations_or_results(app_ctx, project, actor):
    vote = make_vote(project, slug="platz")
    cast(vote, factories.user(), {"entwurf": "A"})
    batches.import_batch(vote, b"serial,entwurf,name\n1,A,B\n", station="Markt",
                         collected_on=local_today(), entered_by=actor, file_name="m.csv")
    setup.close_now(vote, actor)
    final.declare_final(vote, actor)
    db.session.commit()
    copy = setup.copy_vote(vote, actor)
    db.session.commit()
    assert (copy.sealed_at, copy.final_at, copy.mixes, copy.mixes_counted) == (None, None, 0, 0)
    assert copy.box_version != vote.box_version
    assert not setup.is_locked(copy) and not setup.double_entry_locked(copy)
    for model in (Participation, InboxBallot, Ballot, PaperBatch):
        assert db.session.scalar(select(func.count()).select_from(model)
                                 .where(model.vote_id == copy.id)) == 0
    ids = [q.id for q in copy.questions]
    assert db.session.scalar(select(func.count()).select_from(OnlineTally)
                             .where(OnlineTally.question_id.in_(ids))) == 0
    assert tally(copy).total_ballots == 0 and tally(vote).total_ballots == 2


def test_copies_are_numbered_and_a_copy_of_a_copy_counts_on(app_ctx, project, actor):
    vote = make_vote(project, slug="platz", title="Platz", status="draft")
    first = setup.copy_vote(vote, actor)
    second = setup.copy_vote(vote, actor)
    third = setup.copy_vote(first, actor)
    assert [v.slug for v in (first, second, third)] == [
        "platz-kopie", "platz-kopie-2", "platz-kopie-3"]
    assert [v.title for v in (first, second, third)] == [
        "Platz (Kopie)", "Platz (Kopie)", "Platz (Kopie) (Kopie)"]


def test_a_copy_of_a_long_slug_and_title_still_fits(app_ctx, project, actor):
    vote = make_vote(project, slug="a" * 70 + "-" + "b" * 9, title="T" * 200, status="draft")
    copies = [setup.copy_vote(vote, actor) for _n in range(2)]
    for copy in copies:
        assert len(copy.slug) <= setup.SLUG_MAX and re.match(setup.SLUG_PATTERN, copy.slug)
        assert len(copy.title) <= 200 and copy.title.endswith(" (Kopie)")
    assert copies[0].slug.endswith("-kopie") and copies[1].slug.endswith("-kopie-2")


def test_an_image_of_a_copy_belongs_to_the_copy_alone(project, actor, uploaded_files):
    vote = make_vote(project, slug="platz")
    vote_questions.add_option(vote.questions[0], actor, image=png(),
                     **option_fields(code="D", image_alt="Plan D"))
    db.session.commit()
    original = vote.questions[0].options[3].image
    copy = setup.copy_vote(vote, actor)
    copied = copy.questions[0].options[3].image
    assert services.upload_visibility(original) is True  # the published vote's image
    assert services.upload_visibility(copied) is False  # the draft's, for staff only
    vote_questions.delete_option(copy.questions[0].options[3], actor)
    assert original in uploaded_files() and copied not in uploaded_files()


def test_a_copy_that_loses_its_slug_to_another_vote_leaves_no_file(
    project, actor, uploaded_files, monkeypatch
):
    vote = make_vote(project, slug="platz", status="draft")
    vote_questions.add_option(vote.questions[0], actor, image=png(),
                     **option_fields(code="D", image_alt="Plan D"))
    db.session.commit()
    before = uploaded_files()
    monkeypatch.setattr(setup, "_copy_slug", lambda slug: "platz")  # taken meanwhile
    with pytest.raises(setup.SlugTaken):
        setup.copy_vote(vote, actor)
    assert uploaded_files() == before
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 1
