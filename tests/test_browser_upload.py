"""In a real browser: a student uploads a photo with a caption; a fake one is refused."""

from __future__ import annotations

import struct
import zlib

import pytest
from playwright.sync_api import expect

from portfolio.models import Item

pytestmark = pytest.mark.browser


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _real_png() -> bytes:
    """A complete 2x2 red PNG that a browser can decode and draw."""
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


@pytest.fixture
def files_page(db, world, live_server):
    item = Item(placement_id=world.placement.id, kind="reflectie", content={}, title="Dag 1")
    db.add(item)
    db.commit()
    return f"{live_server}/stages/{world.placement.id}/items/{item.id}/bestanden", item


def test_student_uploads_a_photo_and_a_fake_one_is_refused(
    app, page, browser_login, world, files_page
):
    url, item = files_page
    browser_login(page, world.student)
    page.goto(url)
    expect(page.get_by_role("heading", name="Bestanden bij Dag 1")).to_be_visible()
    widget = page.locator(f"#bestanden-{item.id}")

    widget.get_by_label("Bestand toevoegen").set_input_files(
        {"name": "bouwhoek.png", "mimeType": "image/png", "buffer": _real_png()}
    )
    widget.locator(f"#bestanden-{item.id}-bijschrift").fill("Onze bouwhoek")
    # Record what the progress label says at each progress event (upload.js updates it first).
    page.evaluate(
        """() => { window.progressSeen = [];
        document.addEventListener("htmx:xhr:progress", (e) => {
          const wrap = e.target.querySelector("[data-upload-progress]");
          window.progressSeen.push([wrap.hidden, wrap.querySelector("label").textContent,
                                    wrap.querySelector("progress").value]);
        }); }"""
    )
    widget.get_by_role("button", name="Uploaden").click()

    photo = page.get_by_role("img", name="Onze bouwhoek")
    expect(photo).to_be_visible()
    expect(
        page.get_by_role("status").filter(has_text="bouwhoek.png is toegevoegd.")
    ).to_be_visible()
    # The image really came through the permission-checked download route (and the CSP).
    page.wait_for_function(
        "() => { const i = document.querySelector('img[alt=\"Onze bouwhoek\"]');"
        " return i && i.complete && i.naturalWidth === 2; }"
    )
    assert page.url == url  # swapped in place, no navigation
    seen = page.evaluate("window.progressSeen")
    assert seen and seen[-1] == [False, "Uploaden: 100%", 100]

    # A text file with a .png name: refused by its bytes, the message in the widget.
    widget = page.locator(f"#bestanden-{item.id}")
    widget.get_by_label("Bestand toevoegen").set_input_files(
        {"name": "nep.png", "mimeType": "image/png", "buffer": b"Dit is gewoon tekst.\n" * 10}
    )
    widget.get_by_role("button", name="Uploaden").click()
    expect(page.get_by_role("alert")).to_contain_text("Dit bestandstype wordt hier niet aanvaard")
    expect(widget.get_by_label("Bestand toevoegen")).to_have_attribute("aria-invalid", "true")
    expect(widget.get_by_label("Bestand toevoegen")).to_be_focused()  # focus survives the swap
    expect(page.get_by_role("img")).to_have_count(1)


def test_too_big_a_photo_is_stopped_in_the_browser_before_uploading(
    app, page, browser_login, world, files_page
):
    app.config["MAX_IMAGE_BYTES"] = 50
    url, item = files_page
    browser_login(page, world.student)
    page.goto(url)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.method) if r.method == "POST" else None)
    widget = page.locator(f"#bestanden-{item.id}")
    widget.get_by_label("Bestand toevoegen").set_input_files(
        {"name": "groot.png", "mimeType": "image/png", "buffer": _real_png() + bytes(100)}
    )
    widget.get_by_role("button", name="Uploaden").click()
    expect(widget.get_by_role("alert")).to_have_text(
        "Het bestand is te groot: maximaal 50 bytes voor foto's en PDF's."
    )
    assert requests == []
