"""Exports on the real data: chart PNG/SVG with caption and alt text, the map as an
image with the live map's classes, the standalone map HTML (offline, escaped), and the
data as Excel and CSV with missing figures empty, never 0."""

from __future__ import annotations

import copy
import html
import io
import json
import re
import struct
import xml.etree.ElementTree as ET
import zlib

import pandas as pd
import pytest
from PIL import Image

from dashboard import charts, exports, map_view, profile, tables
from dashboard.classify import MISSING_COLOUR
from dashboard.peers import peer_group
from data_loaders.catalogue import INDICATORS
from data_loaders.derive import QUALITY_ORDER
from data_loaders.export import source_line

PERMALINK = "https://integreringskart.example/profil?kommune=4601&gruppe=kostra&lang=nb"
MAP_LINK = "https://integreringskart.example/?indikator={ind}&aar={year}"
EVIL = '<img src=x onerror="window.__xss=1"></script><script>window.__xss=2</script>'
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def geometry(built_store, mirror_settings):
    kommuner = json.loads(mirror_settings.boundaries_path.read_text(encoding="utf-8"))
    fylker = json.loads(mirror_settings.fylker_path.read_text(encoding="utf-8"))
    return kommuner, fylker


def map_meta(store, indicator: str, year: int, lang: str) -> exports.ExportMeta:
    rows = tables.map_rows(store, indicator, year, None)
    return exports.ExportMeta(
        title=f"{INDICATORS[indicator].label(lang)}, {year}",
        source=source_line(store, indicator, lang),
        permalink=MAP_LINK.format(ind=indicator, year=year), lang=lang,
        alt=exports.map_alt_text(rows, store.kommuner, indicator, year, lang))


def live_payload(store, boundaries, indicator, year, lang, selected=None, contrast=False):
    view = map_view.MapView(indicator, year, lang, selected, None, contrast=contrast)
    return map_view.map_payload(tables.map_rows(store, indicator, year, None), view,
                                store.kommuner, map_view.FormerKommuner(store.meta),
                                "Kilde: IMDi, SSB", "", map_view.bounds_of(boundaries, None))


@pytest.fixture(scope="module")
def line(built_store):
    lang = "nb"
    group = peer_group(built_store, "4601", "kostra")
    frame = profile.trim_years(profile.comparison(built_store, "4601", "settled_per_1000",
                                                  [group], lang))
    chart = charts.line_chart(frame, INDICATORS["settled_per_1000"].unit(lang), lang)
    meta = exports.ExportMeta(
        title="Bosatte flyktninger per 1 000 innbyggere: Bergen og KOSTRA-gruppe 12",
        source=source_line(built_store, "settled_per_1000", lang), permalink=PERMALINK,
        lang=lang, alt="Linjediagram: bosatte flyktninger per 1 000 innbyggere i Bergen "
                        "og KOSTRA-gruppe 12, 2012–2023.")
    return chart, meta, frame


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Every chunk of a PNG, checking each one's CRC."""
    out, pos = [], 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF, kind
        out.append((kind, data))
        pos += 12 + length
    return out


def test_chart_png_carries_alt_text_title_and_source(line):
    chart, meta, _ = line
    png = exports.chart_png(chart, meta)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    kinds = [k for k, _ in chunks(png)]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and kinds.count(b"iTXt") >= 3
    assert kinds.index(b"iTXt") < kinds.index(b"IDAT")
    # An independent reader (Pillow) sees the same text and a whole image.
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.info["Description"] == meta.alt
    assert image.info["Title"] == meta.title
    assert PERMALINK in image.info["Comment"] and "hentet 2023-09" in image.info["Comment"]
    assert exports.png_text(png)["Description"] == meta.alt
    width, height = image.size  # 720 px plot area at scale 2, plus axis and padding
    assert 1440 <= width <= 1800 and 600 <= height <= 1200, image.size
    assert 30_000 < len(png) < 2_000_000


