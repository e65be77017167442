"""Colour contrast (WCAG 2.2) and the accent colour's variants for the light and dark schemes.

A board sets one ``accent_color``; links, buttons, focus rings and the "new" badge use it in
both colour schemes. Few colours read well on both white and near-black, so the build derives
a variant for each scheme: the light one darkened, the dark one lightened, each just enough for
4.5:1 (WCAG AA for normal text) against every background the theme puts it on. The result is
written as ``assets/accent.css``; the stylesheet only reads its custom properties.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

AA_TEXT = 4.5  # WCAG 2.2 AA, normal text
MARGIN = 0.1  # a little above the limit, so rounding to a hex colour never drops below it

# The backgrounds the theme's stylesheet puts accent-coloured text on (keep in sync with
# style.css: --bg and --surface of each scheme). The tinted badge background is derived here.
LIGHT_BACKGROUNDS = ("#f6f7f9", "#ffffff")
DARK_BACKGROUNDS = ("#0f1115", "#181b22")
LIGHT_TEXT = "#ffffff"  # text on an accent-coloured button, light scheme
DARK_TEXT = "#0f1115"  # and dark scheme
TINT = 0.88  # the badge background: the accent mixed this much into the card's surface


def parse_hex(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    return int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255


def to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in rgb)


def luminance(color: str) -> float:
    """WCAG relative luminance of an sRGB hex colour."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parse_hex(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(a: str, b: str, weight: float) -> str:
    """``weight`` of ``b`` mixed into ``a`` (0 gives a, 1 gives b), in sRGB."""
    (r1, g1, b1), (r2, g2, b2) = parse_hex(a), parse_hex(b)
    return to_hex((r1 + (r2 - r1) * weight, g1 + (g2 - g1) * weight, b1 + (b2 - b1) * weight))


def with_lightness(color: str, lightness: float) -> str:
    hue, _, saturation = colorsys.rgb_to_hls(*parse_hex(color))
    return to_hex(colorsys.hls_to_rgb(hue, lightness, saturation))


@dataclass(frozen=True)
class SchemeAccent:
    """The accent of one colour scheme, and what goes with it."""

    accent: str  # text, links, button background, focus ring
    on_accent: str  # text on an accent-coloured button
    tint: str  # background of accent-coloured badges


@dataclass(frozen=True)
class AccentPalette:
    light: SchemeAccent
    dark: SchemeAccent


def _scheme(color: str, backgrounds: tuple[str, ...], text: str, *, darken: bool) -> SchemeAccent:
    """Move ``color``'s lightness, in small steps, until it reads on every background."""
    _, lightness, _ = colorsys.rgb_to_hls(*parse_hex(color))
    step = -0.01 if darken else 0.01
    candidate = color
    while True:
        tint = mix(candidate, backgrounds[-1], TINT)
        worst = min(contrast(candidate, bg) for bg in (*backgrounds, tint))
        if worst >= AA_TEXT + MARGIN and contrast(candidate, text) >= AA_TEXT + MARGIN:
            return SchemeAccent(candidate, text, tint)
        lightness += step
        if not 0.0 <= lightness <= 1.0:  # black or white always passes; never reached
            raise ValueError(f"no readable variant of {color}")
        candidate = with_lightness(color, lightness)


def accent_palette(color: str) -> AccentPalette:
    """The accent's variant for each scheme; an accent that already reads well is kept."""
    return AccentPalette(
        light=_scheme(color, LIGHT_BACKGROUNDS, LIGHT_TEXT, darken=True),
        dark=_scheme(color, DARK_BACKGROUNDS, DARK_TEXT, darken=False),
    )


def accent_css(color: str) -> bytes:
    """``assets/accent.css``: the accent's custom properties for both schemes.

    The dark values apply when the system prefers dark and the reader has not picked light,
    or when the reader picked dark (the toggle sets ``data-theme`` on ``<html>``).
    """
    palette = accent_palette(color)

    def block(scheme: SchemeAccent) -> str:
        return (
            f"--accent: {scheme.accent}; --on-accent: {scheme.on_accent}; "
            f"--accent-tint: {scheme.tint};"
        )

    dark = block(palette.dark)
    return (
        f"/* Generated from accent_color = {color!r} in sitegen.toml. */\n"
        f":root {{ {block(palette.light)} }}\n"
        f"@media (prefers-color-scheme: dark) {{ :root:not([data-theme=light]) {{ {dark} }} }}\n"
        f":root[data-theme=dark] {{ {dark} }}\n"
    ).encode()
