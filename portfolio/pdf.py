"""Render HTML to PDF with WeasyPrint, fetching nothing from the network.

A PDF render reads only our own static files (stylesheets, the favicon) and the files under
the render's own base directory (an export's folder). Any other URL, be it a link a student
wrote, a remote image or a file elsewhere on the machine, is refused and simply left out.

WeasyPrint is imported on the first render, not with the app: with its fonts and images
libraries it adds some 27 MB to every web worker, and few requests render a PDF.
"""

from __future__ import annotations

import logging
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

STATIC_ROOT = Path(__file__).resolve().parent / "static"
STATIC_PREFIX = "/static/"


class LocalFiles:
    """Which files a render may read: our static files and the files under one directory."""

    def __init__(self, *, base_dir: Path | None) -> None:
        self._base_dir = base_dir.resolve() if base_dir is not None else None

    def resolve(self, url: str) -> Path | None:
        """Return the local file a URL stands for, or None when it is not ours to read."""
        parts = urlsplit(url)
        path_text = unquote(parts.path)
        if parts.scheme in ("http", "https") and path_text.startswith(STATIC_PREFIX):
            # A page rendered for the browser links /static/...: read it from disk instead.
            return _inside(STATIC_ROOT, STATIC_ROOT / path_text.removeprefix(STATIC_PREFIX))
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        candidate = Path(path_text)
        for root in (STATIC_ROOT, self._base_dir):
            if root is not None and (found := _inside(root, candidate)) is not None:
                return found
        return None


def _inside(root: Path, candidate: Path) -> Path | None:
    """Return candidate resolved if it is an existing file under root (no .. escapes)."""
    resolved = candidate.resolve()
    if resolved.is_file() and resolved.is_relative_to(root):
        return resolved
    return None


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """Render an HTML document to PDF bytes.

    base_url resolves relative links: a `file://` directory (an export's own folder, whose files
    may then be read) or the site's address (only its /static/ files are read, from disk).
    """
    from weasyprint import HTML  # on first use: see the module's docstring

    parts = urlsplit(base_url)
    base_dir = Path(unquote(parts.path)) if parts.scheme == "file" else None
    fetcher = _fetcher_class()(LocalFiles(base_dir=base_dir))
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


@cache
def _fetcher_class():
    """WeasyPrint's fetcher that reads only what LocalFiles allows (built on first render)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        def __init__(self, files: LocalFiles) -> None:
            super().__init__(allowed_protocols=["data"])
            self.files = files

        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            """Return the file the URL names if it is one of ours, else raise ValueError."""
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = self.files.resolve(url)
            if path is None:
                log.info("PDF render: refused to fetch %s", url[:200])
                raise ValueError("only the app's own files are read while rendering a PDF")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return LocalOnlyFetcher
