"""Pure chart builders: what their Vega-Lite specs promise a reader."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import charts, i18n, styles


def frame(statuses: dict[int, str], lang: str) -> pd.DataFrame:
    return pd.DataFrame({"series": "Bergen", "year": list(statuses), "value": 1.0,
                         "label": "1", "status": list(statuses.values()),
                         "status_text": [i18n.status_text(s, lang) for s in statuses.values()]})


def shapes(chart) -> dict[str, str]:
    spec = chart.to_dict()
    scale = next(layer["encoding"]["shape"]["scale"] for layer in spec["layer"]
                 if "shape" in layer.get("encoding", {}))
    return dict(zip(scale["domain"], scale["range"]))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_status_has_the_same_shape_on_every_chart(lang):
    # Bergen's chart has a part year only, Stavanger's an incomplete sum and a part year:
    # alphabetical shapes made "part year" a square on one and a triangle on the other.
    one = shapes(charts.line_chart(frame({2022: "ok", 2023: "partial-year"}, lang), "%", lang))
    other = shapes(charts.line_chart(frame({2018: "incomplete", 2023: "partial-year"}, lang), "%", lang))
    assert one == other
    part_year, incomplete = i18n.status_text("partial-year", lang), i18n.status_text("incomplete", lang)
    assert one[part_year] == "triangle-up" and one[incomplete] == "square"
    assert len(set(one.values())) == len(one)  # no two statuses share a shape


def test_bars_keep_the_frames_order_and_whole_labels():
    flows = ["Innflytting", "Utflytting", "Netto innenlands", "Innvandring", "Utvandring"]
    frame = pd.DataFrame({"x": flows, "measure": "Innvandrere", "value": 1.0, "label": "1",
                          "status": "ok", "status_text": ""})
    x = charts.grouped_bars(frame, "personer", "nb", ["Innvandrere"]).to_dict()["layer"][0]["encoding"]["x"]
    assert x["sort"] == flows  # not alphabetical: "Innflytting, Innvandring, Netto ..."
    assert x["axis"]["labelLimit"] >= 300


def test_the_goal_label_stands_on_a_halo_over_the_lines():
    """A series passing through the 70 % label (Møre og Romsdal's in Haram's profile)
    crossed out its words: the label is drawn twice, first as a white outline, after
    every line and point."""
    chart = charts.line_chart(frame({2011: "ok", 2012: "ok"}, "nb"), "%", "nb", goal=70,
                              goal_label="Nasjonalt mål: 70 %").to_dict()
    marks = [layer["mark"] for layer in chart["layer"]]
    labels = [i for i, layer in enumerate(chart["layer"])
              if layer["mark"]["type"] == "text" and layer["encoding"].get("y", {}).get("field") == "goal"]
    assert len(labels) == 2 and labels[-1] == len(marks) - 1
    halo, text = marks[labels[0]], marks[labels[1]]
    assert halo["stroke"] == "white" and halo["strokeWidth"] >= 3 and "stroke" not in text
    assert max(i for i, mark in enumerate(marks) if mark.get("type") in ("line", "point")) < labels[0]


def series(values: dict[str, dict[int, float]]) -> pd.DataFrame:
    rows = [(name, year, value) for name, by_year in values.items() for year, value in by_year.items()]
    out = pd.DataFrame(rows, columns=["series", "year", "value"])
    return out.assign(label="", status="ok", status_text="")


@pytest.mark.parametrize("values, expected", [
    # Nothing near the goal at the start: over the line, at its start, as before.
    ({"A": {2011: 50, 2012: 55, 2013: 60}}, ("left", "above")),
    # Haram's profile (SSB 13215): Møre og Romsdal's 2011 point (73 %) lay under the
    # label, KOSTRA group 1's 2012 (69 %) just below the line; at the end nothing lies
    # just below 70.
    ({"Haram": {2011: None, 2012: 50, 2013: 62.5, 2014: None},
      "KOSTRA-gruppe 1": {2011: 86, 2012: 69, 2013: 53, 2014: 48},
      "Møre og Romsdal": {2011: 73, 2012: 66.4, 2013: 63.8, 2014: 75.4},
      "Norge": {2011: 61.9, 2012: 62.6, 2013: 61.6, 2014: 61.8}}, ("right", "below")),
    # 71 on a scale from 60 to 71: a point ~20 px over the line, by the label.
    ({"A": {2011: 71, 2012: 60, 2013: 60}}, ("left", "below")),
    ({"A": {2011: 72, 2012: 60, 2013: 60}}, ("left", "above")),  # ~38 px over it: clear
    # Every place taken: over the line at its start, on its halo.
    ({"A": {2011: 70.5, 2012: 69.5, 2013: 90, 2014: 70.5},
      "B": {2011: 60, 2012: 60, 2013: 50, 2014: 69.5}}, ("left", "above")),
])
def test_the_goal_label_goes_where_no_point_is(values, expected):
    assert charts.goal_label_place(series(values), 70) == expected
    chart = charts.line_chart(series(values), "%", "nb", goal=70, goal_label="Nasjonalt mål: 70 %").to_dict()
    label = chart["layer"][-1]
    assert label["mark"]["align"] == expected[0] and (label["mark"]["dy"] < 0) == (expected[1] == "above")
    assert label["encoding"]["x"]["value"] == (0 if expected[0] == "left" else {"expr": "width"})


def test_a_small_multiples_status_key_has_one_status_to_a_row():
    """Three statuses in one row ran past a third of a 1280 px page and Vega cut the
    last ("ufullstend…"), two past a third of a 1024 px one; the full-width chart keeps
    its one row."""
    statuses = {2018: "estimated", 2019: "incomplete", 2022: "ok", 2023: "partial-year"}

    def status_legend(**kwargs):
        spec = charts.line_chart(frame(statuses, "nb"), "%", "nb", **kwargs).to_dict()
        return next(layer["encoding"]["shape"]["legend"] for layer in spec["layer"]
                    if "shape" in layer.get("encoding", {}))

    small = status_legend(series_legend=False, from_zero=True)
    assert small["columns"] == 1 and len(small["values"]) == 3
    assert "columns" not in status_legend()


def test_in_the_presentation_view_offsets_between_texts_grow_with_the_screen():
    """At 1080p the gap marks (':', '–') touched the year labels and the goal's label sat
    on its line: the fonts grew with the screen, the space between them did not."""
    gaps = frame({2018: "ok", 2019: "suppressed", 2020: "ok"}, "nb").assign(
        value=[1.0, float("nan"), 2.0], label=["1", ":", "2"])
    spec = charts.for_audience(charts.line_chart(gaps, "%", "nb", goal=70, goal_label="Mål: 70 %")
                               .to_dict(validate=False))
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in charts.SCREEN_OFFSETS:
                    found.append((key, value))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(spec)
    assert {key for key, _ in found} == {"dy", "labelPadding"}
    assert all(isinstance(value, dict) and value["expr"].endswith(f" * {charts.SCREEN_SCALE}")
               for _, value in found), found


def test_in_the_presentation_view_point_shapes_grow_with_the_text():
    """A point's shape says its status; at 1080p the shapes stayed ~7 px while the text
    grew: their area is scaled by the square of the text's factor."""
    points = frame({2018: "ok", 2019: "partial-year"}, "nb").assign(value=[1.0, 2.0], label=["1", "2"])
    spec = charts.for_audience(charts.line_chart(points, "%", "nb").to_dict(validate=False))
    marks = [layer["mark"] for layer in spec["layer"] if isinstance(layer.get("mark"), dict)
             and layer["mark"].get("type") == "point"]
    assert marks and all(m["size"] == {"expr": f"70 * pow({styles.AUDIENCE_FACTOR} * {charts.SCREEN_SCALE}, 2)"}
                         for m in marks)
    assert spec["config"]["legend"]["symbolSize"] == {
        "expr": f"100 * pow({styles.AUDIENCE_FACTOR} * {charts.SCREEN_SCALE}, 2)"}
    plain = charts.line_chart(points, "%", "nb").to_dict(validate=False)
    assert [layer["mark"]["size"] for layer in plain["layer"] if layer["mark"].get("type") == "point"] == [70]
