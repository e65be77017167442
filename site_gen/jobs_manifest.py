"""``sitegen-jobs.json``: the job pages a build publishes, each with a digest of what it shows.

The build writes it at the output's root, so a deployed board publishes it; ``sitegen notify``
compares the deployed board's copy with a new build's to tell which job pages are new,
changed or gone, with no state kept on the build machine. A posting is listed when its page
is live and carries JobPosting markup (published, not expired, eligible for Google for Jobs).
Its digest (``validate.shown_digest``) covers what its page shows: every frontmatter field
but ``draft`` and ``slug`` (the slug is the URL), and the markdown body; not the theme,
which changes every page at once without changing a job.

With ``[notify] indexnow_key`` set, the build also writes ``<key>.txt``, the file by which
IndexNow engines check that the key belongs to the board's host.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from site_gen.errors import SitegenError
from site_gen.site import Site
from site_gen.structured_data import google_problems
from site_gen.urls import posting_route

MANIFEST_ROUTE = "sitegen-jobs.json"
FORMAT = 1


@dataclass(frozen=True)
class JobPage:
    """One live job page: its route below the base URL, its digest and its dates."""

    route: str
    digest: str
    date_posted: date


@dataclass(frozen=True)
class JobsManifest:
    base_url: str
    pages: tuple[JobPage, ...]  # newest first


def notify_files(site: Site) -> Iterator[tuple[str, bytes]]:
    """The files the build publishes for ``sitegen notify``: the manifest, the IndexNow key."""
    yield MANIFEST_ROUTE, encode(manifest_of(site))
    key = site.config.notify.indexnow_key
    if key:
        yield key_file_route(key), key.encode("ascii")


def key_file_route(key: str) -> str:
    return f"{key}.txt"


def manifest_of(site: Site) -> JobsManifest:
    pages = tuple(
        JobPage(posting_route(p.slug), p.source.shown_digest, p.date_posted)
        for p in site.published
        if not google_problems(p)
    )
    return JobsManifest(site.config.base_url, pages)


def encode(manifest: JobsManifest) -> bytes:
    """The manifest as JSON, one job a line (``json``'s C encoder: no ``indent``)."""
    head = {"generator": "sitegen", "format": FORMAT, "base_url": manifest.base_url}
    jobs = ",\n".join(
        f'{{"route": {json.dumps(p.route)}, "digest": "{p.digest}", "date_posted": "{p.date_posted}"}}'
        for p in manifest.pages
    )
    text = json.dumps(head)[:-1] + (f', "jobs": [\n{jobs}\n]}}\n' if jobs else ', "jobs": []}\n')
    return text.encode("utf-8")


def decode(data: bytes, source: str) -> JobsManifest:
    """A manifest read back; a ``SitegenError`` naming ``source`` if it is not one."""
    try:
        parsed: Any = json.loads(data)
        if parsed.get("generator") != "sitegen" or parsed.get("format") != FORMAT:
            raise ValueError(f"expected a sitegen manifest of format {FORMAT}")
        pages = tuple(
            JobPage(str(job["route"]), str(job["digest"]), date.fromisoformat(job["date_posted"]))
            for job in parsed["jobs"]
        )
        return JobsManifest(str(parsed["base_url"]), pages)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SitegenError(f"{source}: not a readable {MANIFEST_ROUTE} ({exc})") from None
