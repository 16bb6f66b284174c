"""html_to_pdf renders with WeasyPrint and reads only our own files, never the network."""

from __future__ import annotations

import io

from pypdf import PdfReader

from portfolio.pdf import STATIC_ROOT, LocalFiles, html_to_pdf


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_renders_text_and_page_breaks(tmp_path):
    html = (
        "<html><head><style>section { break-before: page }</style></head><body>"
        "<section><h1>Stap één</h1></section><section><h1>Stap twee</h1></section></body></html>"
    )
    pdf = html_to_pdf(html, base_url=tmp_path.as_uri() + "/")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert "Stap één" in _text(pdf)


def test_reads_static_files_and_its_own_folder_only(tmp_path):
    export_dir = tmp_path / "export"
    export_dir.mkdir()
    (export_dir / "own.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("geheim")
    fetcher = LocalFiles(base_dir=export_dir)

    assert fetcher.resolve((export_dir / "own.css").as_uri()) == (export_dir / "own.css").resolve()
    assert fetcher.resolve("https://example.org/static/app.css") == STATIC_ROOT / "app.css"
    assert fetcher.resolve((STATIC_ROOT / "app.css").as_uri()) == STATIC_ROOT / "app.css"
    # Outside the two roots, traversal, remote hosts and other schemes: refused.
    assert fetcher.resolve((tmp_path / "secret.txt").as_uri()) is None
    assert fetcher.resolve((export_dir / ".." / "secret.txt").as_uri()) is None
    assert fetcher.resolve("https://example.org/static/../../etc/passwd") is None
    assert fetcher.resolve("https://example.org/image.png") is None
    assert fetcher.resolve("file://evil-host/etc/passwd") is None
    assert fetcher.resolve("ftp://example.org/static/app.css") is None


def test_refused_urls_are_left_out_not_fatal(tmp_path, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open", lambda self, url, *a, **k: opened.append(url)
    )
    html = (
        '<html><body><p>Tekst</p><img src="http://192.0.2.1/spy.png">'
        f'<img src="{(tmp_path / "x.png").as_uri()}"></body></html>'
    )
    pdf = html_to_pdf(html, base_url="https://portfolio.example/")
    assert "Tekst" in _text(pdf)
    assert opened == []