def test_chart_svg_has_title_desc_and_visible_caption(line):
    chart, meta, _ = line
    svg = exports.chart_svg(chart, meta)
    root = ET.fromstring(svg)  # well-formed XML: '&' in the permalink is escaped
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root[0].tag == SVG + "title" and root[0].text == meta.title
    assert root[1].tag == SVG + "desc" and root[1].text.startswith(meta.alt)
    assert root.get("aria-labelledby") == "ik-export-title ik-export-desc"
    texts = [t for e in root.iter(SVG + "text") for t in e.itertext()]  # lines are <tspan>s
    assert meta.title in texts
    assert any(meta.source in t for t in texts), texts[:5]
    assert any(PERMALINK in t for t in texts)
    assert "2016" in texts and "Bergen" in texts  # the chart itself, not only the caption
    assert any(re.fullmatch(r"\d,\d", t) for t in texts)  # Norwegian decimal comma on the axis


def test_a_line_marks_each_year_without_a_figure_hidden_or_missing(built_store):
    """Trondheim 2018: Klæbu's count is hidden, so no rate (':'); Narvik 2012–2019: no
    population on today's boundaries ('–'). Rendered, the marks are text on the x axis,
    one per series and year without a figure."""
    frame = profile.trim_years(pd.concat(
        [profile.comparison(built_store, code, "settled_per_1000", [], "nb")
         for code in ("5001", "1806")], ignore_index=True))
    gaps = frame[frame["value"].isna()]
    hidden = gaps[gaps["status"] == "suppressed"]
    assert ("Trondheim - Tråante", 2018) in set(zip(hidden["series"], hidden["year"]))
    assert set(gaps.loc[gaps["series"] == "Narvik", "year"]) >= set(range(2012, 2020))
    chart = charts.line_chart(frame, "per 1 000 innb.", "nb")
    meta = exports.ExportMeta(title="t", source="s", permalink=PERMALINK, lang="nb", alt="a")
    root = ET.fromstring(exports.chart_svg(chart, meta))
    texts = [t for e in root.iter(SVG + "text") for t in e.itertext()]
    assert texts.count(":") == len(hidden)
    assert texts.count("–") == len(gaps) - len(hidden)


def test_caption_keeps_the_chart_and_fixes_its_width(line):
    chart, meta, _ = line
    spec = exports.chart_with_caption(chart, meta).to_dict(validate=False)
    assert spec["width"] == exports.EXPORT_WIDTH and spec["description"] == meta.alt
    assert spec["title"]["text"] == meta.title
    assert any(meta.source in s for s in spec["title"]["subtitle"])
    assert spec["layer"] == chart.to_dict(validate=False)["layer"]
    # A chart with faded bars or ':' and '–' marks carries its reading key in the image.
    from dataclasses import replace
    from dashboard import i18n

    keyed = exports.chart_with_caption(chart, replace(meta, key=i18n.t("chart_key", "nb")))
    subtitle = " ".join(keyed.to_dict(validate=False)["title"]["subtitle"])
    assert "Lesenøkkel: bleke søyler" in subtitle and "Ingen av dem er null." in subtitle


@pytest.mark.parametrize("indicator,year,lang,contrast", [
    ("settled_per_1000", 2022, "nb", False), ("settled_per_1000", 2022, "en", True),
    ("net_migration", 2014, "en", False), ("net_migration", 2014, "nb", True),
    ("refugees_stayed_share", 2022, "nb", False)])
def test_map_image_has_the_live_maps_classes_and_colours(built_store, geometry, indicator,
                                                         year, lang, contrast):
    kommuner, fylker = geometry
    meta = map_meta(built_store, indicator, year, lang)
    rows = tables.map_rows(built_store, indicator, year, None)
    spec = exports.map_chart(rows, kommuner, indicator, meta, fylker,
                             contrast=contrast).to_dict(validate=False)
    shapes = spec["layer"][0]
    assert shapes["mark"]["type"] == "geoshape"
    features = shapes["data"]["values"]
    assert len(features) == 357
    assert {f["properties"]["kommunenummer"] for f in features} == set(built_store.kommuner)
    scale = shapes["encoding"]["fill"]["scale"]
    fill_of = dict(zip(scale["domain"], scale["range"]))
    payload = live_payload(built_store, kommuner, indicator, year, lang, contrast=contrast)
    assert len(set(fill_of.values())) == len(fill_of)  # no two categories look alike
    for f in features:
        code = f["properties"]["kommunenummer"]
        live = payload["values"].get(code, [MISSING_COLOUR])[0]
        assert fill_of[f["properties"]["category"]] == live, code
    # Every class label of the image's legend is in the live legend, in the same order.
    labels = [c.label for c in exports.map_categories(rows, indicator, built_store.kommuner,
                                                      lang, contrast)[1]]
    positions = [payload["legend_html"].find(html.escape(label)) for label in labels]
    assert -1 not in positions and positions == sorted(positions), labels
    assert spec["title"]["text"] == meta.title and spec["description"] == meta.alt
    assert spec["projection"]["type"] == "transverseMercator"


