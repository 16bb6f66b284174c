"""The load generator's HTTP client: the standard library's http.client, cookies kept by hand.

The generator shares the machine's cores with the server it measures. With requests it cost
about 2 ms of CPU per request (its cookie jar, hooks and adapters): at 120 requests a second a
seventh of the two cores went to the generator instead of the server. This client does what
the benchmark needs and no more: one connection per request (gunicorn's sync workers close it
after each answer anyway), the cookies the server sets, form posts, and compressed answers as
a browser asks for them (the server's compression is part of what is measured), decompressed
only when the text is read.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import brotli

ERRORS = (OSError, HTTPException)  # what a failed request raises
ACCEPT_ENCODING = "br, gzip"  # as browsers ask


@dataclass
class Answer:
    status_code: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        encoding = self.headers.get("Content-Encoding", "")
        body = self.body
        if encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        return body.decode("utf-8")


class Session:
    """One browser: its cookies, one request at a time, against one server."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def get(self, path: str, *, headers: dict | None = None, timeout: float = 60) -> Answer:
        return self.request("GET", path, headers=headers, timeout=timeout)

    def post(
        self, path: str, data: dict, *, headers: dict | None = None, timeout: float = 60
    ) -> Answer:
        return self.request("POST", path, data=data, headers=headers, timeout=timeout)

    def request(
        self,
        method: str,
        path: str,
        *,
        data: dict | None = None,
        headers: dict | None = None,
        timeout: float = 60,
    ) -> Answer:
        """Send one request (redirects are not followed) and keep the cookies it sets."""
        sent = {"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection = HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        self._keep_cookies(answer.headers.get_all("Set-Cookie") or ())
        return answer

    def _keep_cookies(self, set_cookies) -> None:
        for header in set_cookies:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel["expires"].endswith("1970 00:00:00 GMT"):
                    self.cookies.pop(name, None)  # the server ended it (sign-out)
                else:
                    self.cookies[name] = morsel.value


def path_of(location: str) -> str:
    """The path (and query) of a Location header, absolute or not."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")
