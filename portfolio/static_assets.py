"""Static files: compressed, and cached for a year under content-hashed URLs; HTML cacheable
for the back button except pages with a secret in them.

`url_for('static', filename=...)` appends `?v=<hash of the file's content>`: a changed file
gets a new URL, so a request carrying the current hash may be cached forever ("immutable").
Compression (gzip or brotli, as the browser asks) is Flask-Compress's job.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, request
from flask_compress import Compress

ONE_YEAR = 365 * 24 * 3600
# Pages whose URL or content is a secret (a password link, a mentor's personal link, the login
# form with its CSRF token): never stored by the browser or a proxy.
NO_STORE_ENDPOINTS = {"auth.login", "auth.set_password", "auth.forgot_password", "mentor.enter"}
COMPRESS_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
]

compress = Compress()


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESS_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Static files are sent as streams; Flask-Compress streams brotli or deflate, not gzip.
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])
    compress.init_app(app)
    static_folder = Path(app.static_folder)

    @cache
    def file_hash(filename: str) -> str | None:
        path = (static_folder / filename).resolve()
        if static_folder.resolve() not in path.parents or not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]

    if app.debug:
        # While developing, files change under a running server: hash them afresh each time.
        file_hash = file_hash.__wrapped__

    @app.url_defaults
    def hashed_static_urls(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = file_hash(values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_headers(response):
        if request.endpoint == "static":
            wanted = request.args.get("v")
            if (
                response.status_code == 200
                and wanted
                and wanted == file_hash(request.view_args["filename"])
            ):
                response.cache_control.public = True
                response.cache_control.max_age = ONE_YEAR
                response.cache_control.immutable = True
        elif response.mimetype == "text/html" and "Cache-Control" not in response.headers:
            if request.endpoint in NO_STORE_ENDPOINTS:
                response.headers["Cache-Control"] = "no-store"
            else:
                # The back button shows the page again; a new visit asks the server first.
                response.headers["Cache-Control"] = "private, no-cache"
        return response
