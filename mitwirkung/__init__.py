"""MitWirkung: citizen participation for German cities."""

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import load_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error pages, CLI."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.logger.setLevel(logging.INFO)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)

    from .core import errors, logs, mail, maps, metrics, request_guard, security, templating, urls

    maps.register(app)  # first: a wrong map setting stops the app before anything else
    logs.register(app)
    request_guard.register(app)
    urls.register(app)
    register_extensions(app)
    register_blueprints(app)

    errors.register(app)
    mail.register(app)
    metrics.register(app)
    security.register(app)
    templating.register(app)

    from .cli import register_commands

    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every model known to SQLAlchemy and Alembic)
    from .core import content_version, migrations
    from .core.database import configure_engine
    from .core.i18n import select_locale
    from .extensions import babel, csrf, db, limiter, login_manager

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
        content_version.watch(db.engine)
    migrations.register(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    # Our limits all sit on routes, whose decorators check them. The extension's own
    # before-request pass looks for default and application-wide limits, which we have
    # none of, on every request: 0.4 M instructions, 8 % of a cast (docs/benchmarks.md).
    if limiter.enabled:
        app.before_request_funcs[None].remove(limiter._check_request_limit)


def register_blueprints(app: Flask) -> None:
    from .accounts import bp as accounts_bp
    from .accounts.admin import bp as admin_bp
    from .accounts.moderation_views import bp as account_moderation_bp
    from .comments import bp as comments_bp
    from .core.flag_views import bp as flags_bp
    from .core.health import bp as health_bp
    from .core.metrics import bp as metrics_bp
    from .core.moderation_queue import bp as moderation_bp
    from .core.reject_reasons_admin import bp as reasons_bp
    from .core.uploads import bp as uploads_bp
    from .documents import bp as documents_bp
    from .pages import bp as pages_bp
    from .projects import bp as projects_bp
    from .proposals import bp as proposals_bp
    from .surveys import bp as surveys_bp
    from .votes import bp as votes_bp

    app.register_blueprint(projects_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(uploads_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(metrics_bp)
    app.register_blueprint(votes_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(reasons_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(flags_bp)
    app.register_blueprint(account_moderation_bp)
