"""Google's Indexing API: the service account's credentials, and one ``publish`` request
per changed URL, authorised with a token from the OAuth 2.0 JWT bearer flow that
google-auth runs with the service account's key."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import google.auth.exceptions
from google.oauth2 import service_account

from site_gen.errors import SitegenError, one_line
from site_gen.notify.changes import Change
from site_gen.notify.http import UrllibTransport, error_message, http_request
from site_gen.notify.report import NotifyReport, not_sent

INDEXING_SCOPE = "https://www.googleapis.com/auth/indexing"
ENGINE = "Google Indexing API"


@dataclass(frozen=True)
class GoogleAccount:
    """A service account's credentials, scoped for the Indexing API, and its token URI."""

    credentials: service_account.Credentials
    token_uri: str


def google_account(path: str) -> GoogleAccount:
    """Read the service account's JSON key file (no request is made yet)."""
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
        # google-auth's functions carry no annotations (here and below).
        credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            info, scopes=[INDEXING_SCOPE]
        )
        return GoogleAccount(credentials, str(info["token_uri"]))
    except FileNotFoundError:
        raise SitegenError(f"google_credentials: {path}: no such file") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        message = one_line(" ".join(str(exc).split()))
        raise SitegenError(
            f"google_credentials: {path}: not a service-account JSON key file ({message})"
        ) from None


def send_google(
    changes: Sequence[Change], account: GoogleAccount, endpoint: str, report: NotifyReport
) -> int:
    """One publish request per change; the number sent. Stops at the first error that
    every further request would meet too (no token, permission, quota)."""
    transport = UrllibTransport()
    sent = 0
    for position, change in enumerate(changes):
        headers = {"Content-Type": "application/json"}
        try:
            account.credentials.before_request(transport, "POST", endpoint, headers)  # type: ignore[no-untyped-call]
        except (google.auth.exceptions.GoogleAuthError, OSError) as exc:
            reason = one_line(" ".join(str(exc).split()))
            report.errors.append(f"{ENGINE}: no access token from {account.token_uri}: {reason}")
            not_sent(report, ENGINE, changes[position:])
            return sent
        body = json.dumps({"url": change.url, "type": change.kind}).encode("utf-8")
        try:
            response = http_request(endpoint, "POST", body, headers)
        except OSError as exc:
            report.errors.append(f"{ENGINE}: {endpoint}: not reachable ({exc})")
            not_sent(report, ENGINE, changes[position:])
            return sent
        if response.status == 200:
            sent += 1
            continue
        reason = error_message(response)
        if response.status == 429:
            report.errors.append(f"{ENGINE}: quota exhausted (HTTP 429: {reason})")
        else:
            report.errors.append(
                f"{ENGINE}: {change.kind} {change.url}: HTTP {response.status}: {reason}"
            )
        if response.status in (401, 403, 429):
            not_sent(report, ENGINE, changes[position + 1 :])
            return sent
    return sent
