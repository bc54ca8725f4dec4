"""Demo idea boards (idempotent): Stadt.Raum.Wir., events for Kaiserslautern's inner city,
with ideas in every state, supports and answers; and "Ich mach was in KL", an ideas
competition in its admissibility check.

Ideas come from a few demo residents whose accounts cannot log in (no password): they
are there to have written and supported ideas. Dates count from the day of loading.
"""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..accounts.models import User
from ..core.moderation import ModerationState
from ..core.time import local_to_utc, local_today
from ..extensions import db
from ..projects import services as projects
from ..projects.models import Project
from .models import (
    Board,
    BoardStatus,
    Category,
    EventKind,
    Idea,
    IdeaEvent,
    IdeaStatus,
    Support,
    WithdrawReason,
)

STADT_RAUM_WIR = "stadt-raum-wir-ideen"
COMPETITION = "ich-mach-was-in-kl"

# (username, first name): confirmed residents without a password.
RESIDENTS = [
    ("lautrer_anna", "Anna"), ("jonas.k", "Jonas"), ("mia_betzenberg", "Mia"),
    ("familie.yilmaz", "Elif"), ("stiftsplatz_fan", "Peter"), ("lea.musik", "Lea"),
    ("hkoch", "Hans"), ("nachbarin_sabine", "Sabine"), ("tim_radelt", "Tim"),
    ("oma_gerda", "Gerda"), ("kl_kreativ", "Noah"), ("marie.lautern", "Marie"),
]

DESCRIPTION = """\
Was soll in der Innenstadt von Kaiserslautern los sein? Schlagen Sie Veranstaltungen vor –
vom Straßenmusikabend bis zum Nachbarschaftsfrühstück – und unterstützen Sie die Ideen
anderer, die Ihnen gefallen.

Die Stadtverwaltung beantwortet jede Idee öffentlich. Die beliebtesten setzen wir gemeinsam
mit Ihnen um.
"""

CATEGORIES = [
    ("Musik und Kultur", "#7b2d8e"),
    ("Markt und Kulinarik", "#a14a00"),
    ("Kinder und Familie", "#1d6b35"),
    ("Sport und Bewegung", "#0b5a8a"),
    ("Nachbarschaft und Mitmachen", "#8a1c1c"),
]

# Answers as (status, text, days after submitting).
ANSWERS = {
    "review": [("in_review", "Danke für die Idee! Wir prüfen mit dem Ordnungsamt, ob und wo "
                "das in der Innenstadt möglich ist.", 6)],
    "accepted": [
        ("in_review", "Danke! Wir klären Ort, Termin und Genehmigungen.", 5),
        ("accepted", "Die Idee wird umgesetzt. Den Termin geben wir hier und in der Presse "
         "bekannt; wer mithelfen möchte, meldet sich beim Kulturreferat.", 12),
    ],
    "implemented": [
        ("in_review", "Wir prüfen die Idee mit den Veranstaltern in der Innenstadt.", 4),
        ("accepted", "Die Idee ist angenommen und wird für den Sommer geplant.", 10),
        ("implemented", "Umgesetzt: Die erste Ausgabe fand mit rund 400 Gästen statt. "
         "Danke an alle, die mitgemacht haben!", 30),
    ],
    "rejected": [
        ("in_review", "Wir prüfen, ob die Idee an diesem Ort möglich ist.", 3),
        ("rejected", "Leider nicht möglich: Der Platz ist in diesem Jahr wegen der "
         "Bauarbeiten gesperrt. Wir nehmen die Idee für das nächste Jahr mit.", 9),
    ],
}

