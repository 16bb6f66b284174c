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
    csp = content_security_policy(app.config.get("S3_ENDPOINT_URL"))

    @app.after_request
    def set_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", csp)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not app.debug and not app.testing:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # Pages that differ for htmx requests must not be cached as one.
        response.vary.add("HX-Request")
        # Cache-Control for pages and static files: portfolio/static_assets.py.
        return response
