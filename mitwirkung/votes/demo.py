"""The demo vote: the 2023 Pfalztheater ballot, three designs and a name (idempotent)."""

import io
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from ..core import uploads
from ..core.time import utcnow
from ..extensions import db
from .models import Option, Question, ResultsVisibility, Vote, VoteStatus

DESCRIPTION = """\
Stimmen Sie über den Entwurf für den Platz vor dem Pfalztheater **und** über seinen neuen
Namen ab – beides auf einem Stimmzettel. Jede Frage dürfen Sie auch offenlassen.

Sie können online abstimmen oder auf Papier: am Infostand auf dem Wochenmarkt und an der
Wahlurne im Bürgercenter des Rathauses. Beide Wege zählen gleich.
"""

DESIGNS = [
    ("A", "Offene Bühne",
     "Eine große freie Fläche mit Stufen zum Sitzen: Platz für Aufführungen unter freiem Himmel.",
     "Skizze: helle Platzfläche mit Sitzstufen vor einer kleinen Bühne"),
    ("B", "Verschlungene Wege",
     "Geschwungene Wege zwischen Beeten und Bänken laden zum Schlendern und Verweilen ein.",
     "Skizze: geschwungene Wege zwischen grünen Beeten"),
    ("C", "Grünes Band",
     "Ein breiter Streifen mit Bäumen und Wiese verbindet das Theater mit der Innenstadt.",
     "Skizze: ein breites grünes Band mit Bäumen quer über den Platz"),
]
NAMES = [
    ("A", "Theatergarten"),
    ("B", "Platz der Begegnung"),
    ("C", "Grüne Mitte"),
    ("D", "Lauterplatz"),
]


def create_demo_vote(project, staff_user) -> Vote:
    """Add the open Pfalztheater vote to `project` unless it exists; the caller commits."""
    existing = db.session.scalar(select(Vote).where(Vote.slug == "pfalztheater"))
    if existing is not None:
        return existing
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    vote = Vote(
        project_id=project.id,
        slug="pfalztheater",
        title="Entwurf und Name für den Platz vor dem Pfalztheater",
        description=DESCRIPTION,
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=40),
        results_visibility=ResultsVisibility.LIVE,
        status=VoteStatus.PUBLISHED,
        created_by_id=staff_user.id,
    )
    design = Question(code="entwurf", title="Welcher Entwurf soll gebaut werden?", position=0,
                      help_text="Wählen Sie einen der drei Entwürfe der Studierenden.")
    for position, (code, title, text, alt) in enumerate(DESIGNS):
        image = uploads.save_image(io.BytesIO(_sketch(code)))
        design.options.append(Option(code=code, title=title, text=text, image=image,
                                     image_alt=alt, position=position))
    name = Question(code="name", title="Wie soll der Platz heißen?", position=1)
    for position, (code, title) in enumerate(NAMES):
        name.options.append(Option(code=code, title=title, position=position))
    vote.questions = [design, name]
    db.session.add(vote)
    db.session.flush()
    return vote


def _sketch(design: str) -> bytes:
    """A small drawing per design, so the demo ballot has real images."""
    image = Image.new("RGB", (480, 300), (232, 226, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((140, 10, 340, 70), fill=(140, 60, 40))  # the theatre
    if design == "A":
        for step in range(4):
            draw.rectangle((60 + step * 20, 200 + step * 20, 420 - step * 20, 212 + step * 20),
                           fill=(170, 170, 170))
        draw.rectangle((180, 110, 300, 170), fill=(90, 90, 110))
    elif design == "B":
        draw.line([(0, 250), (120, 150), (240, 230), (360, 120), (480, 200)],
                  fill=(200, 180, 140), width=18)
        for x, y in [(60, 90), (200, 120), (300, 250), (420, 90)]:
            draw.ellipse((x - 35, y - 25, x + 35, y + 25), fill=(80, 150, 70))
    else:
        draw.rectangle((0, 130, 480, 230), fill=(70, 150, 60))
        for x in range(40, 480, 80):
            draw.ellipse((x - 22, 140, x + 22, 184), fill=(30, 90, 40))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