def test_a_legend_names_rates_not_computed_beside_the_hidden_ones(built_store, geometry):
    """2018: Drammen's and Trondheim's settled per 1,000 are not computed (a part's count
    hidden, its people counted) and drawn as suppressed: the legend, live and in the
    image, says both, and its tooltip the one that is true of it."""
    kommuner, _ = geometry
    rows = tables.map_rows(built_store, "settled_per_1000", 2018, None)
    suppressed = rows[rows["status"] == "suppressed"]
    unmatched = suppressed[suppressed["conversion"].str.contains("unmatched")]
    assert {"3301", "5001"} <= set(unmatched["kommunenummer"]) and len(unmatched) < len(suppressed)
    label = f"skjult (få personer) / ikke regnet ut ({len(suppressed)})"
    payload = live_payload(built_store, kommuner, "settled_per_1000", 2018, "nb")
    assert label in payload["legend_html"]
    assert payload["values"]["3301"][2] == "ikke regnet ut"
    _, legend, _ = exports.map_categories(rows, "settled_per_1000", built_store.kommuner, "nb")
    assert f"{legend[-2].label} ({legend[-2].count})" == label
    # A year without such rates keeps the plain label.
    assert "ikke regnet ut" not in live_payload(built_store, kommuner, "settled_per_1000", 2022, "nb")["legend_html"]


def test_oslo_is_in_the_class_the_live_map_gives_it(built_store, geometry):
    kommuner, _ = geometry
    rows = tables.map_rows(built_store, "settled_per_1000", 2022, None)
    oslo = rows[rows["kommunenummer"] == "0301"].iloc[0]
    assert oslo["status"] == "ok" and 2 < oslo["value"] < 4
    classes = exports.map_classes(rows, "settled_per_1000")
    payload = live_payload(built_store, kommuner, "settled_per_1000", 2022, "nb")
    assert payload["values"]["0301"][0] == classes.colour(oslo["value"]) == classes.colours[0]
    of_code, legend, dashed = exports.map_categories(rows, "settled_per_1000",
                                                     built_store.kommuner, "nb")
    assert of_code["0301"] == legend[-2].label  # the lowest class, above "suppressed"
    assert legend[-1].label == "skjult (få personer)" and legend[-1].count == 2
    assert sum(c.count for c in legend) == 357 and dashed == 2


def test_map_png_is_readable_and_carries_alt_text(built_store, geometry):
    kommuner, fylker = geometry
    meta = map_meta(built_store, "settled_per_1000", 2022, "nb")
    assert "357 kommuner" in meta.alt and "Utsira" in meta.alt and "2 uten tall" in meta.alt
    png = exports.map_png(tables.map_rows(built_store, "settled_per_1000", 2022, None),
                          kommuner, "settled_per_1000", meta, fylker)
    chunks(png)
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.info["Description"] == meta.alt and image.info["Title"] == meta.title
    width, height = image.size
    assert 1280 <= width <= 1400 and height > width, image.size  # Norway is tall
    # Not blank: the map's colours are there.
    colours = {c for _, c in image.convert("RGB").getcolors(maxcolors=1 << 20)}
    assert (0x25, 0x34, 0x94) in colours and (0xB3, 0x9D, 0xDB) in colours


