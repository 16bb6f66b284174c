"""Template filters and globals: Dutch dates, Markdown, the menu."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, has_request_context, request
from flask_babel import format_date, format_datetime

from portfolio import clock
from portfolio.domain.current import placement_name
from portfolio.markdown import render_markdown
from portfolio.navigation import menu_for, placement_choices, placement_tabs, unread_notices


def nl_date(value: date | datetime | None, fmt: str = "EEEE d MMMM y") -> str:
    """Format a date in Dutch (Belgium), e.g. 'maandag 3 februari 2025'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, fmt)
    return format_date(value, fmt)


def nl_datetime(value: datetime | None, fmt: str = "d MMMM y 'om' HH:mm") -> str:
    return format_datetime(value, fmt) if value else ""


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

    @app.context_processor
    def htmx_flag():
        # Mails are rendered by commands and jobs too, where there is no request.
        return {"is_htmx": has_request_context() and request.headers.get("HX-Request") == "true"}
