"""``sitegen import``: postings from the public job-board APIs of Greenhouse, Lever and
Ashby. Each system's module reads its documented response into ``ImportedJob`` values;
``sync`` writes them into ``content/jobs/``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from site_gen.importers import ashby, greenhouse, lever
from site_gen.importers.jobs import Reading


@dataclass(frozen=True)
class System:
    name: str
    base_url: str
    url: Callable[[str, str], str]  # (base URL, board name) -> the API's URL
    read: Callable[[Any, str | None, str, date], Reading]  # (response, company, name, today)


SYSTEMS = {
    "greenhouse": System("greenhouse", greenhouse.BASE_URL, greenhouse.url, greenhouse.read),
    "lever": System("lever", lever.BASE_URL, lever.url, lever.read),
    "ashby": System("ashby", ashby.BASE_URL, ashby.url, ashby.read),
}