def test_map_title_names_a_part_year(built_store):
    rows = tables.map_rows(built_store, "settled_per_1000", 2023, None)
    assert exports.map_title(rows, "settled_per_1000", 2023, "nb") == \
        "Bosatte flyktninger per 1 000 innbyggere, 2023 (delår)"
    rows = tables.map_rows(built_store, "settled_per_1000", 2022, "46")
    assert exports.map_title(rows, "settled_per_1000", 2022, "en", "Vestland") == \
        "Settled refugees per 1,000 inhabitants, Vestland, 2022"


def test_a_part_years_estimate_is_outlined_as_one(built_store, geometry):
    """2023 is a part year everywhere; for Haram and Ålesund it is also an estimate (the
    rate of the whole 1507, split in 2024). The status says part year; the outline and
    the legend's count say estimate too (before, only the tooltip's note did)."""
    payload = live_payload(built_store, geometry[0], "settled_per_1000", 2023, "nb")
    flags = {code: payload["values"][code][4] for code in ("1508", "1580", "4601")}
    assert flags == {"1508": map_view.DASHED, "1580": map_view.DASHED, "4601": map_view.PLAIN}
    assert payload["values"]["1580"][2] == "delår"
    assert payload["values"]["1580"][3].startswith("Anslag: tallet for hele Ålesund (1507)")
    assert "anslag / ufullstendig sum (2)" in payload["legend_html"]
    # The map's files draw them alike (one rule, map_view.flag_of).
    rows = tables.map_rows(built_store, "settled_per_1000", 2023, None)
    assert exports.map_categories(rows, "settled_per_1000", built_store.kommuner, "nb")[2] == 2


def test_alt_text_names_extremes_and_gaps(built_store):
    rows = tables.map_rows(built_store, "refugees_stayed_share", 2022, None)
    valued = rows[rows["status"].isin(exports.VALUE_STATUSES)]
    # Two kommuner share the highest value (100 %): the text names the first by number,
    # the same one on every build (a sort by value alone picked either).
    tied = sorted(valued.loc[valued["value"] == valued["value"].max(), "kommunenummer"])
    assert len(tied) == 2
    text = exports.map_alt_text(rows, built_store.kommuner, "refugees_stayed_share", 2022, "en")
    assert text.startswith("Map of Norway's 357 kommuner coloured by refugees who stayed")
    assert f"to 100.0 ({built_store.kommuner[tied[0]]}) %" in text
    assert built_store.kommuner[tied[1]] not in text
    assert f"; {357 - len(valued)} without a figure." in text


# --- Standalone HTML -----------------------------------------------------------------


def scripts(doc: str) -> list[tuple[str, str]]:
    return re.findall(r"<script([^>]*)>(.*?)</script>", doc, flags=re.S)