# (title, text, category, place, days ago, state, answers, supporters)
# state: "public", "pending", "withdrawn", "rejected" (by the moderators).
IDEAS = [
    ("Straßenmusikabend in der Fackelstraße",
     "Einmal im Monat an einem Freitagabend spielen lokale Bands und Solokünstler an "
     "mehreren Ecken der Fackelstraße. Ohne Bühne, ohne Eintritt – einfach Musik, die "
     "Menschen in die Stadt holt.", 0, "Fackelstraße", 40, "public", "implemented", 11),
    ("Open-Air-Kino auf dem Stiftsplatz",
     "An drei Sommerabenden eine große Leinwand vor der Stiftskirche: Klassiker, Filme aus "
     "der Region und ein Abend für Kinder. Stühle bringt jede und jeder selbst mit.", 0,
     "Stiftsplatz", 38, "public", "accepted", 12),
    ("Lange Nacht der Chöre",
     "Chöre aus Kaiserslautern singen an einem Abend in Kirchen und auf Plätzen der "
     "Innenstadt, jeweils eine halbe Stunde. Wer mag, zieht von Ort zu Ort.", 0,
     "Stiftskirche und Umgebung", 35, "public", "review", 7),
    ("Jazz am Schillerplatz",
     "Sonntags um 11 Uhr ein Jazz-Frühschoppen am Schillerplatz, im Wechsel mit Schülerbands "
     "der Musikschule.", 0, "Schillerplatz", 33, "public", None, 6),
    ("Poetry-Slam unter freiem Himmel",
     "Ein Slam-Abend auf den Stufen vor dem Pfalztheater, offen für alle, die einen eigenen "
     "Text vortragen wollen.", 0, "Vor dem Pfalztheater", 30, "public", "rejected", 4),
    ("Tag der offenen Ateliers in der Altstadt",
     "Künstlerinnen und Künstler der Altstadt öffnen an einem Samstag ihre Ateliers; ein "
     "Plan zeigt den Rundgang.", 0, "Altstadt, Steinstraße", 29, "public", None, 5),
    ("Feierabendmarkt auf dem Martinsplatz",
     "Jeden Donnerstag ab 17 Uhr regionale Erzeuger, Weinstände aus der Pfalz und Streetfood. "
     "Ein Treffpunkt nach der Arbeit, mitten in der Stadt.", 1, "Martinsplatz", 42, "public",
     "implemented", 12),
    ("Pfälzer Weinfest in der Innenstadt",
     "Winzerinnen und Winzer aus der Umgebung schenken an einem Wochenende im September "
     "aus; dazu Musik und Pfälzer Küche.", 1, "Schillerplatz", 36, "public", "accepted", 10),
    ("Internationales Streetfood-Festival",
     "Die vielen Küchen der Stadt an einem Ort: Vereine und Familien kochen Gerichte aus "
     "ihrer Heimat.", 1, "Stiftsplatz", 27, "public", "review", 9),
    ("Flohmarkt für Kinder",
     "Kinder verkaufen Spielsachen und Bücher, die sie nicht mehr brauchen. Nur Kinder "
     "dürfen Stände anmelden.", 2, "Fußgängerzone Marktstraße", 34, "public", None, 8),
    ("Kreidemal-Tag in der Fußgängerzone",
     "Einen Nachmittag lang wird die Fußgängerzone zur Leinwand: Kinder und Erwachsene "
     "malen mit Straßenkreide, am Ende gibt es einen Rundgang.", 2, "Kerststraße", 31,
     "public", "accepted", 9),
    ("Vorlesestunde im Japanischen Garten",
     "Im Sommer samstags eine Vorlesestunde für Kinder bis zehn Jahre, gestaltet von "
     "Ehrenamtlichen der Stadtbibliothek.", 2, "Japanischer Garten", 25, "public", None, 4),
    ("Laternenumzug durch die Altstadt",
     "Ein gemeinsamer Laternenumzug aller Kitas der Innenstadt im November, mit Musik und "
     "warmem Kinderpunsch am Ende.", 2, "Altstadt", 22, "public", None, 3),
    ("Spielstraße am Sonntag",
     "Einmal im Monat wird eine Straße der Innenstadt für Autos gesperrt, damit Kinder dort "
     "spielen können.", 2, "Pirmasenser Straße", 20, "public", "review", 6),
    ("Innenstadtlauf bei Nacht",
     "Ein Fünf-Kilometer-Lauf durch die beleuchtete Innenstadt, mit Startgeld für einen "
     "guten Zweck.", 3, "Start am Rathaus", 37, "public", "accepted", 8),
    ("Yoga im Park am Sonntagmorgen",
     "Kostenloses Yoga für alle im Volkspark, angeleitet von Vereinen der Stadt.", 3,
     "Volkspark", 28, "public", None, 5),
    ("Boule-Turnier auf dem Schillerplatz",
     "Ein lockeres Turnier für Jung und Alt, Kugeln werden gestellt.", 3, "Schillerplatz",
     24, "public", None, 2),
    ("Radtour zu den Plätzen der Innenstadt",
     "Eine geführte Radtour, die zeigt, wie sich die Plätze der Stadt verändert haben, mit "
     "Halt an jedem Platz.", 3, "Start am Hauptbahnhof", 18, "public", None, 3),
    ("Skate-Contest auf dem Rathausvorplatz",
     "Ein Nachmittag für die Skate- und BMX-Szene der Stadt mit mobilen Rampen.", 3,
     "Rathausvorplatz", 15, "public", "rejected", 5),
    ("Nachbarschaftsfrühstück an einer langen Tafel",
     "Eine lange Tafel quer über den Stiftsplatz; jede und jeder bringt etwas zum Frühstück "
     "mit. So lernen sich Nachbarn kennen.", 4, "Stiftsplatz", 39, "public", "implemented",
     10),
    ("Repair-Café in der Stadtbibliothek",
     "Einmal im Monat reparieren Ehrenamtliche mit den Besuchern Toaster, Fahrräder und "
     "Kleidung.", 4, "Stadtbibliothek", 26, "public", None, 7),
    ("Pflanzentauschbörse",
     "Im Frühjahr tauschen Hobbygärtnerinnen Ableger, Samen und Tipps.", 4, "Martinsplatz",
     21, "public", None, 4),
    ("Stadtputz mit anschließendem Picknick",
     "Gemeinsam die Innenstadt aufräumen und danach zusammen essen.", 4, "Treffpunkt "
     "Fackelbrunnen", 19, "public", "review", 6),
    ("Erzählcafé: Kaiserslautern früher",
     "Ältere Lauterer erzählen, wie die Innenstadt früher aussah; dazu alte Fotos.", 4,
     "Theodor-Zink-Museum", 16, "public", None, 5),
    ("Sommerfest der Kulturen",
     "Vereine aus aller Welt stellen sich mit Musik, Tanz und Essen vor.", 0, "Stiftsplatz",
     12, "public", None, 3),
    ("Lichterfest an der Kaiserpfalz",
     "Die Mauern der Kaiserpfalz werden an einem Herbstabend farbig beleuchtet, mit leiser "
     "Musik.", 0, "Kaiserpfalz", 10, "public", None, 2),
    ("Silent Disco auf dem Schillerplatz",
     "Tanzen mit Kopfhörern, damit die Nachbarn schlafen können.", 0, "Schillerplatz", 3,
     "pending", None, 0),
    ("Wochenmarkt auch am Samstagnachmittag",
     "Der Wochenmarkt sollte samstags bis 16 Uhr geöffnet bleiben.", 1, "Stiftsplatz", 2,
     "pending", None, 0),
    ("Schach im Freien",
     "Große Schachfiguren auf dem Martinsplatz, die jeder benutzen darf.", 3, "Martinsplatz",
     1, "pending", None, 0),
    ("Straßenmusik jeden Freitag",
     "Freitags Musik in der Fackelstraße.", 0, "Fackelstraße", 14, "withdrawn", None, 0),
    ("Autorennen durch die Innenstadt",
     "Ein Autorennen auf einem Rundkurs durch die Innenstadt.", 3, "Innenstadt", 8,
     "rejected", None, 0),
]

