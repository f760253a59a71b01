"""Colour contrast by WCAG 2.1 (pure): relative luminance and contrast ratio of sRGB colours.

WCAG 2.1 defines relative luminance (sRGB channels linearised: c/12.92 below 0.04045, else
((c+0.055)/1.055)^2.4; L = 0.2126 R + 0.7152 G + 0.0722 B) and the contrast ratio
(L1 + 0.05) / (L2 + 0.05); AA asks 4.5:1 for normal text (Success Criterion 1.4.3).
"""

from __future__ import annotations

#: WCAG 2.1 AA, normal text (SC 1.4.3).
AA_TEXT = 4.5
WHITE = "#ffffff"
#: The pages' ink (coursepack.css `--cp-ink`).
INK = "#1b1c1f"


def luminance(colour: str) -> float:
    """The relative luminance of `#rrggbb`."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: str, second: str) -> float:
    """The contrast ratio of two `#rrggbb` colours (1 to 21)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def darker(colour: str, share: float = 0.25) -> str:
    """`colour` mixed with `share` of black (hover shades)."""
    channels = (round(int(colour[i : i + 2], 16) * (1 - share)) for i in (1, 3, 5))
    return "#" + "".join(f"{c:02x}" for c in channels)


def text_on(background: str) -> str:
    """White or the ink, whichever reads better on `background`."""
    return WHITE if ratio(background, WHITE) >= ratio(background, INK) else INK
