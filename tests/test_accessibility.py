"""Contrast (WCAG 2.1 AA) of what the map and the charts draw, in both palettes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard import charts, classify, map_view

WHITE = "#ffffff"


def blend(foreground_alpha: float, background: str, under: str) -> str:
    """The colour of a translucent white box (alpha) over `under`."""
    rgb = [round(foreground_alpha * int(background[i:i + 2], 16)
                 + (1 - foreground_alpha) * int(under[i:i + 2], 16)) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def css_rule(selector: str) -> str:
    return re.search(re.escape(selector) + r"\s*\{([^}]*)\}", map_view.MAP_CSS).group(1)


@pytest.mark.parametrize("palette", [classify.PALETTE, classify.CONTRAST_PALETTE])
def test_title_and_legend_text_stay_readable_over_any_class(palette):
    """The boxes are 94 % opaque white: even over the darkest class the text keeps 4.5:1."""
    for box in (".ik-title", ".ik-legend"):
        rule = css_rule(box)
        alpha = float(re.search(r"rgba\(255,255,255,([0-9.]+)\)", rule).group(1))
        text = re.search(r"(?<!-)color:\s*(#[0-9a-f]{3,6})", rule).group(1)
        text = "#" + "".join(c * 2 for c in text[1:]) if len(text) == 4 else text
        for under in (*palette, classify.MISSING_COLOUR, "#000000"):
            assert classify.contrast_ratio(text, blend(alpha, WHITE, under)) >= 4.5, (box, under)


def test_legend_swatches_are_outlined_for_non_text_contrast():
    outline = re.search(r"border: 1px solid (#[0-9a-f]{3,6})", css_rule(".ik-legend .sw")).group(1)
    outline = "#" + "".join(c * 2 for c in outline[1:]) if len(outline) == 4 else outline
    assert classify.contrast_ratio(outline, WHITE) >= 3  # the palest class is still bounded
    assert "border-color: #000" in css_rule(".ik-contrast .ik-legend .sw")


def test_high_contrast_palette_steps_clearly_and_keeps_its_special_colours_apart():
    steps = [classify.contrast_ratio(a, b) for a, b in
             zip(classify.CONTRAST_PALETTE, classify.CONTRAST_PALETTE[1:])]
    standard = [classify.contrast_ratio(a, b) for a, b in zip(classify.PALETTE, classify.PALETTE[1:])]
    assert min(steps) >= 1.6 and min(steps) > min(standard)
    assert classify.contrast_ratio(classify.CONTRAST_PALETTE[0], classify.CONTRAST_PALETTE[-1]) >= 10
    specials = {classify.CONTRAST_SUPPRESSED_COLOUR, classify.MISSING_COLOUR}
    assert not specials & set(classify.CONTRAST_PALETTE + classify.CONTRAST_DIVERGING)
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
    assert classify.make_classes(values, 1, contrast=True).colours == tuple(classify.CONTRAST_PALETTE)


def test_chart_colours_have_3_to_1_against_the_page():
    for colour in (*charts.SERIES_COLOURS, charts.GOAL_COLOUR):
        assert classify.contrast_ratio(colour, WHITE) >= 3, colour


@pytest.mark.parametrize("indicator, contrast, palette", [
    ("settled_per_1000", False, classify.PALETTE), ("net_migration_per_1000", False, classify.DIVERGING),
    ("settled_per_1000", True, classify.CONTRAST_PALETTE),
    ("net_migration_per_1000", True, classify.CONTRAST_DIVERGING)])
def test_the_chosen_kommunes_outline_shows_over_every_class(indicator, contrast, palette):
    """The outline is a line on a white casing: the line stands out from the casing (3:1),
    each class from one of the two (2:1: a mid-tone class such as #a1dab4 has 3:1 against
    neither colour of any pair; the chosen kommune is named beside the map too), and the
    line is no class's own colour (orange over net migration's darkest class, #e66101,
    vanished into it)."""
    line = map_view.outline_colour(indicator, contrast)
    assert classify.contrast_ratio(line, WHITE) >= 3
    rgb = lambda c: [int(c[i:i + 2], 16) for i in (1, 3, 5)]  # noqa: E731
    for colour in palette:
        assert max(classify.contrast_ratio(line, colour), classify.contrast_ratio(WHITE, colour)) >= 2, colour
        assert sum((a - b) ** 2 for a, b in zip(rgb(line), rgb(colour))) ** 0.5 > 60, (line, colour)


def test_chart_axis_and_legend_text_have_4_5_to_1():
    """Streamlit's chart theme greys axis and legend text to about 3.7:1; every chart
    sets its own."""
    frame = pd.DataFrame({"series": ["Bergen"] * 2, "year": [2021, 2022], "value": [1.0, 2.0],
                          "status": ["ok", "ok"], "label": ["1", "2"], "status_text": ["", ""]})
    config = charts.line_chart(frame, "%", "nb").to_dict(validate=False)["config"]
    for part in ("axis", "legend"):
        for key in ("labelColor", "titleColor"):
            assert classify.contrast_ratio(config[part][key], WHITE) >= 4.5, (part, key)


def test_legend_ranges_use_a_real_minus_and_put_zero_in_one_class():
    from dashboard.map_view import range_label
    # Net migration per 1,000 around zero: '-7,0–0,0' and '0,0–4,2' had 0 in both.
    assert range_label(-7.0, 0.0, 1, "nb") == "\u22127,0 til 0"
    assert range_label(0.0, 4.2, 1, "nb") == "over 0 til 4,2"
    assert range_label(-12.34, -7.0, 1, "en") == "\u221212.3\u2013\u22127.0"
    assert range_label(None, -12.34, 1, "en") == "up to \u221212.3"
    assert "-" not in "".join(range_label(lo, hi, 1, "nb") for lo, hi in
                              ((None, -3.0), (-3.0, 0.0), (0.0, 2.5), (2.5, None)))