COMPETITION_DESCRIPTION = """\
**Ich mach was in KL** – der Ideenwettbewerb für alle, die Kaiserslautern selbst
gestalten wollen. Gesucht sind Projekte, die Sie mit Nachbarn, Vereinen oder Freunden
umsetzen: Die drei Ideen mit den meisten Unterstützungen erhalten je **7.500 Euro**.
"""

COMPETITION_RULES = """\
1. Teilnehmen können alle, die in Kaiserslautern wohnen, und Vereine und Initiativen aus
   Kaiserslautern.
2. Die Idee wird in Kaiserslautern umgesetzt und ist für die Öffentlichkeit zugänglich.
3. Die Umsetzung ist innerhalb eines Jahres möglich und kostet höchstens 7.500 Euro.
4. Die Stadt prüft jede Idee auf ihre Zulässigkeit, bevor die Unterstützungsphase beginnt.
5. Die drei zulässigen Ideen mit den meisten Unterstützungen werden gefördert.
"""

COMPETITION_CATEGORIES = [("Grün und Klima", "#1d6b35"), ("Kultur", "#7b2d8e"),
                          ("Miteinander", "#0b5a8a")]

# (title, text, category, place, days ago, feasibility, reason, shortlisted)
COMPETITION_IDEAS = [
    ("Essbare Innenstadt",
     "Hochbeete mit Kräutern und Gemüse an fünf Plätzen der Innenstadt, gepflegt von "
     "Patenschaften aus der Nachbarschaft. Ernten darf jede und jeder.", 0, "Innenstadt",
     20, "feasible", "Zulässig: Die Flächen gehören der Stadt; das Grünflächenamt hat "
     "zugestimmt.", True),
    ("Trinkbrunnen-Karte und Wasserpatenschaften",
     "Eine Karte aller Trinkbrunnen und Paten, die im Sommer leere Flaschen auffüllen.", 0,
     "", 18, "feasible", "", False),
    ("Tauschregal in jeder Bushaltestelle",
     "Kleine Bücher- und Tauschregale in den Wartehäuschen der Innenstadt.", 2, "", 17,
     "not_feasible", "Nicht zulässig: Die Wartehäuschen gehören den Stadtwerken und dürfen "
     "nicht bebaut werden; eine Umsetzung an anderen Orten ist als neue Idee möglich.",
     False),
    ("Sommerbühne für junge Bands",
     "Eine mobile Bühne, die Schülerbands an Wochenenden kostenlos nutzen können.", 1,
     "Stiftsplatz", 16, "feasible", "Zulässig: Stromanschluss und Genehmigung sind "
     "vorhanden.", True),
    ("Graffiti-Wand für alle",
     "Eine legale Wand, an der Sprayerinnen und Sprayer üben und gestalten dürfen.", 1,
     "Unterführung am Hauptbahnhof", 15, None, "", False),
    ("Neues Fußballstadion in der Innenstadt",
     "Ein kleines Stadion für Amateurvereine auf dem Messeplatz.", 2, "Messeplatz", 14,
     "not_feasible", "Nicht zulässig: Die Kosten liegen weit über 7.500 Euro.", False),
    ("Nachbarschafts-Werkzeugverleih",
     "Ein Container mit Werkzeug, das Nachbarn gegen Pfand ausleihen.", 2, "Unionviertel", 13,
     None, "", False),
    ("Blühstreifen an der Lauterstraße",
     "Wildblumen statt Rasen an der Lauterstraße, gesät mit Schulklassen.", 0,
     "Lauterstraße", 11, "feasible", "", False),
]


