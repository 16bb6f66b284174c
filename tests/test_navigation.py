"""Menus and the per-placement tabs show each role only what it may open."""

import re

import pytest


def _tabs(html: str) -> list[str]:
    nav = re.search(r'<nav class="placement-tabs".*?</nav>', html, re.S)
    return re.findall(r">([^<]+)</a>", nav.group(0)) if nav else []


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "student",
            [
                "Portfolio",
                "Feedback",
                "Begeleiding",
                "Evaluatie",
                "Attitudes in de tijd",
                "Waarschuwingen",
                "Downloaden",
            ],
        ),
        (
            "supervisor",
            [
                "Portfolio",
                "Feedback",
                "Begeleiding",
                "Evaluatie",
                "Attitudes in de tijd",
                "Waarschuwingen",
                "Downloaden",
            ],
        ),
        ("mentor", ["Portfolio", "Feedback", "Evaluatie", "Downloaden"]),
        (
            "coordinator",
            [
                "Portfolio",
                "Feedback",
                "Begeleiding",
                "Evaluatie",
                "Attitudes in de tijd",
                "Waarschuwingen",
                "Beheer",
                "Downloaden",
            ],
        ),
    ],
)
def test_placement_tabs_per_role(world, login_as, who, expected):
    page = login_as(getattr(world, who)).get(f"/stages/{world.placement.id}/evaluatie")
    assert page.status_code == 200
    assert _tabs(page.text) == expected


def test_every_tab_opens_for_the_role_that_sees_it(world, login_as):
    for who in ("student", "supervisor", "mentor", "coordinator"):
        client = login_as(getattr(world, who))
        page = client.get(f"/stages/{world.placement.id}/evaluatie")
        for href in re.findall(r'<nav class="placement-tabs".*?</nav>', page.text, re.S)[0].split(
            'href="'
        )[1:]:
            url = href.split('"')[0]
            assert client.get(url).status_code == 200, (who, url)


def test_main_menu_per_role(world, login_as):
    page = login_as(world.mentor).get(f"/stages/{world.placement.id}/evaluatie")
    menu = re.search(r'<nav aria-label="Hoofdmenu">.*?</nav>', page.text, re.S).group(0)
    assert "Mijn stagiairs" in menu and "Beheer" not in menu
