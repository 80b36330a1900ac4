"""CSS shared by pages: kept in one place so the same rule is not written three times."""

# A button shown as its icon alone: the label stays for screen readers (and is its
# tooltip where the button has one), but takes no room. For `<selector> button p`.
ICON_ONLY_LABEL = ("position:absolute;width:1px;height:1px;overflow:hidden;"
                   "clip-path:inset(50%);white-space:nowrap")


# The charts' heights (plot, axes and legend: Streamlit fits the whole chart to it).
CHART_HEIGHT = 260
SMALL_MULTIPLE_HEIGHT = 240
SMALL_MULTIPLE_LEGEND_ROW = 30  # a status shape's row in a small multiple's legend
AUDIENCE_FACTOR = 1.4


def small_multiple_height(legend_rows: int) -> int:
    """A small multiple's height with `legend_rows` point shapes named under it: the
    rows come out of the chart's height, so each adds one, and the plot stays the size
    of a panel's with none."""
    return SMALL_MULTIPLE_HEIGHT + SMALL_MULTIPLE_LEGEND_ROW * legend_rows


def audience_height(height: int) -> int:
    """A chart's height in the presentation view on a 720p screen (charts.for_audience)."""
    return round(height * AUDIENCE_FACTOR)


# The heights audience_height_css sizes to the screen.
AUDIENCE_HEIGHTS = tuple(sorted({audience_height(h) for h in (
    CHART_HEIGHT, *(small_multiple_height(rows) for rows in range(4)))}))  # up to 3 shapes named


def audience_height_css() -> str:
    """CSS for the presentation view: a chart drawn in a container keyed
    ik_chart_h<height>_... (sections.block) is that high on a 720p screen and as much
    higher as the screen is larger, never lower and at most twice (the fonts grow by
    SCREEN_SCALE, the page's text by its root size: the same proportion). Vega-Lite
    takes a height only as a number or "container", and the server does not know the
    screen: the container's height is set here, and the chart fills it."""
    return "".join(f"[class*='st-key-ik_chart_h{height}_'] .stVegaLiteChart{{height:clamp({height}px, "
                   f"min({height / 7.2:.4f}vh, {height / 12.8:.4f}vw), {2 * height}px) !important}}"
                   for height in AUDIENCE_HEIGHTS)