def create_demo_boards(users: dict) -> None:
    """Add the demo boards unless their slugs exist; the caller commits."""
    residents = _residents()
    if not _exists(STADT_RAUM_WIR):
        project = db.session.scalar(select(Project).where(Project.slug == "stadt-raum-wir"))
        if project is not None:
            _stadt_raum_wir(project, users, residents)
    if not _exists(COMPETITION):
        _competition(users, residents)


def _exists(slug: str) -> bool:
    return db.session.scalar(select(Board.id).where(Board.slug == slug)) is not None


def _residents() -> list[User]:
    """The demo residents, created where missing: confirmed, without a password."""
    people = []
    for number, (username, first_name) in enumerate(RESIDENTS, start=1):
        person = db.session.scalar(select(User).where(User.username == username))
        if person is None:
            person = User(username=username, first_name=first_name, last_name="Demo",
                          email=f"demo{number}@mitwirkung.example",
                          password_hash=None, role="citizen", confirmed_at=_moment(-60),
                          privacy_accepted_at=_moment(-60))
            db.session.add(person)
            db.session.flush()
        people.append(person)
    return people


def _moment(days: int, hour: int = 10) -> datetime:
    """A stored (UTC) time `days` from today, at `hour` local time."""
    return local_to_utc(datetime.combine(local_today() + timedelta(days=days), time(hour)))


def _stadt_raum_wir(project: Project, users: dict, residents: list[User]) -> None:
    today = local_today()
    board = Board(project_id=project.id, slug=STADT_RAUM_WIR,
                  title="Stadt.Raum.Wir. – Ideen für die Innenstadt", description=DESCRIPTION,
                  status=BoardStatus.PUBLISHED, submit_until=today + timedelta(days=60),
                  support_from=today - timedelta(days=45),
                  support_until=today + timedelta(days=120), premoderation=True,
                  created_by_id=users["staff"].id, created_at=_moment(-50))
    board.categories = [Category(name=name, colour=colour, position=position)
                        for position, (name, colour) in enumerate(CATEGORIES)]
    db.session.add(board)
    db.session.flush()
    for number, (title, text, category, place, days, state, answers, supporters) in enumerate(
            IDEAS):
        # The demo citizen wrote one public and one pending idea: logged in, they see both.
        author = users["citizen"] if number in (3, 27) else residents[number % len(residents)]
        idea = _idea(board, author, title, text, board.categories[category], place, -days,
                     state, users["moderator"])
        for status, answer, after in ANSWERS.get(answers, []):
            _event(idea, users["staff"], EventKind.STATUS, idea.status, status, answer,
                   -days + after)
            idea.status, idea.answer = status, answer
        _support(idea, [person for person in residents if person.id != author.id][:supporters])


