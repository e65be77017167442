"""A local stand-in for Google's OAuth 2.0 token endpoint, Google's Indexing API and IndexNow.

One HTTP server on 127.0.0.1 records every request and answers as the services document:

- ``POST /token``: the OAuth 2.0 JWT bearer grant (RFC 7523) as Google's token endpoint
  takes it: a form body with ``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`` and
  an RS256-signed ``assertion``, verified here with the service account's public key. A good
  one gets a fresh access token; a bad one ``400 invalid_grant``.
- ``POST /v3/urlNotifications:publish``: ``{"url", "type"}`` as JSON with a bearer token
  this server issued; answered with ``urlNotificationMetadata``, or Google's error JSON.
- ``POST /indexnow``: IndexNow's JSON body ``{"host", "key", "keyLocation", "urlList"}``;
  answered 200 (or the status a test sets).

Every problem found with a request is recorded in ``problems`` (a test asserts there are
none) and answered with 400, so a client that sends a wrong request cannot pass.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
INDEXING_SCOPE = "https://www.googleapis.com/auth/indexing"
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"  # the JWT's documented aud
SERVICE_ACCOUNT = "sitegen-notify@example-project.iam.gserviceaccount.com"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Engines:
    """The server's state: what it received, what it issued, how it should answer."""

    public_key: rsa.RSAPublicKey
    requests: list[Recorded] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    assertions: list[dict[str, Any]] = field(default_factory=list)  # verified JWT claims
    google_status: int = 200
    indexnow_status: int = 200
    base_url: str = ""

    def received(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def publish_requests(self) -> list[Recorded]:
        return self.received("/v3/urlNotifications:publish")


def service_account_key(token_uri: str) -> tuple[dict[str, str], rsa.RSAPublicKey]:
    """A service account's JSON key (as the Cloud console makes it), with a new RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    info = {
        "type": "service_account",
        "project_id": "example-project",
        "private_key_id": secrets.token_hex(20),
        "private_key": pem,
        "client_email": SERVICE_ACCOUNT,
        "client_id": "123456789012345678901",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
    }
    return info, key.public_key()


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class Handler(BaseHTTPRequestHandler):
    engines: Engines

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        request = Recorded("POST", self.path, dict(self.headers.items()), body)
        self.engines.requests.append(request)
        handler = {
            "/token": self.token,
            "/v3/urlNotifications:publish": self.publish,
            "/indexnow": self.indexnow,
        }.get(self.path)
        if handler is None:
            self.problem(f"POST to an unknown path {self.path}")
            return
        handler(request)

    def do_GET(self) -> None:
        self.engines.requests.append(Recorded("GET", self.path, dict(self.headers.items()), b""))
        self.answer(404, {"error": "not found"})

    def token(self, request: Recorded) -> None:
        if request.headers.get("Content-Type") != "application/x-www-form-urlencoded":
            return self.problem(f"token: Content-Type {request.headers.get('Content-Type')}")
        form = parse_qs(request.body.decode("ascii"), strict_parsing=True)
        if form.get("grant_type") != [JWT_GRANT] or len(form.get("assertion", [])) != 1:
            return self.problem(f"token: not a JWT bearer grant: {sorted(form)}")
        claims = self.verified_claims(form["assertion"][0])
        if claims is None:
            self.answer(400, {"error": "invalid_grant", "error_description": "Invalid JWT"})
            return None
        self.engines.assertions.append(claims)
        token = f"ya29.test-{secrets.token_urlsafe(16)}"
        self.engines.tokens.add(token)
        self.answer(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})
        return None

    def verified_claims(self, assertion: str) -> dict[str, Any] | None:
        """The JWT's claims if it is RS256-signed by the service account's key and claims
        what Google's token endpoint requires."""
        try:
            header_part, payload_part, signature_part = assertion.split(".")
            header, claims = json.loads(_b64(header_part)), json.loads(_b64(payload_part))
            self.engines.public_key.verify(
                _b64(signature_part),
                f"{header_part}.{payload_part}".encode("ascii"),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except Exception as exc:
            self.engines.problems.append(f"token: the JWT does not verify: {exc!r}")
            return None
        now = time.time()
        wrong = [
            header.get("alg") != "RS256" and "alg",
            claims.get("iss") != SERVICE_ACCOUNT and "iss",
            claims.get("scope") != INDEXING_SCOPE and "scope",
            claims.get("aud") != GOOGLE_TOKEN_AUDIENCE and "aud",
            not claims.get("iat", 0) - 300 <= now <= claims.get("exp", 0) and "iat/exp",
            claims.get("exp", 0) - claims.get("iat", 0) > 3600 and "lifetime",
        ]
        if any(wrong):
            self.engines.problems.append(f"token: wrong claims {[w for w in wrong if w]}: {claims}")
            return None
        return {"header": header, **claims}

    def publish(self, request: Recorded) -> None:
        if request.headers.get("Content-Type") != "application/json":
            return self.problem(f"publish: Content-Type {request.headers.get('Content-Type')}")
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if bearer not in self.engines.tokens:
            self.answer(
                401,
                {
                    "error": {
                        "code": 401,
                        "message": "Request had invalid authentication credentials.",
                        "status": "UNAUTHENTICATED",
                    }
                },
            )
            self.engines.problems.append("publish: no token this server issued")
            return None
        body = request.json()
        if set(body) != {"url", "type"} or body["type"] not in {"URL_UPDATED", "URL_DELETED"}:
            return self.problem(f"publish: body {body}")
        status = self.engines.google_status
        if status == 200:
            kind = "latestUpdate" if body["type"] == "URL_UPDATED" else "latestRemove"
            notification = {**body, "notifyTime": "2026-12-10T12:00:00.000Z"}
            self.answer(200, {"urlNotificationMetadata": {"url": body["url"], kind: notification}})
        elif status == 429:
            message = "Quota exceeded for quota metric 'Publish requests' and limit 'Publish requests per day'"
            self.answer(
                429, {"error": {"code": 429, "message": message, "status": "RESOURCE_EXHAUSTED"}}
            )
        else:
            message = "Permission denied. Failed to verify the URL ownership."
            self.answer(
                status,
                {"error": {"code": status, "message": message, "status": "PERMISSION_DENIED"}},
            )
        return None

    def indexnow(self, request: Recorded) -> None:
        if request.headers.get("Content-Type") != "application/json; charset=utf-8":
            return self.problem(f"indexnow: Content-Type {request.headers.get('Content-Type')}")
        body = request.json()
        if set(body) != {"host", "key", "keyLocation", "urlList"} or not body["urlList"]:
            return self.problem(f"indexnow: body keys {sorted(body)}")
        self.send_response(self.engines.indexnow_status)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return None

    def problem(self, text: str) -> None:
        self.engines.problems.append(text)
        self.answer(400, {"error": {"code": 400, "message": text}})

    def answer(self, status: int, data: Any) -> None:
        body = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


@contextmanager
def search_engines(folder: Path) -> Iterator[tuple[Engines, str, Path]]:
    """The server, its base URL, and a service-account key file (in ``folder``) whose
    ``token_uri`` is this server's ``/token``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    info, public_key = service_account_key(f"{url}/token")
    engines = Engines(public_key)
    server.RequestHandlerClass = type("Recording", (Handler,), {"engines": engines})
    key_file = folder / "service-account.json"
    key_file.write_text(json.dumps(info), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield engines, url, key_file
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
