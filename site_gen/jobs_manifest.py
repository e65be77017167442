"""``sitegen-jobs.json``: the job pages a build publishes, each with a digest of what it shows.

The build writes it at the output's root, so a deployed board publishes it; ``sitegen notify``
compares the deployed board's copy with a new build's to tell which job pages are new,
changed or gone, with no state kept on the build machine. A posting is listed when its page
is live and carries JobPosting markup (published, not expired, eligible for Google for Jobs).
Its digest covers what its page shows: every frontmatter field but ``draft`` and ``slug``
(the slug is the URL), and the markdown body; not the theme, which changes every page at
once without changing a job.

With ``[notify] indexnow_key`` set, the build also writes ``<key>.txt``, the file by which
IndexNow engines check that the key belongs to the board's host.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from site_gen.errors import SitegenError
from site_gen.models import Posting
from site_gen.site import Site
from site_gen.structured_data import google_problems
from site_gen.urls import posting_route

MANIFEST_ROUTE = "sitegen-jobs.json"
FORMAT = 1
NOT_SHOWN = {"draft", "slug", "source", "summary"}


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
        JobPage(posting_route(p.slug), shown_digest(p), p.date_posted)
        for p in site.published
        if not google_problems(p)
    )
    return JobsManifest(site.config.base_url, pages)


def shown_digest(posting: Posting) -> str:
    """A digest of what the posting's page shows: it changes exactly when the job does."""
    fields = posting.model_dump(mode="json", exclude=NOT_SHOWN)
    text = json.dumps([fields, posting.source.body_digest], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def encode(manifest: JobsManifest) -> bytes:
    data = {
        "generator": "sitegen",
        "format": FORMAT,
        "base_url": manifest.base_url,
        "jobs": [
            {"route": p.route, "digest": p.digest, "date_posted": p.date_posted.isoformat()}
            for p in manifest.pages
        ],
    }
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


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
