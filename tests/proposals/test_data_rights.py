"""The ideas' part of a person's data: exported with where each idea stands and its
withdrawal; on erasure, ideas that were never public go (with their images), public ones
stay without their author, shown as by a deleted account."""

import io
import json
from pathlib import Path

from sqlalchemy import select

from mitwirkung.core import data_rights, uploads
from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.proposals.models import Idea, IdeaEvent

from ..projects import factories as project_factories
from . import factories
from .conftest import html


def test_the_export_holds_the_persons_ideas_with_status_and_withdrawals(as_, board, author,
                                                                         people):
    public = factories.idea(board, author, title="Öffentlich", category=board.categories[0],
                            status="accepted", answer="Wir machen das.")
    factories.idea(board, author, title="Wartend", state=ModerationState.PENDING)
    factories.idea(board, author, title="Zurückgezogen", withdrawn_at=utcnow(),
                   withdraw_reason="duplicate", withdraw_note="gibt es schon")
    factories.idea(board, people["other"], title="Von jemand anderem")
    response = as_("author").get("/account/export")
    data = json.loads(response.get_data())
    ideas = data["ideas"]["ideas"]
    assert [idea["title"] for idea in ideas] == ["Öffentlich", "Wartend", "Zurückgezogen"]
    first = ideas[0]
    assert (first["status"], first["answer"], first["category"]) == (
        "accepted", "Wir machen das.", board.categories[0].name)
    assert first["id"] == public.id and first["board_slug"] == "innenstadt"
    assert ideas[1]["moderation"] == "pending"
    assert ideas[2]["withdrawal"]["note"] == "gibt es schon"
    assert ideas[2]["withdrawal"]["reason"] == "a duplicate of another idea"


def test_erasure_deletes_ideas_never_public_and_keeps_public_ones_nameless(app, as_, board,
                                                                           author):
    with app.test_request_context():
        image = uploads.save_image(io.BytesIO(project_factories.image_bytes()))
    public = factories.idea(board, author, title="Bleibt")
    withdrawn = factories.idea(board, author, title="Bleibt auch", withdrawn_at=utcnow(),
                               withdraw_reason="other", withdraw_note="privat")
    pending = factories.idea(board, author, title="Geht", state=ModerationState.PENDING,
                             image=image, image_alt="x")
    rejected = factories.idea(board, author, title="Geht auch", state=ModerationState.REJECTED)
    db.session.add(IdeaEvent(idea_id=public.id, kind="status", from_value="submitted",
                             to_value="accepted", answer="Ja", actor_role="staff"))
    db.session.commit()
    pending_id, rejected_id = pending.id, rejected.id
    with app.test_request_context():
        data_rights.erase(author)
        db.session.commit()
    assert db.session.get(Idea, pending_id) is None and db.session.get(Idea, rejected_id) is None
    assert not (Path(app.config["UPLOAD_DIR"]) / image).exists()
    db.session.refresh(public)
    db.session.refresh(withdrawn)
    assert public.author_id is None and withdrawn.author_id is None
    assert withdrawn.withdraw_note == "" and public.submission_key is None
    assert len(db.session.scalars(select(IdeaEvent)).all()) == 1
    page = html(as_("visitor").get(f"/boards/innenstadt/ideas/{public.id}"))
    assert "deleted account" in page and "Bleibt" in page


def test_the_delete_page_says_what_happens_to_ideas(as_):
    page = html(as_("author").get("/account/delete"))
    assert "Ideas that were never published" in page
    assert "Published ideas stay" in page
