"""The audit log read as sentences: every action the code records has one, labels are
recorded when an entry is written and loaded per kind of object otherwise, and the filters
find what they say (services, no requests)."""

import ast
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from flask import session
from sqlalchemy import event

import mitwirkung
from mitwirkung.comments.models import LinkKind
from mitwirkung.core import audit, moderation
from mitwirkung.core.models import AuditEntry
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes.paper import batches

from .. import factories
from ..comments.factories import comment
from ..projects import factories as project_factories
from ..votes.factories import make_vote

# A label of each kind of object, as a feature records it.
SAMPLE_LABELS = {
    "users": "erika.m",
    "projects": "Pfalztheater",
    "votes": "Lesegarten",
    "paper_batches": {"station": "Wochenmarkt", "collected_on": "2023-09-12",
                      "vote": "Lesegarten"},
    "pages": "Impressum",
    "site_settings": "Kaiserslautern",
    "boards": "Stadt.Raum.Wir.",
    "ideas": {"title": "Lesenacht", "board": "Stadt.Raum.Wir."},
    "text_documents": {"title": "Leitlinien", "project": "Bürgerbeteiligung"},
    "reject_reasons": "Werbung oder Spam",
    "comments": "Mehr Schatten am Stiftsplatz",
    "surveys": "Verpackungssteuer",
}
SAMPLE_DETAILS = {
    "old": "citizen", "new": "moderator", "reason": "doppelt erfasst", "cards": 120,
    "file": "wochenmarkt.csv", "entry": "check", "change": "update", "serial": "K-7",
    "new_serial": "K-8", "code": "B", "source_slug": "lesegarten", "changed": ["title"],
    "online": 812, "paper": 238, "tally": 40, "title": "Workshop", "phase_id": 3,
    "document_id": 4, "until": "2026-12-08T09:30:00", "days": 7, "flags": 2,
}
SHOWN_AS = {"users": "erika.m", "projects": "„Pfalztheater“", "votes": "„Lesegarten“",
            "paper_batches": "Wochenmarkt 12.09.", "pages": "„Impressum“",
            "site_settings": "„Kaiserslautern“", "boards": "„Stadt.Raum.Wir.“",
            "ideas": "„Lesenacht“", "text_documents": "„Leitlinien“",
            "reject_reasons": "„Werbung oder Spam“", "comments": "„Mehr Schatten am Stiftsplatz“",
            "surveys": "„Verpackungssteuer“"}
# Modules of core that record the actions the moderated kinds name (ModeratedKind).
KIND_RECORDERS = {"moderation.py", "flags.py", "hiding.py"}
KIND_ACTIONS = ("approve_action", "reject_action", "hide_action", "keep_action")


def moderation_actions() -> set[str]:
    """The actions core/moderation.py, core/flags.py and core/hiding.py record for the kinds
    features register: the literal actions of every ModeratedKind(...) in the package."""
    actions = set()
    for path in Path(mitwirkung.__file__).parent.rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call) and "ModeratedKind" in (
                    getattr(call.func, "id", None), getattr(call.func, "attr", None)):
                actions.update(keyword.value.value for keyword in call.keywords
                               if keyword.arg in KIND_ACTIONS)
    return actions


def recorded_actions() -> set[str]:
    """Every action name passed to audit.record() anywhere in the package: a literal, or a
    variable of the calling function assigned from literals; core/moderation.py records
    those of the moderated kinds."""
    actions = moderation_actions()
    for path in Path(mitwirkung.__file__).parent.rglob("*.py"):
        if path.name in KIND_RECORDERS and path.parent.name == "core":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr == "record"
                        and isinstance(call.func.value, ast.Name)
                        and call.func.value.id == "audit"):
                    continue
                argument = call.args[1]
                if isinstance(argument, ast.Constant):
                    actions.add(argument.value)
                    continue
                assert isinstance(argument, ast.Name), f"{path}:{call.lineno}"
                values = [
                    value
                    for assignment in ast.walk(function)
                    if isinstance(assignment, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == argument.id
                            for t in assignment.targets)
                    for value in _outcomes(assignment.value)
                ]
                assert values, f"{path}:{call.lineno}: cannot tell the action"
                actions.update(values)
    return actions


