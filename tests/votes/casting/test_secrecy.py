"""Nothing links a ballot to the account that cast it."""

from sqlalchemy import inspect, select

from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, BallotAnswer, InboxBallot, Participation

from ... import factories
from ...projects import factories as project_factories
from ..factories import cast, make_vote

PERSONAL_HINTS = ("user", "account", "session", "ip", "agent", "created", "time", "_at", "date",
                  "participation")


def test_ballot_tables_have_no_column_that_could_identify_a_voter(app):
    for model in (Ballot, BallotAnswer, InboxBallot):
        columns = [column.name for column in inspect(model).columns]
        assert not [c for c in columns if any(hint in c for hint in PERSONAL_HINTS)], columns
        for key in inspect(model).columns:
            for foreign_key in key.foreign_keys:
                assert foreign_key.column.table.name not in ("users", "vote_participations")


def test_participation_holds_the_day_only(app):
    vote = make_vote(project_factories.project())
    cast(vote, factories.user(), {"entwurf": "A"})
    participation = db.session.scalar(select(Participation))
    assert type(participation.voted_on).__name__ == "date"


def test_receipt_and_vote_page_never_show_the_choice(app):
    from ...conftest import signed_in_client

    vote = make_vote(project_factories.project(), visibility="after_close")
    voter = factories.user()
    client = signed_in_client(app, voter)
    response = client.post(f"/votes/{vote.slug}/cast", data={"q-entwurf": "C", "q-name": "D"})
    assert response.headers["Location"] == f"/votes/{vote.slug}/receipt"
    assert db.session.scalar(select(Participation.user_id)) == voter.id
    counted = {answer.option_id for answer in db.session.scalars(select(BallotAnswer))}
    entwurf, name = vote.questions
    assert counted == {entwurf.options[2].id, name.options[3].id}  # Grünes Band, Lauterplatz
    for path in (f"/votes/{vote.slug}/receipt", "/account", "/account/export"):
        html = client.get(path).get_data(as_text=True)
        assert "Grünes Band" not in html and "Lauterplatz" not in html, path
    # The vote page lists every choice, for everyone alike, and marks none.
    page = client.get(f"/votes/{vote.slug}").get_data(as_text=True)
    assert "checked" not in page and page.count("Grünes Band") == page.count("Offene Bühne")
