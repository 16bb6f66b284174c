"""URLs of one endpoint that differ in one id, built with one url_for call.

A strip of 40 stage days or a page of 50 students links every row to the same endpoint with
another id; url_for resolves the route each time (about 5 µs through Flask's routing, over a
tenth of the calendar strip's rendering). `IdUrls` builds the URL once with a marker id and
puts each row's id in its place.
"""

from __future__ import annotations

from flask import url_for

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
