"""Every string in the code and templates has a German translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [
    ("mitwirkung/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.do"},
           "templates/**.txt": {"extensions": "jinja2.ext.do"}}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, OPTIONS, keywords={"_": None, "_l": None, "gettext": None,
                                              "lazy_gettext": None, "ngettext": (1, 2)},
        directory_filter=lambda path: not Path(path).name.startswith(".")
        and Path(path).name not in {".venv", "instance", "tests", "node_modules"},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_a_german_translation():
    path = ROOT / "mitwirkung/translations/de/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalogue
        if (m.string if isinstance(m.string, str) else all(m.string))  # every plural form
    }
    missing = sorted(_source_messages() - translated)
    assert missing == [], "run `make translations-update` and translate: " + repr(missing[:20])
