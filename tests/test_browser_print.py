"""In a real browser: a page prints without menus or buttons, one list item per page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from portfolio.models import ItemKind

pytestmark = pytest.mark.browser


def test_a_list_prints_without_menus_and_one_item_per_page(
    page, live_server, browser_login, world, make_item
):
    for number in (1, 2, 3):
        make_item(
            world.placement,
            ItemKind.ACTIEPUNT,
            title=f"Actiepunt {number}",
            content={"actiepunt": f"Tekst van actiepunt {number}"},
        )
    browser_login(page, world.student)
    page.goto(f"{live_server}/stages/{world.placement.id}/portfolio/stap-2")
    assert page.locator(".site-header").is_visible()
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".portfolio-nav", ".placement-tabs"):
        assert all(not e.is_visible() for e in page.locator(hidden).all()), hidden
    assert all(not b.is_visible() for b in page.locator("button, [role=button]").all())

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    texts = [p.extract_text() for p in pdf.pages]
    first_pages = {
        n: i
        for i, text in enumerate(texts)
        for n in (1, 2, 3)
        if f"Tekst van actiepunt {n}" in text
    }
    assert sorted(first_pages.values()) == sorted(set(first_pages.values()))  # each on its own page
    assert len(first_pages) == 3
    assert "Afmelden" not in "\n".join(texts)
