"""IndexNow: the key file the board must publish, and one POST with every changed URL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from site_gen.errors import SitegenError
from site_gen.jobs_manifest import key_file_route
from site_gen.notify.http import error_message, http_request
from site_gen.notify.report import NotifyReport

INDEXNOW_MAX_URLS = 10_000  # IndexNow's limit per POST


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
                f"IndexNow: {endpoint}: HTTP {response.status}: {error_message(response)}"
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
