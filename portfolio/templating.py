"""Template filters and globals: Dutch dates, Markdown, the menu."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from babel import dates as babel_dates
from flask import Flask, has_request_context, request

from portfolio import clock
from portfolio.clock import BRUSSELS
from portfolio.domain.current import placement_name
from portfolio.markdown import render_markdown
from portfolio.navigation import menu_for, placement_choices, placement_tabs, unread_notices
from portfolio.url_families import IdUrls, remembering_url_for

# The app's one locale (see create_app's babel.init_app): a calendar date's text never changes.
LOCALE = "nl_BE"


def nl_date(value: date | datetime | None, fmt: str = "EEEE d MMMM y") -> str:
    """Format a date in Dutch (Belgium), e.g. 'maandag 3 februari 2025'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _moment_text(_as_utc(value, fmt), fmt)
    return _day_text(value, fmt)


@lru_cache(maxsize=4096)
def _day_text(value: date, fmt: str) -> str:
    """A calendar date's text, remembered: a student's home page formats some 60 dates, at
    about 0.1 ms each in Babel, and they are the same days on every visit."""
    return babel_dates.format_date(value, fmt, locale=LOCALE)


def _as_utc(value: datetime, fmt: str) -> datetime:
    """The moment in UTC (a naive one is UTC, as stored), without the microseconds no format
    shows: lists show the same moments on every visit, so they hit the cache below."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value if "S" in fmt else value.replace(microsecond=0)


@lru_cache(maxsize=16384)
def _moment_text(value: datetime, fmt: str) -> str:
    """A moment's text in Brussels time, remembered: a page of 50 placements formats over 100
    moments at about 0.1 ms each in Babel (a tenth of the coordinator list's time)."""
    return babel_dates.format_datetime(value, fmt, tzinfo=BRUSSELS, locale=LOCALE)


def nl_datetime(value: datetime | None, fmt: str = "d MMMM y 'om' HH:mm") -> str:
    return nl_date(value, fmt)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["nl_date"] = nl_date
    app.jinja_env.filters["nl_datetime"] = nl_datetime
    app.jinja_env.globals["menu_for"] = menu_for
    app.jinja_env.globals["placement_tabs"] = placement_tabs
    app.jinja_env.globals["unread_notices"] = unread_notices
    app.jinja_env.globals["now"] = clock.now
    app.jinja_env.globals["placement_choices"] = placement_choices
    app.jinja_env.globals["placement_name"] = placement_name
    app.jinja_env.globals["id_urls"] = IdUrls
    app.jinja_env.globals["url_for"] = remembering_url_for(app)

    @app.context_processor
    def htmx_flag():
        # Mails are rendered by commands and jobs too, where there is no request.
        return {"is_htmx": has_request_context() and request.headers.get("HX-Request") == "true"}
