"""Keuzestage portfolio: the app factory."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portfolio import config as config_module
from portfolio.models.base import MAX_ID
from portfolio.routes.form_input import refuse_nul_bytes

# One blueprint per area; each module defines `bp`.
BLUEPRINTS = (
    "auth",
    "home",
    "portfolio",
    "files",
    "coordinator",
    "mentor",
    "supervision",
    "guidance",
    "evaluation",
    "notices",
    "exports",
    "dashboard",
    "verify",
    "offline",
    "calendar_feed",
)


class DatabaseIdConverter(IntegerConverter):
    """Match only integers that fit a 32-bit INTEGER column (SQLite and PostgreSQL alike)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's parameter name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app: defaults, then instance/config.py, environment, test config."""
    app = Flask(__name__, instance_relative_config=True)
    # Ids in URLs are database integers: a larger number is no id (404), not an overflow (500).
    app.url_map.converters["int"] = DatabaseIdConverter
    instance = Path(app.instance_path)
    app.config.from_mapping(config_module.default_config(instance))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config_module.from_environment(os.environ))
    else:
        app.config.update(test_config)

    if not app.config.get("SECRET_KEY"):
        if not (app.debug or app.testing or os.environ.get("PORTFOLIO_ALLOW_INSTANCE_SECRET")):
            # Outside development a secret must be set on purpose, not generated per machine.
            raise RuntimeError("SECRET_KEY is not set. Set it in the environment for production.")
        app.config["SECRET_KEY"] = config_module.load_or_create_secret(instance)
    config_module.resolve_cookie_security(app.config, debug=app.debug, testing=app.testing)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=app.config["REMEMBER_DAYS"])
    if app.config["TRUSTED_PROXIES"]:
        # Only behind proxies we were told about: otherwise anyone could claim an address.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    if app.config["DATABASE_URL"].startswith("sqlite") or not app.config.get("S3_BUCKET"):
        instance.mkdir(parents=True, exist_ok=True)

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    _init_extensions(app)
    # Text with a NUL character cannot be stored in PostgreSQL: refuse it for every route.
    app.before_request(refuse_nul_bytes)
    for name in BLUEPRINTS:
        module = import_module(f"portfolio.routes.{name}")
        app.register_blueprint(module.bp)
    return app


def _init_extensions(app: Flask) -> None:
    from portfolio import auth, cli, db, errors, mail, security, static_assets, templating
    from portfolio.extensions import babel, csrf, limiter, login_manager

    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://") and not (
        app.debug or app.testing
    ):
        logging.getLogger(__name__).warning(
            "RATELIMIT_STORAGE_URI is not set: login limits are counted per process. "
            "Set it to a Redis URL (redis://host:6379/0) so they hold across workers."
        )
    babel.init_app(
        app,
        locale_selector=lambda: templating.LOCALE,
        timezone_selector=lambda: "Europe/Brussels",
    )
    auth.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    mail.init_app(app)  # after db.init_app: delivers after the request's commit
    static_assets.init_app(app)
