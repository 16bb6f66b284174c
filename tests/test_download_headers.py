"""Stored files are served so that nothing in them runs: PDFs download (their JavaScript never
runs in the browser's viewer), every file answers with a sandbox CSP, and the download name
takes the extension of the type found in the content, not the one the client chose."""

from __future__ import annotations

import pytest
from test_files import _add_upload
from test_uploads import FILES

from portfolio.uploads import download_name

PDF_WITH_SCRIPT = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript "
    b"/JS (app.alert\\(1\\)) >> >>\nendobj\ntrailer\n%%EOF\n"
)


@pytest.mark.parametrize("role", ["student", "supervisor", "mentor"])
def test_a_pdf_downloads_as_an_attachment_in_a_sandbox(app, db, world, make_item, login_as, role):
    item = make_item(world.placement, "stagepakket", title="Stagepakket")
    upload = _add_upload(app, db, item, world.student, data=PDF_WITH_SCRIPT, name="plan.pdf")
    response = login_as(getattr(world, role)).get(
        f"/stages/{world.placement.id}/bestanden/{upload.id}"
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="plan.pdf"')
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("x.html", FILES["png"], "x.png"),
        ("img.svg", FILES["gif"], "img.gif"),
        ("foto", FILES["png"], "foto.png"),
    ],
)
def test_a_download_takes_the_extension_of_its_content(
    app, db, world, make_item, login_as, name, data, expected
):
    item = make_item(world.placement, "reflectie", title="Reflectie")
    upload = _add_upload(app, db, item, world.student, data=data, name=name)
    response = login_as(world.student).get(f"/stages/{world.placement.id}/bestanden/{upload.id}")
    assert response.headers["Content-Disposition"].startswith(f'inline; filename="{expected}"')


def test_download_name_keeps_a_fitting_extension():
    assert download_name("Foto.JPEG", "image/jpeg") == "Foto.JPEG"
    assert download_name("clip.mov", "video/quicktime") == "clip.mov"
    assert download_name("scan.pdf.exe", "application/pdf") == "scan.pdf.pdf"
    assert download_name(".png", "image/png") == ".png.png"
    assert download_name("iets", "application/x-unknown") == "iets"
