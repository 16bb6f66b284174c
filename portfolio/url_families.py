"""Building URLs in templates without resolving the same route again and again.

url_for resolves the route each time: about 5 µs through Flask's routing, 11 µs for a static
file (its content hash is added), and a page calls it 25 to 110 times.

- A strip of 40 stage days or a page of 50 students links every row to the same endpoint with
  another id: `IdUrls` builds the URL once with a marker id and puts each row's id in its place.
- The layout's links (stylesheets, scripts, the menu, the portfolio's steps) are the same on
  every page of a placement: `remembering_url_for` is the templates' url_for, and remembers
  what it built.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from flask import Flask, has_request_context, request, url_for

from portfolio.models.base import MAX_ID

# No row has this id in practice, and the route's int converter accepts it (ids are 32-bit).
_MARKER = str(MAX_ID)


class IdUrls:
    """`IdUrls("portfolio.day_item", "stage_day_id", placement_id=7, slug="reflectie")(42)`
    equals `url_for("portfolio.day_item", placement_id=7, stage_day_id=42, slug="reflectie")`."""

    def __init__(self, endpoint: str, id_name: str, **values) -> None:
        url = url_for(endpoint, **values, **{id_name: MAX_ID})
        self._head, found, self._tail = url.partition(_MARKER)
        if not found or _MARKER in self._tail:
            raise ValueError(f"{endpoint}: the marker id must appear exactly once in {url}")

    def __call__(self, id_value: int) -> str:
        return f"{self._head}{int(id_value)}{self._tail}"


def remembering_url_for(app: Flask, *, max_entries: int = 4096) -> Callable[..., str]:
    """The templates' url_for: the same URL for the same endpoint and values, remembered.

    A URL depends on the endpoint, its values, the app's root path (a proxy may mount it under
    a prefix) and, for an endpoint relative to the blueprint ('.page'), the blueprint; those are
    the key. What else url_for takes (`_external`, `_anchor`, ...), a value that cannot be a key
    (a list), mails rendered without a request and debug mode (static files change under a
    running server, and their hash with them) go to url_for itself. At most `max_entries` URLs are kept, the least used forgotten.
    """
    build = app.url_for

    @lru_cache(maxsize=max_entries)
    def remembered(root: str, blueprint: str | None, endpoint: str, values: tuple) -> str:
        return build(endpoint, **dict(values))

    def templates_url_for(endpoint: str, **values) -> str:
        if app.debug or not has_request_context() or any(name[:1] == "_" for name in values):
            return build(endpoint, **values)
        blueprint = request.blueprint if endpoint[:1] == "." else None
        try:
            # In the order given: url_for keeps it for the query string.
            key = tuple(values.items())
            return remembered(request.script_root, blueprint, endpoint, key)
        except TypeError:  # a value that cannot be a key
            return build(endpoint, **values)

    templates_url_for.cache_info = remembered.cache_info
    return templates_url_for
