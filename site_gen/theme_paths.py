"""Where a board's theme lives: the active theme's folder (the board's own ``themes/<name>``,
else the one sitegen carries), and its templates, static files and translations, each
overridden by the board's own folder of that name."""

from __future__ import annotations

from pathlib import Path

from site_gen.config import SiteConfig
from site_gen.errors import ConfigError

PACKAGE_THEMES = Path(__file__).resolve().parent / "themes"


def theme_dir(config: SiteConfig, root: Path) -> Path:
    """The active theme: ``<root>/themes/<name>`` if the board has one, else the packaged one."""
    for candidate in (root / "themes" / config.theme, PACKAGE_THEMES / config.theme):
        if (candidate / "templates").is_dir():
            return candidate
    raise ConfigError(f"sitegen.toml: theme: no theme named {config.theme!r} (looked in themes/)")


def template_dirs(config: SiteConfig, root: Path) -> list[Path]:
    return [root / "templates", theme_dir(config, root) / "templates"]


def static_dirs(config: SiteConfig, root: Path) -> list[Path]:
    """Static folders, lowest priority first: the theme's, then the site's own."""
    return [theme_dir(config, root) / "static", root / "static"]


def i18n_dirs(config: SiteConfig, root: Path) -> list[Path]:
    """Translation folders, lowest priority first: the theme's, then the site's own."""
    return [theme_dir(config, root) / "i18n", root / "i18n"]
