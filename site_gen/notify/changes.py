"""What changed in a deploy: the previous deploy's job pages (from its ``sitegen-jobs.json``,
else its sitemap), the new build's manifest, and the job URLs updated and deleted between
them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Final, Literal
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

from site_gen.errors import SitegenError
from site_gen.jobs_manifest import MANIFEST_ROUTE, JobsManifest, decode
from site_gen.notify.http import http_request
from site_gen.urls import SITEMAP_ROUTE

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

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