def test_map_html_is_self_contained(built_store, geometry):
    kommuner, fylker = geometry
    meta = map_meta(built_store, "settled_per_1000", 2022, "nb")
    payload = live_payload(built_store, kommuner, "settled_per_1000", 2022, "nb", "0301")
    doc = exports.map_html(payload, kommuner, fylker, meta)
    assert doc.startswith("<!doctype html>") and '<html lang="nb">' in doc
    found = scripts(doc)
    assert [attrs for attrs, _ in found] == [
        "", ' type="application/json" id="ik-payload"', ' type="application/json" id="ik-info"',
        ' type="application/json" id="ik-kommuner"', ' type="application/json" id="ik-fylker"', ""]
    assert "window.L" in found[0][1]  # Leaflet itself is inlined
    assert not re.search(r"<(link|img|iframe)\b", doc, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", doc, re.I)
    # Outside Leaflet's own code, the only web addresses are the permalink and the licence.
    outside = doc.replace(found[0][1], "")
    for attrs, body in found[1:-1]:
        outside = outside.replace(body, json.dumps(json.loads(body), ensure_ascii=False))
    links = set(re.findall(r"(?:src|href)=\\?[\"']?(https?://[^\"'\\ >]+)", outside))
    assert links == {html.escape(meta.permalink), exports.LICENCE_URL}, links
    # The inlined data is the live payload itself, and the full source is shown.
    data = {re.search(r'id="([^"]+)"', attrs).group(1): json.loads(body)
            for attrs, body in found[1:-1]}
    assert data["ik-payload"] == payload
    assert len(data["ik-kommuner"]["features"]) == 357
    assert html.escape(meta.source) in data["ik-info"]["footer_html"]
    assert f"<title>{html.escape(meta.title)}</title>" in doc


def test_map_html_escapes_names_and_cannot_close_its_scripts(built_store, geometry):
    kommuner, fylker = geometry
    evil = copy.deepcopy(kommuner)
    for f in evil["features"]:
        if f["properties"]["kommunenummer"] == "0301":
            f["properties"]["kommunenavn"] = EVIL
    meta = exports.ExportMeta(title="Kart " + EVIL, source="IMDi </script>",
                              permalink="javascript:alert(1)", lang="nb", alt="alt " + EVIL)
    payload = live_payload(built_store, kommuner, "settled_per_1000", 2022, "nb")
    payload["legend_html"] += "</script><script>window.__xss=3</script>"
    doc = exports.map_html(payload, evil, fylker, meta)
    assert EVIL not in doc and "<img" not in doc
    assert len(scripts(doc)) == 6 and doc.count("<script") == 6 and doc.count("</script>") == 6
    assert 'href="javascript:' not in doc and "javascript:alert(1)" in doc  # text, not a link
    features = json.loads(scripts(doc)[3][1])["features"]
    oslo = next(f for f in features if f["properties"]["kommunenummer"] == "0301")
    assert oslo["properties"]["navn_html"] == html.escape(EVIL)
    assert oslo["properties"]["navn_plain"] == EVIL  # set as an attribute value, as text


def test_script_json_round_trips():
    value = {"a": "</script><!-- & \u2028", "b": [1, 2.5, None]}
    text = exports.script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


# --- Data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def download(built_store):
    rows = tables.map_rows(built_store, "settled_per_1000", 2022, None)
    return tables.download_frame(rows, built_store, "nb").reset_index(drop=True)


def test_excel_round_trips_with_missing_values_empty(built_store, download):
    meta = map_meta(built_store, "settled_per_1000", 2022, "nb")
    stayed = tables.download_frame(tables.map_rows(built_store, "refugees_stayed_share", 2022,
                                                   None), built_store, "nb").reset_index(drop=True)
    frame = download.copy()
    frame.loc[frame["kommunenummer"] == "0301", "kommunenavn"] = '=HYPERLINK("http://x","y")'
    data = exports.excel_bytes({"Bosatte 2022": frame, "Bli boende: 2022?": stayed}, meta)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None)
    assert list(sheets) == ["Bosatte 2022", "Bli boende  2022", "Om"]
    back = pd.read_excel(io.BytesIO(data), sheet_name="Bosatte 2022",
                         dtype={"kommunenummer": str})
    columns = list(frame.columns)
    assert list(back.columns) == [*columns[:columns.index("status") + 1], "status_text",
                                  *columns[columns.index("status") + 1:]] and len(back) == 357
    pd.testing.assert_series_equal(back["value"], frame["value"], check_dtype=False)
    assert (back["kommunenummer"] == frame["kommunenummer"]).all()
    assert back.loc[0, "kommunenavn"] == '=HYPERLINK("http://x","y")'  # text, not a formula
    hidden = back[back["status"] == "suppressed"]
    assert len(hidden) == 2 and hidden["value"].isna().all()  # empty cells, not 0
    assert (hidden["status_text"] == "skjult (få personer)").all()
    missing = pd.read_excel(io.BytesIO(data), sheet_name="Bli boende  2022")
    assert (missing["status"] == "missing").sum() == 24
    assert missing.loc[missing["status"] == "missing", "value"].isna().all()
    assert (missing["value"].dropna() > 0).all()
    about = dict(sheets["Om"].values.tolist())
    assert about["Lenke til visningen"] == meta.permalink
    assert about["Kilde"] == meta.source and "hentet 2023-09" in about["Kilde"]
    assert about["Tittel"] == meta.title and about["Beskrivelse"] == meta.alt
    assert "aldri 0" in about["Merknad"] and "suppressed" in about["Merknad"]


