"""sitegen.toml loading."""

from pathlib import Path

import pytest

from site_gen.config import SiteConfig, load_config
from site_gen.errors import ConfigError


def test_missing_file_means_defaults(tmp_path: Path):
    assert load_config(tmp_path / "sitegen.toml") == SiteConfig()


def test_unknown_setting_is_an_error_with_its_line(tmp_path: Path):
    path = tmp_path / "sitegen.toml"
    path.write_text('title = "x"\npage_sise = 10\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(
        "sitegen.toml:2: page_sise: unknown setting (known settings: title,"
    )


def test_bad_value_is_named(tmp_path: Path):
    path = tmp_path / "sitegen.toml"
    path.write_text('base_url = "ftp://x"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (
        "sitegen.toml:1: base_url: expected an http(s) URL such as https://jobs.example.com/, got 'ftp://x'"
    )


def test_toml_syntax_error(tmp_path: Path):
    path = tmp_path / "sitegen.toml"
    path.write_text("title = \n")
    with pytest.raises(ConfigError, match=r"^sitegen.toml: Invalid value \(at line 1"):
        load_config(path)


def test_base_url_gets_a_trailing_slash_and_overrides_win(tmp_path: Path):
    path = tmp_path / "sitegen.toml"
    path.write_text('base_url = "https://a.example"\n')
    assert load_config(path).base_url == "https://a.example/"
    assert load_config(path, {"base_url": "https://b.example/x"}).base_url == "https://b.example/x/"


def test_salary_bands_per_currency(tmp_path: Path):
    path = tmp_path / "sitegen.toml"
    path.write_text(
        "salary_bands = [60000]\n[salary_bands_by_currency]\njpy = [5000000, 9000000]\n"
    )
    config = load_config(path)
    assert config.bands_for("JPY") == (5_000_000, 9_000_000)
    assert config.bands_for("USD") == (60_000,)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("XYZ = [1]", "expected ISO 4217 currency codes such as JPY, got 'XYZ'"),
        ("EUR = [9, 5]", "expected positive, strictly ascending numbers such as [50000, 100000]"),
    ],
)
def test_bad_currency_bands_are_named(tmp_path: Path, table: str, message: str):
    path = tmp_path / "sitegen.toml"
    path.write_text(f"[salary_bands_by_currency]\n{table}\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == f"sitegen.toml: salary_bands_by_currency: {message}"


def test_notify_settings_default_and_come_from_the_file(tmp_path: Path):
    assert load_config(tmp_path / "none.toml", environ={}).notify.google_daily_quota == 200
    path = tmp_path / "sitegen.toml"
    path.write_text('[notify]\nindexnow_key = "abcdef0123456789"\ngoogle_daily_quota = 50\n')
    notify = load_config(path, environ={"SITEGEN_INDEXNOW_KEY": "from-the-environment"}).notify
    assert (notify.indexnow_key, notify.google_daily_quota) == ("abcdef0123456789", 50)
    assert notify.indexnow_endpoint == "https://api.indexnow.org/indexnow"
    assert notify.google_endpoint == "https://indexing.googleapis.com/v3/urlNotifications:publish"


def test_notify_secrets_fall_back_to_the_environment(tmp_path: Path):
    environ = {
        "SITEGEN_INDEXNOW_KEY": "0123456789abcdef",
        "GOOGLE_APPLICATION_CREDENTIALS": "/k.json",
    }
    notify = load_config(tmp_path / "none.toml", environ=environ).notify
    assert (notify.indexnow_key, notify.google_credentials) == ("0123456789abcdef", "/k.json")


def test_notify_settings_stay_out_of_the_pages_cache_keys(tmp_path: Path):
    """No page shows them: changing the key must not make every page be rendered again."""
    environ = {"SITEGEN_INDEXNOW_KEY": "0123456789abcdef"}
    keyed = load_config(tmp_path / "none.toml", environ=environ)
    assert (
        keyed.model_dump_json() == load_config(tmp_path / "none.toml", environ={}).model_dump_json()
    )


@pytest.mark.parametrize(
    ("text", "environ", "message"),
    [
        (
            '[notify]\nindexnow_key = "short"\n',
            {},
            "sitegen.toml:2: notify.indexnow_key: expected 8 to 128 letters, digits or dashes",
        ),
        (
            "",
            {"SITEGEN_INDEXNOW_KEY": "has spaces in it"},
            "SITEGEN_INDEXNOW_KEY: notify.indexnow_key: expected 8 to 128 letters, digits or dashes",
        ),
        (
            "[notify]\ngoogle_quota = 10\n",
            {},
            "sitegen.toml:2: notify.google_quota: unknown setting (known settings: indexnow_key, "
            "indexnow_endpoint, google_credentials, google_endpoint, google_daily_quota)",
        ),
        (
            '[notify]\ngoogle_endpoint = "ftp://x"\n',
            {},
            "sitegen.toml:2: notify.google_endpoint: expected an http(s) URL, got 'ftp://x'",
        ),
    ],
)
def test_bad_notify_settings_are_named(
    tmp_path: Path, text: str, environ: dict[str, str], message: str
):
    path = tmp_path / "sitegen.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ=environ)
    assert str(caught.value).startswith(message)
