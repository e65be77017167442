"""Load ``sitegen.toml`` into a frozen, validated ``SiteConfig``.

Every setting has a default, so an empty file (or none) builds. An unknown setting is an
error, since it is most likely a typo.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from site_gen.errors import ConfigError
from site_gen.field_types import check_email, currency_codes

CONFIG_NAME = "sitegen.toml"
INDEXNOW_KEY = re.compile(r"[A-Za-z0-9-]{8,128}")  # IndexNow's documented key format
# Settings of [notify] that may come from the environment instead (CI secrets).
NOTIFY_ENVIRONMENT = {
    "indexnow_key": "SITEGEN_INDEXNOW_KEY",
    "google_credentials": "GOOGLE_APPLICATION_CREDENTIALS",
}


class NavLink(BaseModel):
    """A link in the site header."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    url: str


class NotifySettings(BaseModel):
    """``[notify]``: which search engines ``sitegen notify`` tells about changed postings.

    ``indexnow_key`` falls back to ``SITEGEN_INDEXNOW_KEY``, ``google_credentials`` (a path)
    to ``GOOGLE_APPLICATION_CREDENTIALS``; an engine with neither is skipped.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    indexnow_key: str | None = None
    indexnow_endpoint: str = "https://api.indexnow.org/indexnow"
    google_credentials: str | None = None
    google_endpoint: str = "https://indexing.googleapis.com/v3/urlNotifications:publish"
    google_daily_quota: int = Field(default=200, ge=0)

    @field_validator("indexnow_key")
    @classmethod
    def _key_format(cls, value: str | None) -> str | None:
        if value is not None and not INDEXNOW_KEY.fullmatch(value):
            raise ValueError(
                "expected 8 to 128 letters, digits or dashes (IndexNow's key format), "
                "e.g. the output of: python3 -c 'import uuid; print(uuid.uuid4().hex)'"
            )
        return value

    @field_validator("indexnow_endpoint", "google_endpoint")
    @classmethod
    def _endpoint_is_http(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"expected an http(s) URL, got {value!r}")
        return value


class SiteConfig(BaseModel):
    """The board's settings. Each field is documented in the README's settings table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = "Job board"
    description: str = "Open positions."
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    theme: str = "default"
    markdown_engine: Literal["comrak", "python-markdown"] = "comrak"
    page_size: int = Field(default=20, ge=1, le=1000)
    output_dir: str = "output"
    expired: Literal["keep", "drop"] = "keep"
    salary_bands: tuple[int, ...] = (50_000, 100_000, 150_000, 200_000)
    salary_bands_by_currency: dict[str, tuple[int, ...]] = Field(default_factory=dict)
    feed_size: int = Field(default=50, ge=1)
    logo: str | None = None
    accent_color: str = "#1f6feb"
    nav: tuple[NavLink, ...] = ()
    footer: str = ""
    # Left out of dumps, and so of the pages' cache keys: no page shows it (the IndexNow key
    # file is made afresh by every build).
    notify: NotifySettings = Field(default_factory=NotifySettings, exclude=True)
    # Where the "Post a job" form sends a posting: a GitHub repository ("owner/name") for a
    # prefilled issue, and the board's email address for a prefilled email. Both optional.
    repository: str | None = None
    email: str | None = None

    @field_validator("base_url")
    @classmethod
    def _base_url_is_http(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(
                f"expected an http(s) URL such as https://jobs.example.com/, got {value!r}"
            )
        return value if value.endswith("/") else value + "/"

    @field_validator("salary_bands")
    @classmethod
    def _bands_ascending(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        return _check_bands(value)

    @field_validator("salary_bands_by_currency")
    @classmethod
    def _currency_bands(cls, value: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
        checked = {}
        for code, bands in value.items():
            if code.upper() not in currency_codes():
                raise ValueError(f"expected ISO 4217 currency codes such as JPY, got {code!r}")
            checked[code.upper()] = _check_bands(bands)
        return checked

    def bands_for(self, currency: str) -> tuple[int, ...]:
        """The salary band edges (annual pay) for one currency."""
        return self.salary_bands_by_currency.get(currency, self.salary_bands)

    @field_validator("repository")
    @classmethod
    def _repository_is_owner_name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[\w.-]+/[\w.-]+", value):
            raise ValueError(f"expected a GitHub repository as owner/name, got {value!r}")
        return value

    @field_validator("email")
    @classmethod
    def _email_is_an_address(cls, value: str | None) -> str | None:
        return None if value is None else check_email(value)

    @field_validator("accent_color")
    @classmethod
    def _accent_is_hex(cls, value: str) -> str:
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise ValueError(f"expected a colour like #1f6feb, got {value!r}")
        return value


def _check_bands(value: tuple[int, ...]) -> tuple[int, ...]:
    if list(value) != sorted(set(value)) or any(v <= 0 for v in value):
        raise ValueError("expected positive, strictly ascending numbers such as [50000, 100000]")
    return value


def load_config(
    path: Path,
    overrides: dict[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
) -> SiteConfig:
    """Read and validate the config file; a missing file means all defaults. ``[notify]``
    settings not in the file are taken from the environment (``NOTIFY_ENVIRONMENT``)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: {exc}") from None
    data.update({k: v for k, v in (overrides or {}).items() if v is not None})
    data, from_environment = with_notify_environment(
        data, os.environ if environ is None else environ
    )
    try:
        return SiteConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        names = [str(p) for p in err["loc"] if isinstance(p, str)]
        line = _line_of(text, names[-1]) if names else None
        where = f"{path.name}:{line}" if line else path.name
        if key.startswith("notify.") and names[-1] in from_environment:
            where = NOTIFY_ENVIRONMENT[names[-1]]
        if err["type"] == "extra_forbidden":
            fields = (
                NotifySettings.model_fields
                if key.startswith("notify.")
                else SiteConfig.model_fields
            )
            known = ", ".join(fields)
            raise ConfigError(
                f"{where}: {key}: unknown setting (known settings: {known})"
            ) from None
        raise ConfigError(f"{where}: {key}: {_plain(err['msg'])}") from None


def with_notify_environment(
    data: dict[str, Any], environ: Mapping[str, str]
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """``data`` with the ``[notify]`` settings it lacks taken from the environment, and
    the names of those settings."""
    notify = data.get("notify", {})
    if not isinstance(notify, dict):
        return data, ()  # validation says what is wrong with it
    found = {
        name: environ[variable]
        for name, variable in NOTIFY_ENVIRONMENT.items()
        if name not in notify and environ.get(variable)
    }
    if not found:
        return data, ()
    return {**data, "notify": {**notify, **found}}, tuple(found)


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ")
