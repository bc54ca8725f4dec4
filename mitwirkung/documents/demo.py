"""Demo text: Kaiserslautern's guidelines for citizen participation, commented section by
section (as they were from 8 to 29 March 2024), in a second version that changed one
section after a comment on the first."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..accounts.models import User
from ..comments.models import Comment
from ..core.moderation import ModerationState
from ..core.time import local_to_utc, local_today
from ..extensions import db
from ..projects import services as projects
from ..projects.models import Project
from . import services
from .models import TextDocument

PROJECT_SLUG = "leitlinien-buergerbeteiligung"
TEXT_SLUG = "leitlinien"
RESIDENT_NAMES = ("lautrer_anna", "hkoch", "nachbarin_sabine", "marie.lautern", "tim_radelt")

PROJECT_TEXT = """\
Wie soll die Stadt Kaiserslautern ihre Bürgerinnen und Bürger beteiligen? Eine Arbeitsgruppe \
aus Bürgerschaft, Politik und Verwaltung hat Leitlinien entworfen. Kommentieren Sie den \
Entwurf Abschnitt für Abschnitt; der Stadtrat berät ihn danach mit Ihren Hinweisen.
"""

VERSION_1 = """\
Diese Leitlinien beschreiben, wie die Stadt Kaiserslautern Bürgerinnen und Bürger an \
Vorhaben beteiligt. Sie wurden von einer Arbeitsgruppe aus Bürgerschaft, Stadtrat und \
Verwaltung gemeinsam erarbeitet.

## Präambel

Gute Entscheidungen brauchen das Wissen der Menschen, die in der Stadt leben. \
Bürgerbeteiligung ergänzt die Arbeit des Stadtrats; sie ersetzt sie nicht. Die Stadt \
verpflichtet sich, Beteiligung verlässlich, frühzeitig und nachvollziehbar zu gestalten.

## 1. Ziele

- Bürgerinnen und Bürger erfahren früh von Vorhaben, die sie betreffen.
- Ihre Hinweise fließen sichtbar in die Entscheidungen ein.
- Politik, Verwaltung und Bürgerschaft begegnen sich mit Respekt.

## 2. Geltungsbereich

Die Leitlinien gelten für Vorhaben der Stadtverwaltung und ihrer Eigenbetriebe. Gesetzlich \
vorgeschriebene Beteiligungsverfahren, etwa in der Bauleitplanung, bleiben unberührt; die \
Leitlinien ergänzen sie.

## 3. Vorhabenliste

Die Stadt veröffentlicht **zweimal im Jahr** eine Liste ihrer wichtigen Vorhaben, mit \
Zeitplan, Kosten und Ansprechperson. Die Liste steht auf KLMitWirkung und liegt im Rathaus aus.

## 4. Anregung von Beteiligung

Beteiligung zu einem Vorhaben können anregen: der Stadtrat, die Verwaltung, die Ortsbeiräte \
und Bürgerinnen und Bürger mit 300 Unterschriften.

## 5. Beteiligungskonzept

Für jedes Beteiligungsverfahren entsteht ein Konzept: Wer wird beteiligt, wozu, wie und \
wann? Was ist noch entscheidbar, was steht bereits fest? Das Konzept wird veröffentlicht, \
bevor die Beteiligung beginnt.

## 6. Rückmeldung und Auswertung

