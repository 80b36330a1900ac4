"""Class breaks and colours for the choropleth.

Five classes from quantiles, rounded to readable numbers, on a colour-blind-safe
sequential ColorBrewer palette (YlGnBu; dark = high). Kommuner without a figure are
never coloured as a low value: missing and suppressed have their own grey and purple.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

# ColorBrewer YlGnBu, 5 classes (colour-blind safe, print friendly).
PALETTE = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
MISSING_COLOUR = "#d9d9d9"
SUPPRESSED_COLOUR = "#b39ddb"
# High-contrast option (projectors, washed-out streams, low vision): viridis, whose
# classes step evenly in lightness (each next class at least 1.6:1 against the last),
# drawn with black borders; suppressed becomes white so it cannot read as a class.
CONTRAST_PALETTE = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
CONTRAST_DIVERGING = ["#b35806", "#fdb863", "#b2abd2", "#542788"]
CONTRAST_SUPPRESSED_COLOUR = "#ffffff"


@dataclass(frozen=True)
class Classes:
    breaks: tuple[float, ...]  # upper bounds of classes 1..n-1; the last class is open
    colours: tuple[str, ...]
    lowest: float | None = None  # the lowest figure classified

    @property
    def floor_zero(self) -> bool:
        """No figure below zero: a break at 0 then holds only the zeros."""
        return self.lowest is not None and self.lowest >= 0

    def colour(self, value: float) -> str:
        for bound, colour in zip(self.breaks, self.colours):
            if value <= bound:
                return colour
        return self.colours[len(self.breaks)]


def _nice(value: float, decimals: int) -> float:
    """Round a break to 2 significant digits, never finer than the indicator shows."""
    if value == 0:
        return 0.0
    digits = max(-decimals, int(math.floor(math.log10(abs(value)))) - 1)
    step = 10.0 ** digits
    return round(round(value / step) * step, max(decimals, -digits, 0))


# ColorBrewer PuOr, 4 classes (colour-blind safe): orange below zero, purple above.
DIVERGING = ["#e66101", "#fdb863", "#b2abd2", "#5e3c99"]


def make_diverging_classes(values: pd.Series, decimals: int, palette=DIVERGING) -> Classes:
    """Four classes split at zero (e.g. net migration): the median of the negative and
    of the positive values split each side, so the sign is never hidden."""
    data = values.dropna().to_numpy(dtype=float)
    negative, positive = data[data < 0], data[data > 0]
    low = _nice(float(np.median(negative)), decimals) if negative.size else None
    high = _nice(float(np.median(positive)), decimals) if positive.size else None
    breaks = [b for b in (low, 0.0, high) if b is not None]
    colours = ([palette[0]] if low is not None else []) + [palette[1], palette[2]] + (
        [palette[3]] if high is not None else [])
    return Classes(tuple(breaks), tuple(colours), float(data.min()) if data.size else None)


def make_classes(values: pd.Series, decimals: int, n: int = 5, diverging: bool = False,
                 contrast: bool = False) -> Classes:
    if diverging:
        return make_diverging_classes(values, decimals, CONTRAST_DIVERGING if contrast else DIVERGING)
    palette = CONTRAST_PALETTE if contrast else PALETTE
    data = values.dropna().to_numpy(dtype=float)
    if data.size == 0:
        return Classes((), (palette[2],))
    quantiles = np.quantile(data, np.linspace(0, 1, n + 1)[1:-1])
    breaks: list[float] = []
    for q in quantiles:
        nice = _nice(float(q), decimals)
        if not breaks or nice > breaks[-1]:
            breaks.append(nice)
    if breaks and breaks[-1] >= data.max():
        breaks.pop()
    colours = _spread(len(breaks) + 1, palette)
    return Classes(tuple(breaks), tuple(colours), float(data.min()))


def _spread(k: int, palette: list[str]) -> list[str]:
    """k colours from the palette, spread so that few classes still span light to dark."""
    if k >= len(palette):
        return palette[:k]
    idx = np.round(np.linspace(0, len(palette) - 1, k)).astype(int)
    return [palette[i] for i in idx]


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
