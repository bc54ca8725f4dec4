"""`mitwirkung users create` and `mitwirkung demo`."""

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