def test_csv_is_machine_readable_with_source_and_permalink(built_store, download):
    meta = map_meta(built_store, "settled_per_1000", 2022, "nb")
    data = exports.csv_bytes(download, meta)
    assert data.startswith(b"\xef\xbb\xbfkommunenummer,")  # BOM: Excel reads æøå
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"kommunenummer": str})
    columns = list(download.columns)
    after_status = columns.index("status") + 1
    assert list(back.columns) == [*columns[:after_status], "status_text",
                                  *columns[after_status:], "title", "permalink"]
    assert set(back.loc[back["status"] == "incomplete", "status_text"]) <= {"ufullstendig sum"}
    assert back.loc[back["status"] == "ok", "status_text"].isna().all()  # a plain figure: empty
    assert (back["title"] == meta.title).all()
    assert (back["permalink"] == meta.permalink).all()
    assert (back["source"] == meta.source).all()
    pd.testing.assert_series_equal(back["value"], download["value"], check_dtype=False)
    assert back.loc[back["status"] == "suppressed", "value"].isna().all()
    assert "Bærum" in set(back["kommunenavn"])
    # A frame without its own source column gets the export's.
    plain = exports.csv_bytes(download.drop(columns="source").head(3), meta)
    assert pd.read_csv(io.BytesIO(plain), encoding="utf-8-sig")["source"].eq(meta.source).all()


def test_downloads_carry_no_float_noise_and_say_the_status_in_the_page_language(built_store):
    # A share computed as count / cohort * 100 carries float noise in the store
    # (0.56 * 100 = 56.00000000000001); files people read get six decimals at most.
    rows = built_store.values
    share = rows[(rows["indicator"] == "intro_work_or_education_1y") & rows["value"].notna()]
    noisy = share[share["value"].round(6) != share["value"]]
    assert len(noisy) > 0  # the store has such values, so this test can fail
    frame = noisy[["kommunenummer", "year", "value", "status"]].reset_index(drop=True)
    for lang, hidden_word in (("nb", "skjult (få personer)"), ("en", "suppressed (few persons)")):
        meta = exports.ExportMeta(title="t", source="s", permalink="p", lang=lang, alt="a")
        text = exports.csv_bytes(pd.concat([frame, pd.DataFrame([
            {"kommunenummer": "1144", "year": 2013, "value": float("nan"),
             "status": "suppressed"}])]), meta).decode("utf-8-sig")
        back = pd.read_csv(io.StringIO(text), dtype={"kommunenummer": str})
        decimals = [line.split(",")[2].partition(".")[2] for line in text.splitlines()[1:]]
        assert max(len(d) for d in decimals) <= 6
        assert (back["value"].head(len(frame)) - frame["value"]).abs().max() < 1e-6
        assert back["status_text"].iloc[-1] == hidden_word
        book = pd.read_excel(io.BytesIO(exports.excel_bytes({"Data": frame}, meta)),
                             sheet_name="Data")
        assert (book["value"] == frame["value"].round(6)).all()


def test_a_block_of_several_indicators_names_each_rows_own(built_store):
    """The profile's settlement block (requested, decided, settled): each CSV row says
    which it is, and carries the note on how it was made (Trondheim 2018: 1601 + 1662)."""
    from dashboard.sections import csv_of

    funnel = profile.settlement_funnel(built_store, "5001", "nb")
    out = csv_of(funnel, built_store, "settled_refugees", "nb").set_index(["measure", "year"])
    assert out.loc[("Anmodet", 2018), "indicator"] == "settlement_requested"
    assert out.loc[("Vedtatt", 2018), "indicator"] == "settlement_decided"
    assert out.loc[("Bosatt", 2018), "indicator"] == "settled_refugees"
    assert out.loc[("Anmodet", 2018), "value"] == 210  # 200 (1601) + 10 (1662)
    assert out.loc[("Bosatt", 2018), "note"] == (
        "Sum av tidligere kommuner: 1601 Trondheim, 1662 Klæbu. 1662 Klæbu: skjult")


