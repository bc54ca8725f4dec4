"""A person's data rights: the export holds every part the features register, never a
ballot's choice; deletion leaves no personal data anywhere in the database (looked for the
way an attacker with a copy would), keeps the audit log complete and the results as they
were."""

import json
from datetime import date

import pytest
from sqlalchemy import JSON, String, Text, cast, func, select

from mitwirkung.accounts import services
from mitwirkung.core import audit, data_rights
from mitwirkung.core.models import AuditEntry, OutgoingMail
from mitwirkung.extensions import db
from mitwirkung.votes.models import InboxBallot, Participation, Vote
from mitwirkung.votes.paper import batches
from mitwirkung.votes.results.tally import tally

from .. import factories
from ..conftest import signed_in_client
from ..projects import factories as project_factories
from ..votes.factories import cast as cast_ballot
from ..votes.factories import make_vote

PERSON = {"username": "xq_person", "first_name": "Xenia", "last_name": "Quarkbrot",
          "email": "xenia.quarkbrot@example.org"}
PENDING = "xq.neu@example.org"
REASON = "Xenia Quarkbrot hat im Lesegarten gespammt"
# Records that must stay complete keep the tombstone of the account (its id, no name).
KEPT_REFERENCES = {"audit_log.actor_id", "paper_batches.entered_by_id", "users.id"}


@pytest.fixture
def context(app):
    """A request context of its own for calling services; requests of a test client made
    outside it load their signed-in user afresh (inside, flask-login would reuse `g`)."""

    def enter():
        return app.test_request_context()

    return enter


@pytest.fixture
def person(app, context, admin):
    """A staff member who voted, entered a paper batch, was blocked for a while, asked to
    change her address and got mail: someone the database knows a lot about."""
    with context():
        person = factories.user(role="staff", **PERSON)
        project = project_factories.project(title="Pfalztheater")
        vote = make_vote(project, title="Lesegarten", slug="lesegarten")
        cast_ballot(vote, person, {"entwurf": "B", "name": "C"})
        batch = batches.open_batch(vote, "Wochenmarkt", date(2023, 9, 12), person)
        batches.add_card(batch, "K-1", {"entwurf": "A", "name": "A"})
        batches.close_batch(batch, person)
        services.block(admin, person, REASON)
        services.unblock(admin, person)
        services.set_role(admin, person, "moderator")
        services.request_email_change(person, PENDING, factories.PASSWORD)
        services.request_password_reset(person.email)
        db.session.commit()
    return person


def test_the_export_holds_every_registered_part(app, person):
    data = json.loads(signed_in_client(app, person).get("/account/export").data)
    assert {part.name for part in data_rights.parts()} <= set(data)
    assert list(data)[:2] == ["exported_at", "account"]
    assert data["account"]["first_name"] == "Xenia"
    assert data["account"]["pending_email"] == PENDING
    assert data["account"]["role_label"] == "Moderation"
    [participation] = data["votes"]["participations"]
    assert participation["vote"] == "Lesegarten"
    assert participation["voted_on"] == date.today().isoformat()
    about = [entry["description"] for entry in data["audit_log"]["about_you"]]
    assert f"Konto xq_person gesperrt: {REASON}" in about
    assert "Rolle von xq_person geändert: Verwaltung → Moderation" in about
    by = [entry["description"] for entry in data["audit_log"]["by_you"]]
    assert "Stapel Wochenmarkt 12.09. abgeschlossen: 1 Karte" in by
    subjects = {mail["subject"] for mail in data["mails"]}
    assert {"Ihr Konto ist gesperrt", "Passwort zurücksetzen"} <= subjects


def test_the_export_never_holds_a_choice_a_secret_or_another_persons_mail(app, context,
                                                                           person):
    with context():
        taken = factories.user(email="schon.vergeben@example.org")
        services.request_password_reset(taken.email)  # mail to someone else ...
        services.request_email_change(person, taken.email, factories.PASSWORD)  # ... pending
        db.session.commit()
    response = signed_in_client(app, person).get("/account/export")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    # She chose B ("Verschlungene Wege") and C ("Grüne Mitte"): nothing says so.
    for choice in ("Verschlungene Wege", "Grüne Mitte", '"B"', '"C"', "entwurf"):
        assert choice not in text
    assert person.password_hash not in text and person.session_token not in text
    assert "schon.vergeben" not in json.dumps(json.loads(text)["mails"])


def test_every_part_is_exported_and_erased_for_an_account_with_nothing_in_it(app_ctx,
                                                                             citizen):
    data = services.export_data(citizen)
    assert data["votes"]["participations"] == [] and data["mails"] == []
    assert data["audit_log"] == {"about_you": [], "by_you": []}
    services.delete_account(citizen, factories.PASSWORD)
    assert citizen.deleted_at is not None