def _outcomes(node) -> list[str]:
    """The strings an expression can evaluate to: a literal, or either side of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _outcomes(node.body) + _outcomes(node.orelse)
    return []


def line_for(action: str, details=None, label=None, target_type=None):
    kind = audit.registered_actions()[action]
    table = target_type or kind.target
    entry = AuditEntry(action=action, target_type=table, target_id=4,
                       target_label=SAMPLE_LABELS[table] if label is None else label,
                       details=SAMPLE_DETAILS if details is None else details)
    [line] = audit.describe([entry])
    return line


def test_the_code_records_the_actions_we_know_of():
    actions = recorded_actions()
    assert {"user.role", "user.block", "user.unblock", "user.password_set", "project.publish",
            "project.archive", "page.edit", "vote.close_now", "vote.copy", "vote.final",
            "paper.tally", "paper.tally_entry", "paper.confirm", "paper.void"} <= actions
    assert len(actions) >= 34


def test_every_recorded_action_has_a_sentence_naming_its_object(app_ctx):
    registered = audit.registered_actions()
    missing = recorded_actions() - set(registered)
    assert not missing, f"actions without a sentence: {sorted(missing)}"
    for action in sorted(recorded_actions()):
        line = line_for(action)
        sentence = line.sentence
        assert SHOWN_AS[registered[action].target] in sentence, (action, sentence)
        assert action not in sentence and "%(" not in sentence and "Aktion" not in sentence
        # An entry of an older shape, with no details at all, still reads as a sentence.
        assert line_for(action, details={}).sentence


def test_sentences_say_what_happened_in_german_and_english(app):
    def lines():
        return (line_for("user.role", {"old": "citizen", "new": "moderator"}),
                line_for("paper.void", {"reason": "doppelt erfasst", "station": "Wochenmarkt"}),
                line_for("vote.close_now", {"slug": "lesegarten"}))

    with app.test_request_context():
        role, void, closed = lines()
        assert role.sentence == "Rolle von erika.m geändert: Bürgerin/Bürger → Moderation"
        assert void.sentence == "Stapel Wochenmarkt 12.09. für ungültig erklärt: doppelt erfasst"
        assert closed.sentence == "Abstimmung „Lesegarten“ vorzeitig beendet"
        assert void.noun == "Stapel" and void.context == "Abstimmung „Lesegarten“"
    with app.test_request_context():
        session["lang"] = "en"
        role, void, closed = lines()
        assert role.sentence == "Role of erika.m changed: Citizen → Moderator"
        assert void.sentence == "Batch Wochenmarkt 9/12 declared void: doppelt erfasst"
        assert closed.sentence == "Vote “Lesegarten” closed early"


def test_an_unknown_action_reads_as_a_generic_sentence(app_ctx):
    entry = AuditEntry(action="poll.close", target_type="polls", target_id=7, details={})
    [line] = audit.describe([entry])
    assert line.sentence == "Aktion „poll.close“ bei polls Nr. 7"
    known = AuditEntry(action="vote.teleport", target_type="votes", target_id=7,
                       target_label="Lesegarten", details={})
    assert audit.describe([known])[0].sentence == (
        "Aktion „vote.teleport“ bei Abstimmung „Lesegarten“"
    )


def test_the_target_label_is_recorded_when_the_entry_is_written(app_ctx, admin, citizen, staff):
    from mitwirkung.accounts import services

    services.set_role(admin, citizen, "moderator")
    vote = make_vote(project_factories.project(), title="Lesegarten")
    batch = batches.open_batch(vote, "Wochenmarkt", date(2023, 9, 12), staff)
    batches.add_card(batch, "K-1", {"entwurf": "A", "name": "B"})
    batches.void_batch(batch, staff, "doppelt erfasst")
    entries = {e.action: e for e in db.session.scalars(db.select(AuditEntry))}
    assert entries["user.role"].target_label == citizen.username
    assert entries["paper.void"].target_label == {
        "station": "Wochenmarkt", "collected_on": "2023-09-12", "vote": "Lesegarten"}
    # The entry keeps the name the thing had then.
    vote.title = "Lesegarten (neu)"
    assert "„Lesegarten“" in audit.describe([entries["paper.void"]])[0].context


def test_labels_missing_from_older_entries_are_loaded_once_per_kind_of_object(app, app_ctx,
                                                                             staff):
    project = project_factories.project(title="Pfalztheater")
    vote = make_vote(project, title="Lesegarten")
    batch = batches.open_batch(vote, "Wochenmarkt", date(2023, 9, 12), staff)
    people = [factories.user() for _ in range(3)]
    targets = [("projects", project.id), ("votes", vote.id), ("paper_batches", batch.id)]
    targets += [("users", person.id) for person in people]
    entries = [AuditEntry(action="x.y", target_type=table, target_id=id_, details={})
               for table, id_ in targets * 10]
    statements = []

    def note(_conn, _cursor, statement, *_args):
        if statement.startswith("SELECT"):  # not the test's own savepoints
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        lines = audit.describe(entries)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert len(statements) == 4, statements  # one per kind, for 60 entries
    shown = {line.target for line in lines}
    assert {"„Pfalztheater“", "„Lesegarten“", people[0].username} <= shown
    assert any(text.startswith("Wochenmarkt ") for text in shown)


def test_a_deleted_account_is_named_so_and_a_vanished_object_by_its_number(app_ctx):
    gone = factories.user(deleted_at=utcnow())
    lines = audit.describe([
        AuditEntry(action="user.block", target_type="users", target_id=gone.id, details={}),
        AuditEntry(action="vote.publish", target_type="votes", target_id=999_999, details={}),
    ])
    assert [line.target for line in lines] == ["(gelöscht)", "Nr. 999999"]


# Filters ---------------------------------------------------------------------------------


def add(actor, action, target_type="votes", label="Lesegarten", when=None, **details):
    entry = AuditEntry(actor_id=actor.id if actor else None, action=action,
                       target_type=target_type, target_id=1, target_label=label,
                       details=details, created_at=when or utcnow())
    db.session.add(entry)
    db.session.flush()
    return entry


def found(**filters) -> list[AuditEntry]:
    return audit.all_entries(audit.Filters(**filters))


@pytest.fixture
def log(app_ctx, staff, admin):
    def local(day, hour):
        # Europe/Berlin in September is UTC+2.
        return datetime(2023, 9, day, hour) - timedelta(hours=2)

    return {
        "import": add(staff, "paper.import", "paper_batches",
                      {"station": "Bürgerbüro", "collected_on": "2023-09-11", "vote": "L"},
                      when=local(11, 0), cards=3, file="bürgerbüro.csv"),
        "void": add(staff, "paper.void", "paper_batches",
                    {"station": "Wochenmarkt", "collected_on": "2023-09-12", "vote": "L"},
                    when=local(12, 23), reason="100% doppelt_erfasst"),
        "void2": add(staff, "paper.void", "paper_batches",
                     {"station": "Rathaus", "collected_on": "2023-09-10", "vote": "L"},
                     when=local(10, 8), reason="100 Karten doppelt erfasst"),
        "role": add(admin, "user.role", "users", "erika.m", when=local(13, 1),
                    old="citizen", new="staff"),
        "block": add(admin, "user.block", "users", "Ärger.macher", when=local(14, 9),
                     reason="Spam"),
    }


def test_filters_by_person_action_object_and_days(log, staff, admin):
    assert found(actor_id=staff.id) == [log["void"], log["import"], log["void2"]]
    assert found(action="user.role") == [log["role"]]
    assert found(target_type="users") == [log["block"], log["role"]]
    # Days are the city's days, both ends included: 23:00 on the 12th is the 12th.
    assert found(since=date(2023, 9, 12), until=date(2023, 9, 12)) == [log["void"]]
    assert found(since=date(2023, 9, 13)) == [log["block"], log["role"]]
    assert found(until=date(2023, 9, 11)) == [log["import"], log["void2"]]
    assert found(since=date(2023, 9, 11), until=date(2023, 9, 11)) == [log["import"]]
    assert found(actor_id=admin.id, target_type="votes") == []


@pytest.mark.parametrize(("term", "expected"), [
    ("bürgerbüro", ["import"]),  # a station, whatever the case of its umlauts
    ("BÜRGERBÜRO", ["import"]),
    ("ärger", ["block"]),
    ("wochenmarkt", ["void"]),
    ("100%", ["void"]),  # a wildcard is a letter like any other
    ("doppelt_erfasst", ["void"]),
    ("doppelt", ["void", "void2"]),
    ("spam", ["block"]),
    ("gesperrt", ["block"]),  # the name of a kind of action, in the reader's language
    ("Konto", ["block", "role"]),  # the name of a kind of object
    ("nichts dergleichen", []),
])
def test_search_finds_labels_reasons_stations_and_kinds(log, term, expected):
    assert found(search=term) == [log[name] for name in expected]


def test_search_finds_the_person_who_acted(log, staff):
    assert found(search=staff.username.upper()) == [log["void"], log["import"], log["void2"]]


def test_admins_filter_and_export_the_decisions_on_comments(clients, app):
    """comment.approve and comment.reject are offered as filters, found, and exported."""
    project = project_factories.project()
    author = factories.user()
    moderator = factories.user(role="moderator")
    first = comment(project, LinkKind.PROJECT, author, "Ein guter Gedanke.",
                    project_id=project.id)
    second = comment(project, LinkKind.PROJECT, author, "Kauft bei uns!", project_id=project.id)
    with app.test_request_context():
        moderation.approve(first, moderator)
        moderation.reject(second, moderator, "Werbung oder Spam")
    db.session.commit()
    client = clients["admin"]
    page = client.get("/admin/audit").get_data(as_text=True)
    assert 'value="comment.approve"' in page and 'value="comment.reject"' in page
    rejected = client.get("/admin/audit?action=comment.reject").get_data(as_text=True)
    assert "Kauft bei uns!" in rejected and "Werbung oder Spam" in rejected
    assert "Ein guter Gedanke." not in rejected
    export = client.get("/admin/audit.csv?action=comment.approve")
    assert export.status_code == 200
    text = export.get_data().decode("utf-8-sig")
    assert "comment.approve" in text and "Ein guter Gedanke." in text
    assert "comment.reject" not in text
    both = client.get("/admin/audit.csv?target=comments").get_data().decode("utf-8-sig")
    assert "comment.approve" in both and "comment.reject" in both