def _competition(users: dict, residents: list[User]) -> None:
    from ..projects.demo import _demo_image

    today = local_today()
    project = db.session.scalar(select(Project).where(Project.slug == COMPETITION))
    if project is None:
        import io

        project = projects.create_project(
            users["staff"], title="Ich mach was in KL", slug=COMPETITION,
            teaser="Der Ideenwettbewerb: Drei Projekte von Bürgerinnen und Bürgern erhalten "
            "je 7.500 Euro.", description=COMPETITION_DESCRIPTION,
            image_alt="Hände, die gemeinsam ein Hochbeet bepflanzen",
            image=io.BytesIO(_demo_image((120, 160, 60), (200, 120, 40))))
        projects.publish_project(project, users["staff"])
    board = Board(project_id=project.id, slug=COMPETITION, title="Ich mach was in KL 2026",
                  description=COMPETITION_DESCRIPTION, rules=COMPETITION_RULES,
                  status=BoardStatus.PUBLISHED, competition=True, premoderation=True,
                  submit_until=today - timedelta(days=3), support_from=today + timedelta(days=10),
                  support_until=today + timedelta(days=31), support_limit=3,
                  created_by_id=users["staff"].id, created_at=_moment(-30))
    board.categories = [Category(name=name, colour=colour, position=position)
                        for position, (name, colour) in enumerate(COMPETITION_CATEGORIES)]
    db.session.add(board)
    db.session.flush()
    for number, (title, text, category, place, days, feasibility, reason,
                 shortlisted) in enumerate(COMPETITION_IDEAS):
        idea = _idea(board, residents[(number * 5) % len(residents)], title, text,
                     board.categories[category], place, -days, "public", users["moderator"])
        if feasibility:
            _event(idea, users["staff"], EventKind.FEASIBILITY, None, feasibility, reason, -2)
            idea.feasibility, idea.feasibility_reason = feasibility, reason
        if shortlisted:
            _event(idea, users["staff"], EventKind.SHORTLIST, "off", "on", "", -1)
            idea.shortlisted = True


def _idea(board, author, title, text, category, place, day, state, moderator) -> Idea:
    submitted = _moment(day, 9 + len(title) % 8)
    decided = submitted + timedelta(hours=20)
    idea = Idea(board=board, author_id=author.id, category=category, title=title, text=text,
                place=place, created_at=submitted, updated_at=submitted,
                moderation_state=(ModerationState.PENDING if state == "pending" else
                                  ModerationState.REJECTED if state == "rejected" else
                                  ModerationState.APPROVED),
                status=IdeaStatus.SUBMITTED)
    if state != "pending":
        idea.moderated_at, idea.moderated_by_id = decided, moderator.id
    if state == "rejected":
        idea.moderation_reason = ("Diese Idee verstößt gegen die Regeln der Ideensammlung: "
                                  "Gesucht sind Veranstaltungen, die ohne Autoverkehr "
                                  "auskommen.")
    if state == "withdrawn":
        idea.withdrawn_at = decided + timedelta(days=1)
        idea.withdraw_reason = WithdrawReason.DUPLICATE
        idea.withdraw_note = "Das gibt es schon als „Straßenmusikabend in der Fackelstraße“."
    db.session.add(idea)
    db.session.flush()
    return idea


def _event(idea, actor, kind, old, new, answer, day) -> None:
    db.session.add(IdeaEvent(idea_id=idea.id, kind=kind, from_value=old, to_value=new,
                             answer=answer, actor_id=actor.id, actor_role=actor.role,
                             created_at=_moment(day, 14)))


def _support(idea, people) -> None:
    for person in people:
        db.session.add(Support(idea_id=idea.id, user_id=person.id, board_id=idea.board_id,
                               created_at=idea.created_at + timedelta(days=1)))
    idea.supports_count = len(people)
