"""`mitwirkung users create`, `mitwirkung users set-password` and `mitwirkung demo`."""

import pytest
from sqlalchemy import func, select

from mitwirkung.accounts.models import User
from mitwirkung.extensions import db


def test_users_create_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "sachbearbeiterin", "SB@stadt.example", "--role", "staff",
              "--password-stdin"],
        input="Rathaus-Platz-2023\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "sachbearbeiterin"))
    assert (user.role, user.email, user.is_confirmed) == ("staff", "sb@stadt.example", True)


def test_users_create_refuses_weak_password_and_duplicates(app, citizen):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "create", "x1", "x1@example.org", "--password-stdin"],
                         input="123456\n")
    assert weak.exit_code != 0
    taken = runner.invoke(
        args=["users", "create", citizen.username, "new@example.org", "--password-stdin"],
        input="Rathaus-Platz-2023\n",
    )
    assert taken.exit_code != 0 and "taken" in taken.output


def test_demo_is_idempotent_and_prints_passwords_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin@mitwirkung.example" in first.output and "password:" in first.output
    count = db.session.scalar(select(func.count()).select_from(User))
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "password:" not in second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == count


NEW_PASSWORD = "Theatergarten-statt-Parkplatz"


def test_set_password_reads_stdin_ends_every_session_and_is_audited(app, citizen, outbox):
    from mitwirkung.accounts.passwords import verify_password
    from mitwirkung.core.models import AuditEntry

    from ..conftest import signed_in_client

    session = signed_in_client(app, citizen)
    assert session.get("/account").status_code == 200
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", citizen.username.upper(), "--password-stdin"],
        input=NEW_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert verify_password(citizen.password_hash, NEW_PASSWORD)
    assert session.get("/account").status_code == 302  # logged out everywhere
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "user.password_set")).all()
    assert (entry.actor_id, entry.target_id) == (None, citizen.id)
    [mail] = outbox()
    assert mail["To"] == citizen.email and mail["Subject"] == "Ihr Passwort wurde geändert"


def test_set_password_asks_twice_on_a_terminal(app, citizen):
    from mitwirkung.accounts.passwords import verify_password

    runner = app.test_cli_runner()
    differ = runner.invoke(args=["users", "set-password", citizen.username],
                           input=f"{NEW_PASSWORD}\nanders-{NEW_PASSWORD}\n")
    assert differ.exit_code != 0 and "do not match" in differ.output
    same = runner.invoke(args=["users", "set-password", citizen.username],
                         input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert same.exit_code == 0, same.output
    with app.app_context():
        assert verify_password(citizen.password_hash, NEW_PASSWORD)


@pytest.mark.parametrize(("password", "message"), [
    ("123456", "mindestens 10 Zeichen"),
    ("passwortpasswort", "zu leicht zu erraten"),
    ("{username}-Lautertal-77", "weder Ihren Namen noch Ihre E-Mail-Adresse"),
    ("", "mindestens 10 Zeichen"),
])
def test_set_password_refuses_what_the_web_refuses(app, citizen, password, message):
    before = citizen.password_hash
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", citizen.username, "--password-stdin"],
        input=password.format(username=citizen.username) + "\n",
    )
    assert result.exit_code != 0
    assert message in result.stderr and result.stdout == ""
    assert citizen.password_hash == before


def test_set_password_of_an_unknown_or_deleted_account_is_an_error(app):
    from mitwirkung.core.time import utcnow

    from .. import factories

    gone = factories.user(deleted_at=utcnow())
    for name in ("niemand", gone.username):
        result = app.test_cli_runner().invoke(
            args=["users", "set-password", name, "--password-stdin"], input=NEW_PASSWORD + "\n")
        assert result.exit_code != 0 and "no account" in result.stderr
