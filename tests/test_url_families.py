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


# ---------------------------------------------------------------- the templates' url_for


def _templates_url_for(app):
    return app.jinja_env.globals["url_for"]


def test_templates_get_the_url_url_for_builds_and_the_second_time_from_memory(app):
    remembered = _templates_url_for(app)
    with app.test_request_context("/"):
        for endpoint, values in [
            ("static", {"filename": "app.css"}),
            ("home.index", {}),
            ("portfolio.day_item", {"placement_id": 7, "stage_day_id": 42, "slug": "reflectie"}),
        ]:
            expected = url_for(endpoint, **values)
            assert remembered(endpoint, **values) == expected
            hits = remembered.cache_info().hits
            assert remembered(endpoint, **values) == expected
            assert remembered.cache_info().hits == hits + 1
        assert "?v=" in remembered("static", filename="app.css")  # the content hash stays


def test_query_arguments_keep_the_order_they_were_given_in(app):
    remembered = _templates_url_for(app)
    with app.test_request_context("/beheer"):
        for values in (
            {"telling": "actief", "pool": 1, "q": "Student"},
            {"q": "Student", "pool": 1, "telling": "actief"},
        ):
            assert remembered("coordinator.index", **values) == url_for(
                "coordinator.index", **values
            )
        assert remembered("coordinator.index", telling="actief", pool=1).endswith(
            "?telling=actief&pool=1"
        )


def test_the_root_path_and_the_blueprint_are_part_of_the_key(app):
    remembered = _templates_url_for(app)
    with app.test_request_context("/"):
        plain = remembered("home.index")
    # Mounted under a prefix by a proxy: the same endpoint has another URL.
    with app.test_request_context("/", base_url="http://localhost/keuzestage"):
        assert remembered("home.index") == url_for("home.index") == "/keuzestage/"
    assert plain == "/"
    # A relative endpoint names the blueprint of the current request.
    with app.test_request_context("/beheer/logboek"):
        assert remembered(".log") == url_for("dashboard.log")
    with app.test_request_context("/studenten"):
        assert remembered(".overview") == url_for("supervision.overview")


def test_what_url_for_does_more_goes_to_url_for(app):
    remembered = _templates_url_for(app)
    with app.test_request_context("/"):
        assert remembered("home.index", _external=True) == "http://localhost/"
        assert remembered("home.index", _anchor="vandaag") == "/#vandaag"
        # A list is no key: url_for itself builds it (repeated query arguments).
        assert remembered("home.index", ids=[1, 2]) == url_for("home.index", ids=[1, 2])
    # A mail rendered by a job has no request: the app's SERVER_NAME builds the address.
    app.config["SERVER_NAME"] = "portfolio.example"
    with app.app_context():
        assert remembered("home.index") == url_for("home.index")


def test_at_most_so_many_urls_are_kept(app):
    from portfolio.url_families import remembering_url_for

    small = remembering_url_for(app, max_entries=3)
    with app.test_request_context("/"):
        for placement_id in range(1, 10):
            small("coordinator.placement", placement_id=placement_id)
    assert small.cache_info().currsize == 3