def all_text_values(table) -> list[str]:
    """Every text and JSON value of a table, as text."""
    columns = [cast(column, Text) for column in table.columns
               if isinstance(column.type, String | Text | JSON)]
    if not columns:
        return []
    return [str(value) for row in db.session.execute(select(*columns)) for value in row
            if value is not None]


def found_anywhere(secrets) -> list[tuple[str, str]]:
    """(table, value) of every text or JSON value holding one of `secrets`, in any case."""
    hits = []
    for table in db.metadata.sorted_tables:
        for value in all_text_values(table):
            # JSON keeps non-ASCII letters escaped; none of the secrets has any.
            if any(secret.lower() in value.lower() for secret in secrets):
                hits.append((table.name, value[:80]))
    return hits


def test_deletion_leaves_no_personal_data_in_any_table(app, person):
    person_id = person.id
    secrets = [*PERSON.values(), PENDING, REASON, "Quarkbrot", "xenia"]
    tables = {table for table, _value in found_anywhere(secrets)}
    assert {"users", "audit_log", "mail_outbox"} <= tables  # the search finds them ...
    signed_in_client(app, person).post("/account/delete", data={
        "current_password": factories.PASSWORD, "confirm": "y"})
    assert person.deleted_at is not None
    assert found_anywhere(secrets) == []  # ... and after the deletion nowhere
    # The account's id is left only where a record must stay complete, pointing at a row
    # that names nobody.
    referencing = set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            pointing = any(key.column.table.name == "users" for key in column.foreign_keys)
            if pointing or (table.name == "users" and column.name == "id"):
                if db.session.scalar(select(func.count()).where(column == person_id)):
                    referencing.add(f"{table.name}.{column.name}")
    assert referencing <= KEPT_REFERENCES, referencing
    assert db.session.scalar(select(func.count()).select_from(Participation)
                             .where(Participation.user_id == person_id)) == 0


def test_after_deletion_the_log_is_complete_and_names_a_deleted_account(app, context, admin,
                                                                         person):
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    with context():
        services.delete_account(person, factories.PASSWORD)
        db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before
    page = signed_in_client(app, admin).get("/admin/audit").get_data(as_text=True)
    assert "Konto (gelöscht) gesperrt<" in page  # the reason is gone with the name
    assert "Rolle von (gelöscht) geändert: Verwaltung → Moderation" in page
    assert "xq_person" not in page and "Quarkbrot" not in page
    with app.test_request_context():
        lines = audit.describe(audit.by_actor(person.id))
        assert lines and all(line.entry.actor.display_name == "gelöschtes Konto"
                             for line in lines)


def counts(results) -> list:
    return [(results.online_ballots, results.paper_ballots)] + [
        (question.code, option.code, option.count.online, option.count.paper)
        for question in results.questions for option in question.options
    ]


def test_deletion_changes_no_result_and_the_account_cannot_vote_again(app, context, person):
    with context():
        vote = db.session.get(Vote, db.session.scalar(select(Participation.vote_id)))
        before = counts(tally(vote))
        assert before[0] == (1, 1)
        services.delete_account(person, factories.PASSWORD)
        db.session.commit()
        assert counts(tally(vote)) == before
    assert not person.is_active
    login = app.test_client().post("/login", data={"login": PERSON["email"],
                                                   "password": factories.PASSWORD})
    assert "oder Passwort ist nicht richtig" in login.get_data(as_text=True)


def test_a_participation_that_still_locks_its_vote_stays_without_a_name(app, app_ctx,
                                                                        monkeypatch):
    # Fewer than k ballots cast: they wait in the inbox, and the participation is what keeps
    # the questions from being edited under them.
    monkeypatch.setitem(app.config, "BALLOT_MIX_SIZE", 10)
    voter = factories.user(**PERSON)
    vote = make_vote(project_factories.project())
    cast_ballot(vote, voter, {"entwurf": "A", "name": "A"})
    assert db.session.scalar(select(func.count()).select_from(InboxBallot)) == 1
    services.delete_account(voter, factories.PASSWORD)
    from mitwirkung.votes.services import ballots_exist

    assert ballots_exist(vote)
    [kept] = db.session.scalars(select(Participation)).all()
    assert kept.user_id == voter.id and voter.username.startswith("deleted-")


def test_mail_to_the_person_is_gone_and_none_is_sent_about_the_deletion(app, context, person):
    with context():
        services.delete_account(person, factories.PASSWORD)
        db.session.commit()
    recipients = set(db.session.scalars(select(OutgoingMail.recipient)))
    assert PERSON["email"] not in recipients and PENDING not in recipients


def test_the_delete_page_says_what_goes_and_what_stays(app, citizen):
    page = signed_in_client(app, citizen).get("/account/delete").get_data(as_text=True)
    assert "/account/export" in page  # download first
    assert "Protokoll" in page and "Abstimmung" in page
