"""The portfolio export: a ZIP with every item, file, feedback, evaluation and signature."""

from __future__ import annotations

import io
import zipfile

import pytest
from export_world import build_portfolio
from pypdf import PdfReader

from portfolio.clock import now
from portfolio.domain.files import get_storage
from portfolio.exports import export_placements
from portfolio.exports.archive import safe_name, unique_names
from portfolio.models import User


def _export(app, db, placements, reader, tmp_path):
    path = tmp_path / "export.zip"
    with app.test_request_context():
        export_placements(
            db, placements, db.get(User, reader.id), storage=get_storage(), path=path, made_at=now()
        )
    return zipfile.ZipFile(path)


def _html(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".html"))


@pytest.fixture
def built(app, db, world):
    with app.app_context():
        return build_portfolio(db, world)


def test_student_export_holds_everything(app, db, world, built, tmp_path):
    archive = _export(app, db, [world.placement], world.student, tmp_path)
    html = _html(archive)
    for text in built.public + built.personal:
        assert text in html, text
    for signature_hash in built.signature_hashes:
        assert signature_hash in html
    assert "2 bewaarde versies" in html  # the history summary of the beginsituatie
    assert "voldoende" in html  # the mid-term verdict
    assert built.synthesis not in html  # the board has not decided yet
    names = archive.namelist()
    for name in built.files:
        assert f"bestanden/{name}" in names, name
    assert archive.read("bestanden/opname.mp3").startswith(b"ID3")
    # The file storage lost is named in the index, and the export was still made.
    index = archive.read("index.html").decode()
    assert f"{built.missing_file.replace(' (2)', '')}: ontbreekt in de opslag" in index
    assert f"bestanden/{built.missing_file}" not in names
    # Images show in the pages; recordings are linked.
    assert 'src="bestanden/kring_foto.png"' in html
    assert 'href="bestanden/opname.mp3"' in html
    # Self-contained: no scripts, no links into the app.
    assert "<script" not in html
    assert 'href="/' not in html and 'src="/' not in html


def test_pdf_has_a_page_or_more_per_step_and_page_numbers(app, db, world, built, tmp_path):
    archive = _export(app, db, [world.placement], world.student, tmp_path)
    reader = PdfReader(io.BytesIO(archive.read("portfolio.pdf")))
    pages = [page.extract_text() for page in reader.pages]
    # Every step starts a page of its own (after the title page and the table of contents).
    first_lines = [text.splitlines()[0] for text in pages]
    for step in ("Stap 1:", "Stap 2:", "Stap 3:", "Stap 4:", "Stap 5:"):
        assert sum(line.startswith(step) for line in first_lines[2:]) == 1, step
    assert first_lines[1] == "Inhoud" and "Stap 5: reflectie" in pages[1]
    assert f"Pagina 1 van {len(reader.pages)}" in pages[0]
    assert "Reflectie-RF1" in "\n".join(pages)


def test_mentor_export_leaves_out_what_is_personal(app, db, world, built, tmp_path):
    archive = _export(app, db, [world.placement], world.mentor, tmp_path)
    html = _html(archive)
    pdf_text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(archive.read("portfolio.pdf"))).pages
    )
    for text in [*built.personal, built.synthesis]:
        assert text not in html, text
        assert text not in pdf_text, text
    for text in ("Verkenning-VK1", "Stagepakket-SP1", "Feedback-FB1", "Begeleiding-BG1"):
        assert text in html
    names = archive.namelist()
    assert "bestanden/foto schrift.png" in names
    assert not any("kring_foto" in n or "opname" in n for n in names)


def test_supervisor_export_holds_the_synthesis(app, db, world, built, tmp_path):
    html = _html(_export(app, db, [world.placement], world.supervisor, tmp_path))
    assert built.synthesis in html and "Waarschuwing-WF1" in html


def test_bulk_export_has_a_folder_per_student(app, db, world, built, tmp_path):
    archive = _export(app, db, [world.placement, world.other_placement], world.supervisor, tmp_path)
    folders = {name.split("/", 1)[0] for name in archive.namelist()}
    assert len(folders) == 2
    assert any(f.startswith("Student Een") for f in folders)
    assert all(f"{folder}/index.html" in archive.namelist() for folder in folders)


def test_file_names_are_sanitised_and_unique():
    assert safe_name("../../etc/passwd") == "_.._etc_passwd"
    assert safe_name('a:b*c?"d<e>f|g\x00.png') == "a_b_c_d_e_f_g_.png"
    assert safe_name("") == "bestand"
    assert len(safe_name("x" * 500 + ".jpeg")) <= 120
    assert unique_names(["Foto.jpg", "foto.jpg", "foto.jpg", "café.png"]) == [
        "Foto.jpg",
        "foto (2).jpg",
        "foto (3).jpg",
        "café.png",
    ]


def test_collecting_a_placement_takes_the_same_queries_however_full(
    app, db, world, make_item, count_queries
):
    from portfolio.exports.collect import collect

    def queries() -> int:
        with app.test_request_context(), count_queries() as counted:
            collect(db, db.get(type(world.placement), world.placement.id), world.supervisor)
        return counted.n

    make_item(world.placement, "actiepunt", content={"actiepunt": "een"})
    few = queries()
    for number in range(20):
        make_item(world.placement, "actiepunt", content={"actiepunt": f"nog {number}"})
        make_item(world.placement, "ontwerpwerk", content={"idee": f"idee {number}"})
    assert queries() == few


def test_export_from_s3_storage(app, db, world, tmp_path, s3_settings, monkeypatch):
    app.config.update(s3_settings)
    monkeypatch.setattr("portfolio.exports.archive.html_to_pdf", lambda html, base_url: b"%PDF-")
    with app.app_context():
        built = build_portfolio(db, world)
    archive = _export(app, db, [world.placement], world.student, tmp_path)
    names = archive.namelist()
    for name in built.files:
        assert f"bestanden/{name}" in names, name
    assert archive.read("bestanden/opname.mp3").startswith(b"ID3")
    assert "ontbreekt in de opslag" in archive.read("index.html").decode()