Die Verwaltung berichtet, was aus den Beiträgen geworden ist und warum. Die Leitlinien \
werden nach zwei Jahren gemeinsam ausgewertet und, wo nötig, verbessert.
"""

VERSION_2 = VERSION_1.replace(
    "Die Stadt veröffentlicht **zweimal im Jahr** eine Liste ihrer wichtigen Vorhaben, mit "
    "Zeitplan, Kosten und Ansprechperson.",
    "Die Stadt veröffentlicht **vierteljährlich** eine Liste ihrer wichtigen Vorhaben, mit "
    "Zeitplan, Kosten, Ansprechperson und dem Hinweis, ob eine Beteiligung geplant ist.",
)

# (section key, version, resident number, days ago, text, reply to comment number)
COMMENTS = [
    ("3-vorhabenliste", 1, 0, 9, "Zweimal im Jahr ist zu selten: bis die Liste erscheint, ist "
     "manches schon entschieden. Besser wäre jedes Vierteljahr.", None),
    ("3-vorhabenliste", 1, 1, 8, "Und bitte auch sagen, ob zu einem Vorhaben eine Beteiligung "
     "geplant ist.", 0),
    ("1-ziele", 1, 2, 7, "Mir fehlt ein Ziel: Auch Menschen, die selten mitreden, sollen "
     "erreicht werden – Jugendliche, Menschen ohne deutschen Pass, Ältere.", None),
    ("4-anregung-von-beteiligung", 1, 3, 6, "300 Unterschriften sind für einen Stadtteil wie "
     "den Betzenberg viel. Vielleicht eine geringere Zahl für Vorhaben im Stadtteil?", None),
    ("6-rueckmeldung-und-auswertung", 2, 4, 2, "Gut, dass es eine Rückmeldung gibt. Bitte mit "
     "Frist, z. B. innerhalb von drei Monaten nach dem Ende der Beteiligung.", None),
]


def create_demo_texts(users: dict) -> None:
    """Add the guidelines' project and text unless they exist; the caller commits."""
    if db.session.scalar(select(TextDocument.id).where(TextDocument.slug == TEXT_SLUG)
                         .join(Project).where(Project.slug == PROJECT_SLUG)) is not None:
        return
    staff = users["staff"]
    project = db.session.scalar(select(Project).where(Project.slug == PROJECT_SLUG))
    if project is None:
        project = _project(staff)
    today = local_today()
    document, _report = services.create_text(
        project, staff, services.TextSettings(
            title="Leitlinien zur Bürgerbeteiligung", slug=TEXT_SLUG,
            comments_from=today - timedelta(days=10), comments_until=today + timedelta(days=11)),
        VERSION_1, depth=2)
    first = document.versions[0]
    first.created_at = _moment(-10)
    residents = _residents(users)
    made: list[Comment] = []
    for key, version, who, days, text, reply_to in COMMENTS:
        if version == 2 and document.current_version == 1:
            services.new_version(document, staff, VERSION_2, depth=2)
            services.latest_version(document).created_at = _moment(-4)
        made.append(_comment(document, key, version, residents[who % len(residents)], text,
                             days, made[reply_to].id if reply_to is not None else None,
                             users["moderator"]))
    # The demo citizen's own comment waits for a moderator: signed in, they see it pending.
    _comment(document, "5-beteiligungskonzept", 2, users["citizen"],
             "Das Konzept sollte auch sagen, wie viel Geld für die Beteiligung da ist.", 1,
             None, None)


def _project(staff) -> Project:
    today = local_today()
    project = projects.create_project(
        staff, title="Leitlinien für Bürgerbeteiligung", slug=PROJECT_SLUG,
        teaser="Kommentieren Sie den Entwurf der Leitlinien, Abschnitt für Abschnitt.",
        description=PROJECT_TEXT, image_alt="")
    projects.add_phase(project, staff, title="Kommentierung",
                       description="Den Entwurf Abschnitt für Abschnitt kommentieren.",
                       start_date=today - timedelta(days=10),
                       end_date=today + timedelta(days=11))
    projects.add_phase(project, staff, title="Beratung im Stadtrat",
                       description="Der Stadtrat berät die Leitlinien mit den Hinweisen.",
                       start_date=today + timedelta(days=30),
                       end_date=today + timedelta(days=60))
    projects.publish_project(project, staff)
    return project


def _residents(users: dict) -> list[User]:
    """Demo residents (made by the idea boards' demo), or the demo citizen alone."""
    people = db.session.scalars(select(User).where(User.username.in_(RESIDENT_NAMES))).all()
    by_name = {person.username: person for person in people}
    return [by_name[name] for name in RESIDENT_NAMES if name in by_name] or [users["citizen"]]


def _comment(document, key, version, author, text, days, parent_id, moderator) -> Comment:
    section = next(part for part in document.sections if part.key == key)
    comment = Comment(project_id=document.project_id, link_kind="section",
                      section_id=section.id, parent_id=parent_id, author_id=author.id,
                      text=text, version=version, created_at=_moment(-days),
                      moderation_state=ModerationState.APPROVED if moderator
                      else ModerationState.PENDING,
                      moderated_at=_moment(-days, 16) if moderator else None,
                      moderated_by_id=moderator.id if moderator else None)
    db.session.add(comment)
    db.session.flush()
    return comment


def _moment(days: int, hour: int = 10) -> datetime:
    return local_to_utc(datetime.combine(local_today() + timedelta(days=days), time(hour)))
