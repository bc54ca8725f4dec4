"""requirements.lock agrees with pyproject.toml: `make install` installs from the lock alone
(pip --require-hashes), so a dependency declared but not pinned, pinned outside its declared
range or pinned without a hash would break a fresh clone or install something unchecked."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
FIX = "run `make lock` to pin pyproject.toml's dependencies again"

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def lock_entries(text):
    """One (name, version, hashes) per pinned package; a pin's continuation lines carry its
    hashes. Anything else that is not a comment is returned as an unexpected line."""
    entries, unexpected = [], []
    for line in text.replace("\\\n", " ").splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        pin = PIN.match(line)
        if pin:
            entries.append((canonicalize_name(pin[1]), pin[2], HASH.findall(line)))
        else:
            unexpected.append(line)
    return entries, unexpected


def declared_requirements():
    """The project's dependencies and every optional extra's, as pyproject.toml states them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [Requirement(text) for text in project["dependencies"]]
    for extra in project.get("optional-dependencies", {}).values():
        declared += [Requirement(text) for text in extra]
    return declared


@pytest.fixture(scope="module")
def pins():
    entries, unexpected = lock_entries(LOCK.read_text())
    assert not unexpected, f"lines in {LOCK.name} that are not hashed pins: {unexpected}"
    names = [name for name, _version, _hashes in entries]
    assert len(names) == len(set(names)), f"a package pinned twice in {LOCK.name}"
    return {name: (version, hashes) for name, version, hashes in entries}


def test_every_pin_in_the_lock_has_a_hash(pins):
    unhashed = sorted(name for name, (_version, hashes) in pins.items() if not hashes)
    assert not unhashed, f"pinned without a hash: {unhashed}"


def test_every_declared_dependency_is_pinned_within_its_range(pins):
    for requirement in declared_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in {LOCK.name}: {FIX}"
        version = pins[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{LOCK.name} pins {name}=={version}, outside pyproject.toml's {requirement}: {FIX}"
        )


def test_the_lock_holds_every_package_the_declared_ones_need(pins):
    """The whole closure, extras included (flask-limiter[redis] needs redis): read from the
    installed packages' metadata, which are the locked versions (the next test)."""
    pending = [(requirement, "") for requirement in declared_requirements()]
    seen = set()
    while pending:
        requirement, extra = pending.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} (needed) is not in {LOCK.name}: {FIX}"
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (
            f"{LOCK.name} pins {name}=={pins[name][0]}, but something needs {requirement}: {FIX}"
        )
        for wanted in [""] + sorted(requirement.extras):
            if (name, wanted) in seen:
                continue
            seen.add((name, wanted))
            for text in metadata.requires(name) or []:
                pending.append((Requirement(text), wanted))


def test_the_environment_runs_the_locked_versions(pins):
    """`make install` put exactly the locked versions into .venv (a hand-installed upgrade
    would make the tests pass on versions no fresh clone gets)."""
    differing = {}
    for name, (version, _hashes) in pins.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            differing[name] = (version, installed)
    assert not differing, f"locked vs installed: {differing}; run `make install`"


def test_reading_the_lock_finds_a_missing_hash_and_a_stray_line():
    text = "flask==3.1.3 \\\n    --hash=sha256:" + "a" * 64 + "\n    # via x\nbleach==6.4.0\n-e .\n"
    entries, unexpected = lock_entries(text)
    assert entries == [("flask", "3.1.3", ["--hash=sha256:" + "a" * 64]), ("bleach", "6.4.0", [])]
    assert unexpected == ["-e ."]
