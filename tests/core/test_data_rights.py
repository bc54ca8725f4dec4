"""The data rights registry: each feature adds a part; the account comes first in the export
and is erased last, after the parts that may still need its address."""

from mitwirkung.core import data_rights


def test_the_features_register_their_parts(app):
    names = [part.name for part in data_rights.parts()]
    assert names[0] == "account"
    assert {"audit_log", "mails", "votes"} <= set(names)


def test_the_account_is_exported_first_and_erased_last(monkeypatch):
    monkeypatch.setattr(data_rights, "_parts", {})
    calls = []
    for name in ("ideas", "account", "comments"):
        data_rights.register(name, export=lambda user, name=name: name,
                             erase=lambda user, name=name: calls.append(name),
                             account=name == "account")
    assert list(data_rights.export(object())) == ["account", "ideas", "comments"]
    data_rights.erase(object())
    assert calls[-1] == "account" and set(calls) == {"ideas", "account", "comments"}
