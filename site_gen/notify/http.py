"""HTTP for ``sitegen notify``: one request with the standard library, and google-auth's
transport interface over it, so that getting a token needs neither requests nor urllib3."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import google.auth.exceptions
import google.auth.transport

from site_gen import __version__
from site_gen.errors import one_line

TIMEOUT = 30.0  # seconds per HTTP request
USER_AGENT = f"sitegen/{__version__} (+notify)"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes


def http_request(
    url: str,
    method: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> HttpResponse:
    """One HTTP request with the standard library; an error status is a response, not an
    exception (an ``OSError`` means the server could not be reached)."""
    request = urllib.request.Request(url, data=body, method=method)
    for name, value in {"User-Agent": USER_AGENT, **(headers or {})}.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout or TIMEOUT) as response:
            return HttpResponse(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return HttpResponse(exc.code, dict(exc.headers), exc.read())


def error_message(response: HttpResponse) -> str:
    """Google's ``error.message`` (or IndexNow's text), on one line and short."""
    text = response.body.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text)
        message = parsed["error"]["message"] if isinstance(parsed.get("error"), dict) else text
    except (ValueError, KeyError, TypeError, AttributeError):
        message = text
    message = " ".join(str(message).split()) or "(no message)"
    return one_line(message if len(message) <= 200 else message[:197] + "...")


class _Response(google.auth.transport.Response):
    """An ``HttpResponse`` as google-auth expects it."""

    def __init__(self, response: HttpResponse) -> None:
        self._response = response

    @property
    def status(self) -> int:
        return self._response.status

    @property
    def headers(self) -> Mapping[str, str]:
        return self._response.headers

    @property
    def data(self) -> bytes:
        return self._response.body


class UrllibTransport(google.auth.transport.Request):
    """google-auth's transport interface over the standard library, so that getting a
    token needs neither requests nor urllib3."""

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> _Response:
        try:
            return _Response(http_request(url, method, body, headers, timeout))
        except OSError as exc:
            # google-auth's functions carry no annotations (here and in google.py).
            raise google.auth.exceptions.TransportError(f"{url}: {exc}") from exc  # type: ignore[no-untyped-call]
