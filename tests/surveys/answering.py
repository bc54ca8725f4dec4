"""Walking the answering pages in request tests: each page's hidden answers go with the
next post, as a browser sends them."""

import re

from sqlalchemy import func, select

from mitwirkung.extensions import db
from mitwirkung.surveys.models import SurveyAnswer, SurveyParticipation, SurveyResponse

TOKEN = re.compile(r'name="answers" value="([^"]*)"')
BUTTON = re.compile(r'name="action" value="(next|send)"')


def token_of(response) -> str:
    found = TOKEN.search(response.get_data(as_text=True))
    assert found, "no answering form on the page"
    return found.group(1)


def start(client, slug: str, js: bool = False):
    return client.get(f"/surveys/{slug}/answer" + ("?js=1" if js else ""))


def send(client, slug: str, page, data: dict, action: str | None = None, js: bool = False):
    """Send `page` (the last response) with `data` (field name -> value or list), by its
    main button (Next or Send) unless `action` says otherwise ("back")."""
    if action is None:
        action = BUTTON.search(page.get_data(as_text=True)).group(1)
    form = {"answers": token_of(page), "action": action, "js": "1" if js else ""}
    form.update(data)
    return client.post(f"/surveys/{slug}/answer", data=form)


def walk(client, slug: str, *pages: dict, js: bool = False):
    """Start and send each page's data in turn; the last response."""
    page = start(client, slug, js=js)
    assert page.status_code == 200, page.status_code
    for data in pages:
        page = send(client, slug, page, data, js=js)
    return page


def counts(survey) -> tuple[int, int, int]:
    """(participations, responses, answer rows) of the survey."""
    return tuple(db.session.scalar(select(func.count()).select_from(model).where(
        model.survey_id == survey.id))
        for model in (SurveyParticipation, SurveyResponse, SurveyAnswer))
