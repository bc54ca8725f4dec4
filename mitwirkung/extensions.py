"""Flask extensions, created unbound and bound to the app in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _client_address() -> str:
    # ProxyFix (enabled only with PROXY_COUNT) has already put the real client into remote_addr,
    # so a forged X-Forwarded-For cannot dodge a limit.
    from flask import request

    return request.remote_addr or "unknown"


# Objects stay readable after the view's commit: the response that follows (headers, a
# redirect) must not start a second transaction just to reload the signed-in user.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=_client_address, default_limits=[])