def test_the_intro_blocks_csv_has_each_shares_cohort(built_store):
    """intro_status_arbutd 2013: Bergen 115 of 192 in work or education one year after;
    the file carries the 192 beside the 60 %, and a hidden cohort stays empty, not 0."""
    from dashboard.sections import csv_of

    groups = [peer_group(built_store, "4601", kind, "nb") for kind in ("kostra", "fylke", "norway")]
    frame = profile.with_cohort(profile.comparison(built_store, "4601", "intro_work_or_education_1y",
                                                   groups, "nb"),
                                built_store, "intro_work_or_education_1y")
    out = csv_of(frame, built_store, "intro_work_or_education_1y", "nb")
    bergen = out[(out["series"] == "Bergen") & (out["year"] == 2013)].iloc[0]
    assert (round(bergen["value"], 1), bergen["cohort"], bergen["cohort_status"]) == (59.9, 192, "ok")
    hidden = out[out["cohort_status"].isin(["suppressed", "missing"])]
    assert hidden["cohort"].isna().all()


def test_file_stem_is_safe():
    assert exports.file_stem("kart", "settled_per_1000", 2022) == \
        "integreringskart_kart_settled_per_1000_2022"
    assert "/" not in exports.file_stem("../etc/passwd", "<x>")


def test_map_of_one_fylke_keeps_the_national_classes(built_store, geometry):
    kommuner, fylker = geometry
    rows = tables.map_rows(built_store, "settled_per_1000", 2022, None)
    meta = map_meta(built_store, "settled_per_1000", 2022, "nb")
    spec = exports.map_chart(rows, kommuner, "settled_per_1000", meta, fylker,
                             fylke="46").to_dict(validate=False)
    features = spec["layer"][0]["data"]["values"]
    vestland = {c for c in built_store.kommuner if c.startswith("46")}
    assert {f["properties"]["kommunenummer"] for f in features} == vestland
    assert [f["properties"]["fylkesnummer"] for f in spec["layer"][1]["data"]["values"]] == ["46"]
    scale = spec["layer"][0]["encoding"]["fill"]["scale"]
    fill_of = dict(zip(scale["domain"], scale["range"]))
    payload = live_payload(built_store, kommuner, "settled_per_1000", 2022, "nb")
    for f in features:
        assert fill_of[f["properties"]["category"]] == \
            payload["values"][f["properties"]["kommunenummer"]][0]
    counts = re.findall(r"\((\d+)\)", spec["layer"][0]["encoding"]["fill"]["legend"]["labelExpr"])
    assert sum(map(int, counts)) == len(vestland)


def test_exports_are_pure():
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, dashboard.exports; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parents[1], check=True)
    assert out.stdout.strip() == "False"


def test_one_colour_scale_for_every_year_on_the_map_and_its_image(built_store):
    """Animating the years: with the shared scale a colour means the same in 2012 and
    in 2022; per year, the classes move with each year's figures."""
    from dashboard import map_view, tables

    all_years = tables.all_years(built_store, "settled_per_1000")

    def payload(year, scale_rows=None):
        view = map_view.MapView("settled_per_1000", year, "nb", None, None)
        return map_view.map_payload(tables.map_rows(built_store, "settled_per_1000", year, None), view,
                                    built_store.kommuner, {}, "Kilde", "", None, scale_rows=scale_rows)

    shared = [payload(y, all_years) for y in (2012, 2022)]
    per_year = [payload(y) for y in (2012, 2022)]
    legend = lambda p: p["legend_html"].split('<div><span class="sw dashed')[0]  # noqa: E731
    assert legend(shared[0]) == legend(shared[1]) and "Samme klasser i alle år" in shared[0]["legend_html"]
    assert legend(per_year[0]) != legend(per_year[1])
    expected = map_view.classes_for(all_years, "settled_per_1000")
    v = all_years[(all_years.year == 2022) & (all_years.kommunenummer == "4601")].iloc[0]
    assert shared[1]["values"]["4601"][0] == expected.colour(v.value)
    assert exports.map_classes(all_years, "settled_per_1000") == expected  # the PNG's classes


