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
