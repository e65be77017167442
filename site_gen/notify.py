"""``sitegen notify``: tell search engines which job pages changed in a deploy.

What changed is computed from what the previously deployed board publishes (its
``sitegen-jobs.json``, else its sitemap) and the new build's ``sitegen-jobs.json``; nothing
is kept on the build machine. A new job page or one whose shown content changed is
*updated*; one that was removed, expired or lost its JobPosting markup is *deleted*. A
previous board that cannot be reached, or publishes neither file, counts as empty: every
live job page is updated.

Then Google's Indexing API gets one ``publish`` request per URL (newest first, at most
``google_daily_quota``), authorised with a token from the OAuth 2.0 JWT bearer flow that
google-auth runs with the service account's key; and IndexNow gets one POST with every
changed URL. Nothing here writes a file.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Final, Literal
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import google.auth.exceptions
import google.auth.transport
from google.oauth2 import service_account

from site_gen import __version__
from site_gen.config import NOTIFY_ENVIRONMENT, NotifySettings
from site_gen.errors import SitegenError, one_line
from site_gen.jobs_manifest import MANIFEST_ROUTE, JobsManifest, decode, key_file_route
from site_gen.urls import SITEMAP_ROUTE

INDEXING_SCOPE = "https://www.googleapis.com/auth/indexing"
INDEXNOW_MAX_URLS = 10_000  # IndexNow's limit per POST
TIMEOUT = 30.0  # seconds per HTTP request
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
USER_AGENT = f"sitegen/{__version__} (+notify)"

Kind = Literal["URL_UPDATED", "URL_DELETED"]
UPDATED: Final[Kind] = "URL_UPDATED"
DELETED: Final[Kind] = "URL_DELETED"


@dataclass(frozen=True)
class Change:
    """One job URL to notify, and the date it was posted (newest are sent first)."""

    url: str
    kind: Kind
    date_posted: date


@dataclass(frozen=True)
class PreviousJob:
    """A job page of the previous deploy: its digest (from its manifest) or its date posted
    (from its sitemap's ``lastmod``), and the date it was posted if known."""

    mark: str
    date_posted: date | None


@dataclass(frozen=True)
class Previous:
    """What the previous deploy published: its job pages by route; ``source`` says where
    they were read (or why there are none)."""

    jobs: Mapping[str, PreviousJob]
    source: str  # e.g. "https://jobs.example.com/sitegen-jobs.json"
    exact: bool  # digests (a manifest), not dates (a sitemap)


@dataclass
class NotifyReport:
    """What ``notify`` did: lines for the user, and one line per error (non-zero exit)."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes


# -- what changed -------------------------------------------------------------------------


def compute_changes(previous: Previous, new: JobsManifest) -> tuple[Change, ...]:
    """The job URLs updated and deleted since ``previous``, newest first."""
    base = new.base_url
    changes = []
    live = {page.route for page in new.pages}
    for page in new.pages:
        before = previous.jobs.get(page.route)
        now = page.digest if previous.exact else page.date_posted.isoformat()
        if before is None or before.mark != now:
            changes.append(Change(urljoin(base, page.route), UPDATED, page.date_posted))
    for route, job in previous.jobs.items():
        if route not in live:
            changes.append(Change(urljoin(base, route), DELETED, job.date_posted or date.min))
    return tuple(sorted(changes, key=lambda c: (-c.date_posted.toordinal(), c.url)))


class Unreachable(Exception):
    """The previous board could not be read (network error, server error)."""


Fetch = Callable[[str], "bytes | None"]


def read_previous(location: str, base_url: str) -> Previous:
    """The job pages of the previous deploy at ``location``: a URL or a folder."""
    is_url = location.startswith(("http://", "https://"))
    fetch: Fetch = _fetch_url if is_url else _read_file
    base = location if location.endswith("/") else location + "/"
    manifest_at, sitemap_at = base + MANIFEST_ROUTE, base + SITEMAP_ROUTE
    try:
        data = fetch(manifest_at)
        if data is not None:
            manifest = decode(data, manifest_at)
            jobs = {p.route: PreviousJob(p.digest, p.date_posted) for p in manifest.pages}
            return Previous(jobs, manifest_at, exact=True)
        sitemap = fetch(sitemap_at)
        if sitemap is not None:
            found = sitemap_jobs(sitemap, sitemap_at, base_url, partial(_fetch_part, fetch, base))
            return Previous(dict(found), sitemap_at, exact=False)
    except Unreachable as exc:
        return Previous({}, f"{location}: not reachable ({exc})", exact=True)
    return Previous({}, f"{location}: publishes neither {MANIFEST_ROUTE} nor a sitemap", True)


def _fetch_part(fetch: Fetch, base: str, url: str) -> bytes | None:
    """A sitemap part: from its URL, or in a folder, the file of the same name."""
    is_url = base.startswith(("http://", "https://"))
    return fetch(url if is_url else base + url.rstrip("/").rsplit("/", 1)[-1])


def _fetch_url(url: str) -> bytes | None:
    """The body at ``url``; None for 404 and 410 (not there)."""
    try:
        response = http_request(url, "GET")
    except OSError as exc:
        raise Unreachable(str(exc)) from None
    if response.status in (404, 410):
        return None
    if response.status != 200:
        raise Unreachable(f"HTTP {response.status} for {url}")
    return response.body


def _read_file(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Unreachable(str(exc)) from None


def sitemap_jobs(
    data: bytes, source: str, base_url: str, fetch_part: Fetch
) -> list[tuple[str, PreviousJob]]:
    """``(route, job)`` of every job page in a sitemap, or in the parts of a sitemap index."""
    root = _parse_sitemap(data, source)
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        found = []
        for loc in root.iter(f"{SITEMAP_NS}loc"):
            part = fetch_part((loc.text or "").strip())
            if part is not None:
                found += _job_entries(_parse_sitemap(part, source), base_url)
        return found
    return _job_entries(root, base_url)


def _parse_sitemap(data: bytes, source: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise SitegenError(f"{source}: not a readable sitemap ({exc})") from None


def _job_entries(root: ElementTree.Element, base_url: str) -> list[tuple[str, PreviousJob]]:
    """The job pages (``jobs/<slug>/`` below the base URL's path) of one sitemap file."""
    base_path = urlsplit(base_url).path
    found = []
    for entry in root.iter(f"{SITEMAP_NS}url"):
        path = urlsplit((entry.findtext(f"{SITEMAP_NS}loc") or "").strip()).path
        route = path.removeprefix(base_path) if path.startswith(base_path) else ""
        parts = route.split("/")
        if len(parts) == 3 and parts[0] == "jobs" and parts[1] and not parts[2]:
            lastmod = (entry.findtext(f"{SITEMAP_NS}lastmod") or "").strip()[:10]
            found.append((route, PreviousJob(lastmod, _date_or_none(lastmod))))
    return found


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_new(output: Path) -> JobsManifest:
    path = output / MANIFEST_ROUTE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SitegenError(
            f"{path}: not found: run sitegen build first (notify compares its output "
            "with the previous deploy)"
        ) from None
    return decode(data, str(path))


# -- HTTP -----------------------------------------------------------------------------------


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
            # google-auth's functions carry no annotations (here and below).
            raise google.auth.exceptions.TransportError(f"{url}: {exc}") from exc  # type: ignore[no-untyped-call]


# -- the engines --------------------------------------------------------------------------


@dataclass(frozen=True)
class GoogleAccount:
    """A service account's credentials, scoped for the Indexing API, and its token URI."""

    credentials: service_account.Credentials
    token_uri: str


def google_account(path: str) -> GoogleAccount:
    """Read the service account's JSON key file (no request is made yet)."""
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
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
            report.errors.append(
                f"Google Indexing API: no access token from {account.token_uri}: {reason}"
            )
            _not_sent(report, "Google Indexing API", changes[position:])
            return sent
        body = json.dumps({"url": change.url, "type": change.kind}).encode("utf-8")
        try:
            response = http_request(endpoint, "POST", body, headers)
        except OSError as exc:
            report.errors.append(f"Google Indexing API: {endpoint}: not reachable ({exc})")
            _not_sent(report, "Google Indexing API", changes[position:])
            return sent
        if response.status == 200:
            sent += 1
            continue
        reason = _error_message(response)
        if response.status == 429:
            report.errors.append(f"Google Indexing API: quota exhausted (HTTP 429: {reason})")
        else:
            report.errors.append(
                f"Google Indexing API: {change.kind} {change.url}: HTTP {response.status}: {reason}"
            )
        if response.status in (401, 403, 429):
            _not_sent(report, "Google Indexing API", changes[position + 1 :])
            return sent
    return sent


def send_indexnow(
    urls: Sequence[str], key: str, base_url: str, endpoint: str, report: NotifyReport
) -> int:
    """One POST per 10,000 URLs (so one for any ordinary deploy); the number of URLs sent."""
    sent = 0
    for start in range(0, len(urls), INDEXNOW_MAX_URLS):
        batch = list(urls[start : start + INDEXNOW_MAX_URLS])
        body = json.dumps(indexnow_body(batch, key, base_url)).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        try:
            response = http_request(endpoint, "POST", body, headers)
        except OSError as exc:
            report.errors.append(f"IndexNow: {endpoint}: not reachable ({exc})")
            return sent
        if response.status not in (200, 202):
            report.errors.append(
                f"IndexNow: {endpoint}: HTTP {response.status}: {_error_message(response)}"
            )
            return sent
        sent += len(batch)
    return sent


def indexnow_body(urls: Sequence[str], key: str, base_url: str) -> dict[str, Any]:
    """IndexNow's JSON body: the key file sits at the base URL, on the board's host."""
    return {
        "host": urlsplit(base_url).netloc,
        "key": key,
        "keyLocation": urljoin(base_url, key_file_route(key)),
        "urlList": list(urls),
    }


def _error_message(response: HttpResponse) -> str:
    """Google's ``error.message`` (or IndexNow's text), on one line and short."""
    text = response.body.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text)
        message = parsed["error"]["message"] if isinstance(parsed.get("error"), dict) else text
    except (ValueError, KeyError, TypeError, AttributeError):
        message = text
    message = " ".join(str(message).split()) or "(no message)"
    return one_line(message if len(message) <= 200 else message[:197] + "...")


def _not_sent(report: NotifyReport, engine: str, changes: Sequence[Change]) -> None:
    for change in changes:
        report.lines.append(f"{engine}: not sent: {change.kind} {change.url}")


# -- the command ----------------------------------------------------------------------------


def notify(
    settings: NotifySettings, output: Path, previous: str, *, dry_run: bool = False
) -> NotifyReport:
    """Compare, then notify every engine that has its key or credentials."""
    new = read_new(output)
    before = read_previous(previous, new.base_url)
    changes = compute_changes(before, new)
    report = NotifyReport()
    updated = sum(c.kind == UPDATED for c in changes)
    if before.jobs:
        kind = "digests" if before.exact else "dates in the sitemap"
        report.lines.append(
            f"Compared {len(new.pages)} live job pages with {before.source} ({kind}): "
            f"{updated} new or changed, {len(changes) - updated} removed or expired"
        )
    else:
        report.lines.append(
            f"No previous job pages ({before.source}): all {len(new.pages)} live job pages "
            "count as new"
        )
    account = google_account(settings.google_credentials) if settings.google_credentials else None
    key = settings.indexnow_key
    if key:
        check_key_file(output, key)
    verb = "would send" if dry_run else "sent"
    if account is None:
        report.lines.append(
            "Google Indexing API: skipped (set [notify] google_credentials or "
            f"{NOTIFY_ENVIRONMENT['google_credentials']})"
        )
    elif not changes:
        report.lines.append("Google Indexing API: nothing to send")
    else:
        quota = settings.google_daily_quota
        within, beyond = changes[:quota], changes[quota:]
        for change in within if dry_run else ():
            report.lines.append(f"Google Indexing API: would send {change.kind} {change.url}")
        count = (
            len(within)
            if dry_run
            else send_google(within, account, settings.google_endpoint, report)
        )
        report.lines.append(f"Google Indexing API: {verb} {count} of {len(changes)} notifications")
        if beyond:
            report.lines.append(
                f"Google Indexing API: {len(beyond)} not sent, beyond google_daily_quota = {quota} "
                "(the oldest postings; the sitemap still lists them):"
            )
            _not_sent(report, "Google Indexing API", beyond)
    if not key:
        report.lines.append(
            f"IndexNow: skipped (set [notify] indexnow_key or {NOTIFY_ENVIRONMENT['indexnow_key']})"
        )
    elif not changes:
        report.lines.append("IndexNow: nothing to send")
    else:
        urls = [c.url for c in changes]
        if dry_run:
            body = json.dumps(indexnow_body(urls, key, new.base_url), indent=1)
            report.lines.append(f"IndexNow: would POST to {settings.indexnow_endpoint}: {body}")
            count = len(urls)
        else:
            count = send_indexnow(urls, key, new.base_url, settings.indexnow_endpoint, report)
        report.lines.append(f"IndexNow: {verb} {count} of {len(urls)} URLs")
    if dry_run:
        report.lines.append("Dry run: nothing was sent.")
    return report


def check_key_file(output: Path, key: str) -> None:
    """IndexNow engines fetch ``<key>.txt`` from the board: the build must have written it."""
    path = output / key_file_route(key)
    try:
        found = path.read_text(encoding="utf-8").strip()
    except OSError:
        found = None
    if found != key:
        raise SitegenError(
            f"{path}: {'not found' if found is None else 'holds another key'}: build with the "
            "same indexnow_key (or SITEGEN_INDEXNOW_KEY) so that the board publishes its key file"
        )
