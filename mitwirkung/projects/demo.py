"""Demo projects: the Pfalztheater square and Stadt.Raum.Wir. (idempotent)."""

import io
from datetime import timedelta

from babel.dates import format_date
from PIL import Image, ImageDraw
from sqlalchemy import select

from ..core.time import local_today
from ..extensions import db
from . import services
from .models import Project

# Dates come from the phases the demo creates around the day it is loaded (and the demo
# vote opens and closes with the voting phase), so the texts name those days, not 2023's.
PFALZTHEATER_TEXT = """\
Der Platz vor dem Pfalztheater wird neu gestaltet – und Sie entscheiden mit.

In mehreren **Werkstätten** vor Ort haben Bürgerinnen und Bürger rund **300 Ideen** und
**150 Namensvorschläge** für den Platz gesammelt. Studierende haben daraus **drei
Entwürfe** gezeichnet.

Vom **{vote_start}** bis zum **{vote_end}** stimmen Sie über Ihren Lieblingsentwurf und
den neuen Namen des Platzes ab: online mit Ihrem Konto oder auf Papier an unseren
Infoständen, etwa auf dem Wochenmarkt, und an der Wahlurne im Bürgercenter des Rathauses.
"""

STADT_RAUM_WIR_TEXT = """\
Was soll in der Innenstadt los sein? Vom Straßenmusikabend bis zum
Nachbarschaftsfrühstück: Bis zum **{collect_end}** nehmen wir Ihre Vorschläge für
Veranstaltungen an unserem Infostand auf dem Wochenmarkt entgegen.

Danach stellen wir die Vorschläge hier vor, und Sie stimmen online oder auf Papier ab,
welche wir gemeinsam mit Ihnen umsetzen.
"""

# (title, description, first day, last day), the days counted from the day of loading.
PFALZTHEATER_PHASES = [
    ("Ideenwerkstatt", "In Werkstätten vor Ort wurden Ideen und Namensvorschläge gesammelt.",
     -200, -90),
    ("Abstimmung", "Online und auf Papier über Entwurf und Namen abstimmen.", -30, 40),
    ("Umsetzung", "Der Siegerentwurf wird geplant und gebaut.", 60, 400),
]
STADT_RAUM_WIR_PHASES = [
    ("Vorschläge sammeln", "Vorschläge nehmen wir am Infostand auf dem Wochenmarkt entgegen.",
     -14, 60),
    ("Abstimmung und Planung",
     "Sie stimmen über die Vorschläge ab; die beliebtesten werden geplant.", 61, 120),
]


def _day(today, offset: int) -> str:
    """A demo day in German words, e.g. '21. August 2026'."""
    return format_date(today + timedelta(days=offset), "d. MMMM y", locale="de")


def create_demo_projects(staff_user) -> None:
    """Add the demo projects unless their slugs exist; the caller commits."""
    today = local_today()
    if not _exists("pfalztheater"):
        project = services.create_project(
            staff_user,
            title="Platz vor dem Pfalztheater",
            slug="pfalztheater",
            teaser="Wie soll der neue Platz vor dem Pfalztheater aussehen und heißen? "
            "Stimmen Sie über drei Entwürfe und den Namen ab.",
            description=PFALZTHEATER_TEXT.format(
                vote_start=_day(today, PFALZTHEATER_PHASES[1][2]),
                vote_end=_day(today, PFALZTHEATER_PHASES[1][3])),
            image_alt="Skizze des Platzes: ein grüner Rasen mit Bäumen vor dem Theatergebäude",
            image=io.BytesIO(_demo_image((46, 125, 50), (200, 80, 40))),
        )
        _add_phases(project, staff_user, today, PFALZTHEATER_PHASES)
        services.add_document(
            project,
            staff_user,
            title="Protokoll der Arbeitsgruppe",
            stream=io.BytesIO(_demo_pdf("Protokoll der Arbeitsgruppe Pfalztheater")),
        )
        services.publish_project(project, staff_user)
    if not _exists("stadt-raum-wir"):
        project = services.create_project(
            staff_user,
            title="Stadt.Raum.Wir.",
            slug="stadt-raum-wir",
            teaser="Schlagen Sie am Infostand Veranstaltungen für die Innenstadt vor und "
            "stimmen Sie danach hier darüber ab.",
            description=STADT_RAUM_WIR_TEXT.format(
                collect_end=_day(today, STADT_RAUM_WIR_PHASES[0][3])),
            image_alt="Bunte Marktstände und Lichterketten in einer Fußgängerzone",
            image=io.BytesIO(_demo_image((11, 90, 138), (255, 191, 71))),
        )
        _add_phases(project, staff_user, today, STADT_RAUM_WIR_PHASES)
        services.publish_project(project, staff_user)


def _exists(slug: str) -> bool:
    return db.session.scalar(select(Project.id).where(Project.slug == slug)) is not None


def _add_phases(project, actor, today, phases) -> None:
    for title, description, start, end in phases:
        services.add_phase(
            project,
            actor,
            title=title,
            description=description,
            start_date=today + timedelta(days=start),
            end_date=today + timedelta(days=end),
        )


def _demo_image(ground: tuple, accent: tuple) -> bytes:
    """A simple 16:9 picture: sky, a building, a lawn and round trees."""
    image = Image.new("RGB", (960, 540), (198, 226, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((260, 120, 700, 360), fill=accent)
    draw.polygon([(240, 120), (480, 40), (720, 120)], fill=(90, 90, 90))
    draw.rectangle((0, 360, 960, 540), fill=ground)
    for x in (90, 200, 760, 870):
        draw.ellipse((x - 50, 250, x + 50, 350), fill=(30, 90, 40))
        draw.rectangle((x - 8, 340, x + 8, 400), fill=(100, 70, 40))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _demo_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text, with a correct cross-reference table."""
    line = text.encode("latin-1", "replace").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 18 Tf 72 770 Td (" + line + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
