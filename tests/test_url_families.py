"""IdUrls builds a row's URL as url_for would, with one routing call for the whole list."""

import pytest
from flask import url_for

from portfolio.url_families import IdUrls


def test_each_id_gets_the_url_url_for_builds(app):
    with app.test_request_context("/"):
        days = IdUrls("portfolio.day_item", "stage_day_id", placement_id=7, slug="reflectie")
        for day_id in (1, 42, 2_000_000):
            expected = url_for(
                "portfolio.day_item", placement_id=7, stage_day_id=day_id, slug="reflectie"
            )
            assert days(day_id) == expected
        assert days("13") == days(13)  # an id from a template is a number, whatever its type


def test_only_digits_go_into_the_url(app):
    with app.test_request_context("/"):
        feedback = IdUrls("supervision.placement_feedback", "placement_id")
        with pytest.raises(ValueError):
            feedback("1/../../beheer")


def test_a_marker_that_appears_twice_is_refused(app):
    with app.test_request_context("/"), pytest.raises(ValueError, match="exactly once"):
        IdUrls("portfolio.day_item", "stage_day_id", placement_id=2**31 - 1, slug="reflectie")
