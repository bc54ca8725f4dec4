"""Password rules and hashing (scrypt, which is memory-hard)."""

from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10


@cache
def _dummy_hash(method: str) -> str:
    # Checked when no account matches, so a failed login takes as long either way.
    return generate_password_hash("no-such-account", method=method)


# zxcvbn's score, 0 (guessed at once) to 4; 3 means "safely unguessable" against an
# attacker who has the hashes but not unlimited time.
MIN_SCORE = 3
ZXCVBN_MAX_LENGTH = 72  # zxcvbn's own bound; the first 72 characters carry the verdict


def password_problem(password: str, *personal: str) -> str | None:
    """Why `password` is not acceptable, or None. `personal` holds username, e-mail and names,
    which zxcvbn also counts as easy to guess."""
    from flask_babel import gettext as _
    from zxcvbn import zxcvbn

    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)d characters.", n=MIN_LENGTH)
    lowered = password.lower()
    for value in personal:
        if value and len(value) >= 3 and value.lower() in lowered:
            return _("The password must not contain your name or e-mail address.")
    inputs = [part for value in personal if value for part in (value, *value.split("@"))]
    if zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=inputs)["score"] < MIN_SCORE:
        return _("This password is too easy to guess. Longer is better: several unusual "
                 "words, or a sentence.")
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; without a hash the same work is done and the answer is no."""
    if not password_hash:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return check_password_hash(password_hash, password)
