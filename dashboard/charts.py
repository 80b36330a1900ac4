"""Pure Altair chart builders for the profile and compare pages.

Input frames are tidy: one row per series and year with `value` (NaN where there is no
figure), `label` (the value formatted for the locale, or a status word) and `status`.
Lines break where a figure is missing; a point's shape shows an estimate, part year or
incomplete sum, and the tooltip names it.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from . import i18n
from .styles import AUDIENCE_FACTOR, CHART_HEIGHT

# Okabe-Ito (distinguishable with every common colour-vision deficiency), only the colours with at least 3:1 contrast against the
# white background (WCAG 2.1 AA for graphics, 1.4.11): orange and sky blue are left out.
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#8F6A00"]
GOAL_COLOUR = "#5D3A9B"  # dashed and labelled, so never mistaken for a series
# One shape per status on every chart: given out by each chart's own labels, a square
# meant "part year" on one chart and "incomplete sum" on the next.
STATUS_SHAPES = {"ok": "circle", "estimated": "diamond", "incomplete": "square",
                 "partial-year": "triangle-up"}

NUMBER_LOCALE = {
    "nb": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " kr"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]},
}


# Axis and legend text in the page's text colour: Streamlit's chart theme greys them
# (about 3.7:1 on white), too faint on a projector or a compressed stream.
CHART_TEXT_COLOUR = "#31333F"


def _finish(chart: alt.TopLevelMixin, lang: str, height: int = CHART_HEIGHT) -> alt.TopLevelMixin:
    return (chart.properties(height=height, width="container")
            .configure(locale={"number": NUMBER_LOCALE.get(lang, NUMBER_LOCALE["nb"])})
            .configure_axis(labelFontSize=13, titleFontSize=13, labelColor=CHART_TEXT_COLOUR,
                            titleColor=CHART_TEXT_COLOUR)
            .configure_legend(labelFontSize=13, titleFontSize=13, orient="bottom", symbolSize=100,
                              labelLimit=320, labelColor=CHART_TEXT_COLOUR,
                              titleColor=CHART_TEXT_COLOUR))


# How much larger than on a 1280x720 screen the presentation view draws (the page's root
# size, app.py, grows the same way): 1.5 on a 1080p projector, never below 1. Vega reads
# windowSize() when it draws, and a legend is drawn once: naming the chart's own size
# (its `width` and `height` follow the window: "container") draws it again on a resize,
# as a laptop's window moved to the projector is (the axes had followed, the legends not).
SCREEN_SCALE = "(clamp(min(windowSize()[0] / 1280, windowSize()[1] / 720), 1, 2) + 0 * (width + height))"


SCREEN_OFFSETS = ("dy", "labelPadding")


def audience_font_size(size: float, factor: float = AUDIENCE_FACTOR) -> dict:
    """A font size `factor` times `size` on a 720p screen and as much larger as the
    screen is (a Vega expression: the server does not know the screen)."""
    return {"expr": f"{round(size * factor, 1)} * {SCREEN_SCALE}"}


def audience_area(area: float, factor: float = AUDIENCE_FACTOR) -> dict:
    """A mark's area (a point's, a legend symbol's) grown as the text's size squared."""
    return {"expr": f"{area} * pow({factor} * {SCREEN_SCALE}, 2)"}


def for_audience(spec: dict, factor: float = AUDIENCE_FACTOR) -> dict:
    """A chart's Vega-Lite spec with every font size (axes, legends, text marks) and its
    height times `factor`, the fonts larger again on a screen larger than 720p: the
    presentation view's charts must be read from the back of a room or on a 720p
    stream, and a taller plot keeps room for the larger axis title.
    Legends go above the plot: below it, the compare page's fell under the fold at 720p,
    leaving lines no one could name. Not a small multiple's (one to a row): it names
    only point shapes, each panel is named by its heading, and its rows above the plot
    pushed the first row's years under the fold at 720p. The spec is copied, never
    changed in place."""
    def scaled(node, top: bool = False):
        if isinstance(node, dict) and node.get("type") == "point" and isinstance(node.get("size"), (int, float)):
            # A point's shape carries its status (triangle part year, square incomplete):
            # its area grows as the text's size squared, or at 1080p the shapes were dots.
            node = {**node, "size": audience_area(node["size"], factor)}
        if isinstance(node, dict):
            return {key: (audience_font_size(value, factor) if isinstance(value, (int, float))
                          and key.lower().endswith("fontsize")
                          # Offsets that hold text apart (the goal's label from its line,
                          # the gap marks from the years) grow with the screen as the text
                          # does: at 1080p the marks touched the year labels.
                          else {"expr": f"{value} * {SCREEN_SCALE}"} if isinstance(value, (int, float))
                          and key in SCREEN_OFFSETS
                          # The legend's shapes name the points' shapes: grown alike.
                          else audience_area(value, factor)
                          if isinstance(value, (int, float)) and key == "symbolSize"
                          else round(value * factor, 1) if isinstance(value, (int, float))
                          and top and key == "height"
                          else {**scaled(value), "orient": "top"} if key == "legend" and isinstance(value, dict)
                          and value.get("orient") == "bottom" and value.get("columns") != 1
                          else scaled(value))
                    for key, value in node.items()}
        if isinstance(node, list):
            return [scaled(item) for item in node]
        return node
    return scaled(spec, top=True)


def line_chart(frame: pd.DataFrame, unit: str, lang: str, goal: float | None = None,
               goal_label: str = "", series_order: list[str] | None = None,
               height: int = CHART_HEIGHT, series_legend: bool = True, from_zero: bool = False,
               shapes_named: list[str] | None = None) -> alt.TopLevelMixin:
    """Series over years. `frame`: series, year, value, label, status_text.
    `series_order` fixes each series' colour (also when `frame` holds only some of them,
    as in small multiples, which pass series_legend=False). `from_zero`: the value axis
    starts at 0 (small multiples, each on its own scale: without it a change of 0.5 fills
    one kommune's panel as a change of 20 fills another's). `shapes_named`: the point
    shapes' legend entries (status texts), where not this frame's own: small multiples
    side by side name the same ones, since a legend's rows come out of its panel's
    fixed height (Ålesund's three had left it half the plot of Bergen's one)."""
    order = series_order or list(dict.fromkeys(frame["series"]))
    colour = alt.Color("series:N", title=None, sort=order,
                       scale=alt.Scale(domain=order, range=SERIES_COLOURS[:len(order)]),
                       legend=alt.Legend() if series_legend else None)
    gaps = "status" in frame and frame["value"].isna().any()
    base = alt.Chart(frame).encode(
        # With gaps, the year labels move down to leave a strip for their marks.
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, labelPadding=24 if gaps else alt.Undefined)),
        y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=from_zero)),
        color=colour,
    )
    lines = base.mark_line(strokeWidth=2.5, invalid="break-paths-show-path-domains")
    flagged = (sorted(set(frame.loc[frame["value"].notna(), "status_text"]) - {""})
               if shapes_named is None else shapes_named)
    points = base.mark_point(filled=True, size=70).encode(
        shape=alt.Shape("status_text:N", title=None,
                        scale=alt.Scale(domain=[i18n.status_text(s, lang) for s in STATUS_SHAPES],
                                        range=list(STATUS_SHAPES.values())),
                        # One to a row in a small multiple: three in one row ran past
                        # a third of a 1280 px page ("ufullstend…"), two past a third of
                        # a 1024 px one.
                        legend=alt.Legend(orient="bottom", values=flagged,
                                          **({} if series_legend else {"columns": 1}))
                        if flagged else None),
        tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("year:O", title="År" if lang == "nb" else "Year"),
                 alt.Tooltip("label:N", title=unit), alt.Tooltip("status_text:N", title="Status")],
    ).transform_filter("isValid(datum.value)")
    layers = [lines, points]
    if gaps:
        # A gap in a line says nothing about why: mark each year without a figure just
        # under the plot, above its year, ':' hidden (few persons) or '–' no figure, in
        # its series' colour, side by side (one slot per series).
        middle = (len(order) - 1) / 2
        layers.append(base.mark_text(
            baseline="top", dy=3, fontSize=15, fontWeight="bold",
            dx=alt.expr(f"(indexof({json.dumps(order)}, datum.series) - {middle}) * 9"),
        ).encode(
            y=alt.value({"expr": "height"}), text="mark:N",  # the plot's bottom edge
            tooltip=[alt.Tooltip("series:N", title=" "),
                     alt.Tooltip("year:O", title="År" if lang == "nb" else "Year"),
                     alt.Tooltip("status_text:N", title="Status")],
        ).transform_filter("!isValid(datum.value)").transform_calculate(
            mark="datum.status == 'suppressed' ? ':' : '–'"))
    if goal is not None:
        rule = alt.Chart(pd.DataFrame({"goal": [goal], "text": [goal_label]}))
        layers.append(rule.mark_rule(color=GOAL_COLOUR, strokeDash=[6, 4], strokeWidth=2)
                      .encode(y="goal:Q"))
        # The label at the end of the line and on the side of it where no point is (it
        # hid Møre og Romsdal's 2011 point in Haram's profile), on a white halo: a line
        # passing through it crossed out its words.
        side, where = goal_label_place(frame, goal)
        place = {"align": side, "dx": 4 if side == "left" else -4, "dy": -8 if where == "above" else 16}
        for halo in (True, False):
            layers.append(rule.mark_text(color=GOAL_COLOUR, fontSize=13, **place,
                                         **({"stroke": "white", "strokeWidth": 4, "strokeJoin": "round"}
                                            if halo else {}))
                          .encode(y="goal:Q", text="text:N",
                                  x=alt.value(0) if side == "left" else alt.value({"expr": "width"})))
    return _finish(alt.layer(*layers), lang, height)


def goal_label_place(frame: pd.DataFrame, goal: float) -> tuple[str, str]:
    """Where a goal line's label goes: ("left" or "right", "above" or "below"), the first
    place where no point of the two years at that end of the line lies within the
    label's reach of the goal: a seventh of the values' span, ~33 px of a 260 px chart's
    ~230 px plot, or ~25 px where its rounded scale is a third wider, against the
    label's ~16 px, a point's radius and a gap. Over the points at the start if there
    is no such place."""
    values = frame["value"].dropna()
    if values.empty:
        return "left", "above"
    reach = (max(values.max(), goal) - min(values.min(), goal)) / 7 or 1.0
    years = sorted(frame["year"].unique())
    for side, end in (("left", years[:2]), ("right", years[-2:])):
        near = frame.loc[frame["year"].isin(end), "value"].dropna()
        for where, (low, high) in (("above", (goal, goal + reach)), ("below", (goal - reach, goal))):
            if not near.between(low, high).any():
                return side, where
    return "left", "above"


def grouped_bars(frame: pd.DataFrame, unit: str, lang: str, order: list[str],
                 x_title: str | None = None) -> alt.TopLevelMixin:
    """Bars per year (or per category `x`), one bar per measure side by side.
    `frame`: x, measure, value, label, status_text."""
    colour = alt.Color("measure:N", title=None, sort=order,
                       scale=alt.Scale(domain=order, range=SERIES_COLOURS[:len(order)]))
    tooltip = [alt.Tooltip("measure:N", title=" "), alt.Tooltip("x:O", title=" "),
               alt.Tooltip("label:N", title=unit), alt.Tooltip("status_text:N", title="Status")]
    base = alt.Chart(frame).encode(
        # In the frame's order (domestic moves, then abroad; years in turn), not sorted by
        # name, which differed between the languages; labels whole ("Netto innenlands").
        x=alt.X("x:O", title=x_title, sort=list(dict.fromkeys(frame["x"])),
                axis=alt.Axis(labelAngle=0, labelLimit=400)),
        xOffset=alt.XOffset("measure:N", sort=order),
    )
    bars = base.mark_bar().encode(
        y=alt.Y("value:Q", title=unit), color=colour,
        opacity=alt.condition("datum.status_text == ''", alt.value(1.0), alt.value(0.55)),
        tooltip=tooltip,
    ).transform_filter("isValid(datum.value)")
    # A missing or suppressed figure is not a zero: mark it ("–", ":") where its bar
    # would be, and write a real zero as "0".
    marks = base.mark_text(baseline="bottom", dy=-2, fontSize=12, color="#333").encode(
        y=alt.datum(0), text="mark:N", tooltip=tooltip,
    ).transform_calculate(
        mark="isValid(datum.value) ? (datum.value == 0 ? '0' : '') : "
             "(datum.status == 'suppressed' ? ':' : '–')"
    ).transform_filter("datum.mark != ''")
    return _finish(alt.layer(bars, marks), lang)
