"""The Dutch date filters: remembered texts, the same as Flask-Babel's in Brussels time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import format_datetime

from portfolio.templating import nl_date, nl_datetime

MOMENTS = [
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # before the spring change (01:30 in Brussels)
    datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # after it (03:30)
    datetime(2026, 3, 29, 1, 30),  # naive: stored UTC, as SQLite gives it back
    datetime(2026, 10, 25, 0, 59, 59, 999, tzinfo=UTC),  # the autumn change
    datetime(2026, 7, 1, 21, 59, tzinfo=UTC),  # late evening: already the next day in Brussels
]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("fmt", ["d MMM", "d MMMM y 'om' HH:mm", "EEEE d MMMM y", "HH:mm:ss"])
def test_moments_read_as_flask_babel_writes_them(app, moment, fmt):
    with app.test_request_context():
        assert nl_date(moment, fmt) == format_datetime(moment, fmt)
        assert nl_date(moment, fmt) == nl_date(moment, fmt)  # from the cache, unchanged


def test_brussels_date_and_defaults(app):
    with app.test_request_context():
        assert nl_date(datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "d MMMM") == "2 juli"
        assert nl_datetime(datetime(2026, 1, 5, 8, 15, tzinfo=UTC)) == "5 januari 2026 om 09:15"
        assert nl_date(date(2025, 2, 3)) == "maandag 3 februari 2025"
        assert nl_date(None) == nl_datetime(None) == ""
