"""Security headers on every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask


def content_security_policy(s3_endpoint: str | None) -> str:
    """Build the CSP: no inline script, no eval, media only from us (and the S3 endpoint)."""
    media = "'self' blob: data:"
    if s3_endpoint:
        parts = urlsplit(s3_endpoint)
        media += f" {parts.scheme}://{parts.netloc}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {media}",
            f"media-src {media}",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def init_app(app: Flask) -> None:
    defaults = [
        ("Content-Security-Policy", content_security_policy(app.config.get("S3_ENDPOINT_URL"))),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if not app.debug and not app.testing:
        defaults.append(("Strict-Transport-Security", "max-age=31536000"))
    defaults = [(name, name.lower(), value) for name, value in defaults]

    @app.after_request
    def set_headers(response):
        headers = response.headers
        # A header a view set itself stays. One pass over the response's headers: a
        # `setdefault` per header searched them all each time (a twentieth of a signed-in
        # request that does nothing else).
        present = {name.lower() for name, _ in headers}
        for name, lowered, value in defaults:
            if lowered not in present:
                headers.add(name, value)
        # Pages that differ for htmx requests must not be cached as one.
        response.vary.add("HX-Request")
        # Cache-Control for pages and static files: portfolio/static_assets.py.
        return response
