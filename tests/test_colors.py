"""Colour contrast and the accent's variants for the light and dark schemes."""

import pytest

from site_gen.colors import (
    DARK_BACKGROUNDS,
    LIGHT_BACKGROUNDS,
    accent_css,
    accent_palette,
    contrast,
)


def test_contrast_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic AA grey


@pytest.mark.parametrize(
    "accent", ["#1f6feb", "#ffcc00", "#000000", "#ffffff", "#e91e63", "#2da44e", "#7c3aed"]
)
def test_every_accent_gets_readable_variants_in_both_schemes(accent: str):
    palette = accent_palette(accent)
    for scheme, backgrounds in (
        (palette.light, LIGHT_BACKGROUNDS),
        (palette.dark, DARK_BACKGROUNDS),
    ):
        for background in (*backgrounds, scheme.tint):
            assert contrast(scheme.accent, background) >= 4.5, (accent, background)
        assert contrast(scheme.accent, scheme.on_accent) >= 4.5, accent


def test_an_accent_that_already_reads_well_is_kept():
    assert accent_palette("#0b57d0").light.accent == "#0b57d0"
    assert accent_palette("#ffcc00").dark.accent == "#ffcc00"


def test_accent_css_sets_both_schemes_and_the_toggle():
    css = accent_css("#1f6feb").decode()
    palette = accent_palette("#1f6feb")
    assert f"--accent: {palette.light.accent};" in css.split("@media")[0]
    assert "@media (prefers-color-scheme: dark) { :root:not([data-theme=light])" in css
    assert f":root[data-theme=dark] {{ --accent: {palette.dark.accent};" in css