def test_zero_is_a_class_of_its_own_only_where_nothing_is_below_it(built_store):
    """2012: many kommuner settled no refugees, so zero is a break; the next class must
    not read '0,0–0,6' as if it held the zeros. Net migration can be negative: there
    'til og med 0,0' holds the negative figures too and is worded so."""
    from dashboard.classify import make_classes

    rows = tables.map_rows(built_store, "settled_per_1000", 2012, None)
    classes = map_view.classes_for(rows, "settled_per_1000")
    labels = exports.class_labels(classes, 1, "nb")
    assert classes.breaks[0] == 0 and labels[:2] == ["0", "over 0 til 0,6"]
    assert exports.class_labels(classes, 1, "en")[:2] == ["0", "above 0 to 0.6"]
    legend = map_view.legend_html(classes, {}, INDICATORS["settled_per_1000"], "nb")
    assert ">over 0 til 0,6<" in legend and "0,0–0,6" not in legend
    signed = make_classes(pd.Series([-4.0, -1.0, 0.0, 2.0, 5.0]), 1, diverging=True)
    assert exports.class_labels(signed, 1, "nb") == ["til og med \u22122,5", "\u22122,5 til 0",
                                                            "over 0 til 3,5", "over 3,5"]


def test_the_map_title_never_breaks_inside_a_number(built_store, geometry):
    """Beside the side column at 1024 px the title box is narrow: "per 1 000" is one unit."""
    payload = live_payload(built_store, geometry[0], "settled_per_1000", 2022, "nb")
    assert "per 1&nbsp;000 innbyggere" in payload["title_html"]
    assert "1 000" not in payload["title_html"]
    english = live_payload(built_store, geometry[0], "settled_per_1000", 2022, "en")
    assert "per 1,000 inhabitants" in english["title_html"]


def small_shares(store, indicator: str, year: int) -> tuple[pd.DataFrame, dict[str, int], dict[str, float]]:
    """The map file of `indicator` in `year` (by kommune), the shares in it of a cohort
    under 10 persons, and every share's cohort: the published one, or for a share over
    part of a merged kommune's former kommuner the one its note records."""
    rows = tables.map_rows(store, indicator, year, None)
    frame = tables.download_frame(rows, store, "nb").set_index("kommunenummer")
    v = store.values
    cohort = v[(v["indicator"] == INDICATORS[indicator].small_cohort) & (v["year"] == year)
               & v["kommunenummer"].isin(store.kommuner) & v["status"].isin(QUALITY_ORDER)]
    sizes = dict(zip(cohort["kommunenummer"], cohort["value"]))
    shares = v[(v["indicator"] == indicator) & (v["year"] == year) & v["kommunenummer"].isin(store.kommuner)]
    of = shares.set_index("kommunenummer")["conversion"].str.extract(r"inputs:[\d.]+/([\d.]+)")[0].astype(float)
    sizes.update(of.dropna().to_dict())
    small = {code: int(n) for code, n in sizes.items() if 0 < n < 10 and frame.loc[code, "status"] in QUALITY_ORDER}
    for code, n in small.items():
        assert f"kull på {n} personer, svært usikker" in frame.loc[code, "note"], code
    others = frame.drop(index=list(small))
    assert not others["note"].str.contains("kull på").any()
    return frame, small, sizes


def test_the_map_file_says_which_shares_rest_on_a_small_cohort(built_store):
    """The ranking flagged Giske's 100 % as "kull på 5"; the CSV showed a clean 100 %.
    Each share of a cohort under 10 persons now says so in its note, with the size read
    from the cohort's own figures, or for a share over part of a merged kommune's former
    kommuner from the cohort it is of (Øygarden 2012, three years after: 4 of 8, 16
    published); other rows keep their notes as they were."""
    frame, small, _ = small_shares(built_store, "intro_work_or_education_1y", 2014)
    assert small, "the real file has small cohorts in 2014"
    assert frame.loc["1532", "value"] == 100.0 and small["1532"] == 5  # Giske
    _, small_2012, sizes = small_shares(built_store, "intro_work_or_education_3y", 2012)
    v = built_store.values
    published = v[(v["kommunenummer"] == "4626") & (v["indicator"] == "intro_cohort_3y") & (v["year"] == 2012)]
    assert small_2012["4626"] == 8 and sizes["4626"] == 8 and published["value"].tolist() == [16]
    rows = tables.map_rows(built_store, "intro_work_or_education_1y", 2014, None)
    english = tables.download_frame(rows, built_store, "en").set_index("kommunenummer")
    assert "cohort of 5 persons, very uncertain" in english.loc["1532", "note"]
