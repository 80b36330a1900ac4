"""Exports of any view: charts as PNG and SVG, the map as a PNG and as a standalone
HTML file that opens offline, and the data behind a view as CSV and Excel.

Every export carries its title, its source (table ids and retrieval dates), and the
permalink back to the view; images also carry a one-sentence alt text (PNG: iTXt
chunks "Title", "Description" and "Comment"; SVG: <title> and <desc>).

Pure functions: no Streamlit here, so the pages decide when to build an export (a
download button's data) and the tests can call every builder directly.

* Charts are rendered with vl-convert (Vega and Vega-Lite compiled into a Python
  wheel, fonts included): no browser, no network, the same renderer for PNG and SVG.
* The map PNG is an Altair geoshape chart with the live map's classes and colours
  (`dashboard.classify.make_classes`, the same call and the same status rules as
  `map_view.map_payload`; the tests check every kommune against the live payload).
* The standalone map is one HTML file: Leaflet's JS and CSS (from the XStatic-Leaflet
  package), the geometry and the live map's own payload are inlined, so the file and
  the live map agree by construction and it opens from file:// without a network.
* CSV stays machine-readable: one header row, the data columns plus `source` and
  `permalink` columns (no preamble lines that would break `read_csv`). The Excel file
  has the data sheet(s) and an "Om"/"About" sheet with title, source, permalink and
  the note on missing and suppressed figures.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
import struct
import textwrap
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from data_loaders.catalogue import INDICATORS
from data_loaders.export import EXPORT_DECIMALS

if TYPE_CHECKING:
    import altair as alt

from . import i18n
from .classify import MISSING_COLOUR, SUPPRESSED_COLOUR, Classes
from .map_view import DASHED, KOMMUNE_JS, VALUE_STATUSES, classes_for, flag_of, range_label

EXPORT_WIDTH = 720  # px of a chart's plot area; PNGs are rendered at twice that
MAP_WIDTH = 640     # the map PNG: 1280 px wide at scale 2
MAP_HEIGHT = 820
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
KARTVERKET = "© Kartverket"

@dataclass(frozen=True)
class ExportMeta:
    """What every export carries. `source` already names the tables and their retrieval
    dates (data_loaders.export.source_line); `permalink` is the view's absolute URL;
    `alt` is a one-sentence description of the image for alt text."""

    title: str
    source: str
    permalink: str
    lang: str
    alt: str
    key: str = ""  # how to read marks that are not plain figures (faded bars, ':', '–')

    def link_is_web(self) -> bool:
        return re.match(r"https?://", self.permalink or "", re.IGNORECASE) is not None


def file_stem(*parts) -> str:
    """'integreringskart_settled_per_1000_2022': a safe file name stem for downloads
    (Norwegian letters spelt out: 'Bærum på Øst' -> 'Baerum-pa-Ost')."""
    words = ["integreringskart", *(str(p) for p in parts if p not in (None, ""))]
    text = "_".join(words).translate(str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


# --- Charts -------------------------------------------------------------------------


def _caption_lines(meta: ExportMeta, width_chars: int = 110) -> list[str]:
    lines = textwrap.wrap(meta.key, width_chars) if meta.key else []
    lines += textwrap.wrap(f"{i18n.t('source', meta.lang)}: {meta.source}", width_chars)
    if meta.permalink:
        lines.append(f"{i18n.t('link', meta.lang)}: {meta.permalink}")
    return lines


def chart_with_caption(chart: alt.TopLevelMixin, meta: ExportMeta,
                       width: int | None = EXPORT_WIDTH) -> alt.TopLevelMixin:
    """The chart with meta.title as its title, the source and the permalink as subtitle
    lines, meta.alt as its description (aria-label in SVG), and a fixed width so that
    it renders outside the page (the live charts use width="container")."""
    import altair as alt  # here, not at the top: the map page imports this module too

    title = alt.Title(text=meta.title, subtitle=_caption_lines(meta), anchor="start",
                      fontSize=17, subtitleFontSize=12, subtitleColor="#333333",
                      subtitlePadding=6, offset=14, limit=0)
    props = {"title": title, "description": meta.alt, "background": "white",
             "padding": 12}
    # Only single and layered views take a top-level width; concatenations keep theirs.
    if width and isinstance(chart, (alt.Chart, alt.LayerChart)):
        props["width"] = width
    return chart.properties(**props)


def _spec(chart: alt.TopLevelMixin) -> dict:
    # The spec is our own: skip Altair's JSON-schema validation (slow on the map).
    return chart.to_dict(validate=False)


def _vl_kwargs(meta: ExportMeta) -> dict:
    # No external data: every export is rendered from inline data only.
    return {"allowed_base_urls": [], "format_locale": _d3_locale(meta.lang)}


def _d3_locale(lang: str) -> dict:
    from .charts import NUMBER_LOCALE

    return NUMBER_LOCALE.get(lang, NUMBER_LOCALE["nb"])


def png_with_text(png: bytes, chunks: dict[str, str], lang: str = "") -> bytes:
    """Insert uncompressed iTXt chunks (UTF-8 text, e.g. 'Title', 'Description') right
    after the PNG's IHDR chunk."""
    signature = b"\x89PNG\r\n\x1a\n"
    if not png.startswith(signature):
        raise ValueError("not a PNG")
    ihdr_end = 8 + 4 + 4 + struct.unpack(">I", png[8:12])[0] + 4
    out = [png[:ihdr_end]]
    for keyword, text in chunks.items():
        data = (keyword.encode("latin-1")[:79] + b"\x00" + b"\x00\x00"
                + lang.encode("ascii") + b"\x00" + b"\x00" + text.encode("utf-8"))
        out.append(struct.pack(">I", len(data)) + b"iTXt" + data
                   + struct.pack(">I", zlib.crc32(b"iTXt" + data) & 0xFFFFFFFF))
    out.append(png[ihdr_end:])
    return b"".join(out)


def png_text(png: bytes) -> dict[str, str]:
    """The iTXt and tEXt chunks of a PNG (what `png_with_text` wrote)."""
    out, pos = {}, 8
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"iTXt":
            keyword, _, rest = data.partition(b"\x00")
            _, _, rest = rest[2:].partition(b"\x00")  # skip flags, language tag
            _, _, text = rest.partition(b"\x00")      # translated keyword
            out[keyword.decode("latin-1")] = text.decode("utf-8")
        elif kind == b"tEXt":
            keyword, _, text = data.partition(b"\x00")
            out[keyword.decode("latin-1")] = text.decode("latin-1")
        pos += 12 + length
    return out


def _png_chunks(meta: ExportMeta) -> dict[str, str]:
    return {"Title": meta.title, "Description": meta.alt,
            "Comment": f"{i18n.t('source', meta.lang)}: {meta.source}. {meta.permalink}".strip(),
            "Software": "Integreringskart (vl-convert)"}


def render_png(spec: dict, meta: ExportMeta, scale: float = 2) -> bytes:
    """A finished Vega-Lite spec -> PNG with the alt text and the source embedded."""
    import vl_convert as vlc

    png = vlc.vegalite_to_png(spec, scale=scale, **_vl_kwargs(meta))
    return png_with_text(png, _png_chunks(meta), meta.lang)


def render_svg(spec: dict, meta: ExportMeta) -> bytes:
    """A finished Vega-Lite spec -> SVG with <title> and <desc> first in the document."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(spec, **_vl_kwargs(meta))
    return svg_with_text(svg, meta).encode("utf-8")


def svg_with_text(svg: str, meta: ExportMeta) -> str:
    match = re.search(r"<svg\b[^>]*>", svg)
    if not match:
        raise ValueError("not an SVG document")
    opening = match.group(0)
    # role="img" with aria-labelledby: screen readers announce the title and the alt text.
    opening = re.sub(r"\s(role|aria-labelledby|aria-label)=\"[^\"]*\"", "", opening)
    opening = opening[:-1].rstrip("/") + ' role="img" aria-labelledby="ik-export-title ik-export-desc">'
    desc = meta.alt + " " + f"{i18n.t('source', meta.lang)}: {meta.source}. {meta.permalink}".strip()
    inserted = (f'<title id="ik-export-title">{html.escape(meta.title)}</title>'
                f'<desc id="ik-export-desc">{html.escape(desc)}</desc>')
    return svg[:match.start()] + opening + inserted + svg[match.end():]


def chart_png(chart: alt.TopLevelMixin, meta: ExportMeta, scale: float = 2) -> bytes:
    """The chart as PNG (`scale` 2: 1,440 px wide), captioned and with its alt text."""
    return render_png(_spec(chart_with_caption(chart, meta)), meta, scale)


def chart_svg(chart: alt.TopLevelMixin, meta: ExportMeta) -> bytes:
    """The chart as SVG (text stays text), captioned, with <title> and <desc>."""
    return render_svg(_spec(chart_with_caption(chart, meta)), meta)


# --- The map as an image ------------------------------------------------------------


def map_classes(frame: pd.DataFrame, indicator: str, contrast: bool = False) -> Classes:
    """The live map's classes for these rows (map_view.classes_for, as map_payload)."""
    return classes_for(frame, indicator, contrast)


def suppressed_colour(contrast: bool = False) -> str:
    if contrast:
        from .classify import CONTRAST_SUPPRESSED_COLOUR

        return CONTRAST_SUPPRESSED_COLOUR
    return SUPPRESSED_COLOUR


def class_labels(classes: Classes, decimals: int, lang: str) -> list[str]:
    """The legend's class labels, lowest first, worded as on the live map."""
    bounds = [None, *classes.breaks, None]
    return [range_label(low, high, decimals, lang, classes.floor_zero)
            for low, high in zip(bounds[:-1], bounds[1:])]


@dataclass(frozen=True)
class MapCategory:
    label: str    # the legend text
    colour: str   # the fill colour
    count: int


def map_categories(frame: pd.DataFrame, indicator: str, codes, lang: str,
                   contrast: bool = False, classes: Classes | None = None
                   ) -> tuple[dict[str, str], list[MapCategory], int]:
    """For the kommuner `codes`: each one's legend label, the legend (highest class
    first, then suppressed and missing, as on the live map) and the number of
    estimates or incomplete sums (drawn with a dashed outline). `classes`: default,
    the classes of these kommuner's figures."""
    ind = INDICATORS[indicator]
    codes = list(codes)
    rows = frame[frame["kommunenummer"].isin(codes)]
    classes = classes or map_classes(rows, indicator, contrast)
    labels = class_labels(classes, ind.decimals, lang)
    label_of_colour = dict(zip(classes.colours, labels))
    suppressed, missing = (i18n.no_figure_label(s, lang, rows.loc[rows["status"].astype(str) == s, "conversion"])
                           for s in ("suppressed", "missing"))
    of_code: dict[str, str] = {}
    dashed = 0
    for row in rows.itertuples(index=False):
        status = str(row.status)
        if status in VALUE_STATUSES and not _isnan(row.value):
            of_code[row.kommunenummer] = label_of_colour[classes.colour(row.value)]
            dashed += flag_of(status, row.conversion) == DASHED
        else:
            of_code[row.kommunenummer] = suppressed if status == "suppressed" else missing
    for code in codes:  # no row at all: missing, as on the live map
        of_code.setdefault(code, missing)
    counts: dict[str, int] = {}
    for label in of_code.values():
        counts[label] = counts.get(label, 0) + 1
    legend = [MapCategory(label, colour, counts.get(label, 0))
              for label, colour in reversed(list(zip(labels, classes.colours)))]
    legend += [MapCategory(label, colour, counts[label])
               for label, colour in ((suppressed, suppressed_colour(contrast)),
                                      (missing, MISSING_COLOUR))
               if counts.get(label)]
    return of_code, legend, dashed


def _isnan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)


def map_title(frame: pd.DataFrame, indicator: str, year: int, lang: str, place: str = "") -> str:
    """'Bosatte flyktninger per 1 000 innbyggere, Vestland, 2023 (delår)': as the live
    map's title, with the part year named when the rows are a part year."""
    part_year = (frame["status"].astype(str) == "partial-year").any()
    year_text = f"{year}" + (f" ({i18n.status_text('partial-year', lang)})" if part_year else "")
    return ", ".join(filter(None, (INDICATORS[indicator].label(lang), place, year_text)))


def map_alt_text(frame: pd.DataFrame, kommuner: dict[str, str], indicator: str, year: int,
                 lang: str) -> str:
    """One sentence for the map's alt text: what it shows, the lowest and highest
    kommune, and how many have no figure."""
    ind = INDICATORS[indicator]
    rows = frame[frame["kommunenummer"].isin(kommuner)]
    valued = rows[rows["status"].isin(VALUE_STATUSES) & rows["value"].notna()]
    text_range = ""
    if len(valued):
        low = valued.sort_values(["value", "kommunenummer"]).iloc[0]
        high = valued.sort_values(["value", "kommunenummer"], ascending=[False, True]).iloc[0]
        text_range = i18n.t("map_range", lang,
                        low=i18n.format_number(low["value"], ind.decimals, lang),
                        low_name=kommuner[low["kommunenummer"]],
                        high=i18n.format_number(high["value"], ind.decimals, lang),
                        high_name=kommuner[high["kommunenummer"]], unit=ind.unit(lang))
    gaps = len(kommuner) - len(valued)
    return i18n.t("map_alt", lang, n=len(kommuner), label=ind.label(lang).lower(), year=year,
              range=text_range, gaps=i18n.t("map_gaps", lang, n=gaps) if gaps else "")


def map_chart(frame: pd.DataFrame, boundaries_geojson: dict, indicator: str,
              meta: ExportMeta, fylker_geojson: dict | None = None,
              width: int = MAP_WIDTH, height: int = MAP_HEIGHT,
              contrast: bool = False, fylke: str | None = None,
              scale_rows: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """The choropleth as an Altair geoshape chart: the live map's classes and colours,
    missing and suppressed in their own colours, estimates with a dashed outline, a
    legend naming every category with its count, the fylke borders, and the caption.
    Projected like Kartverket's maps (transverse Mercator on 15° E, as UTM 33).
    `frame`: the map's rows (tables.map_rows, all kommuner, as the live map gets them);
    `fylke` ('46'): draw only that fylke's kommuner (classes still from `frame`);
    `scale_rows`: as map_view.map_payload, rows that set the classes (every year)."""
    import altair as alt

    ind = INDICATORS[indicator]
    lang = meta.lang
    features = [f for f in boundaries_geojson["features"]
                if not fylke or f["properties"]["kommunenummer"].startswith(fylke)]
    codes = [f["properties"]["kommunenummer"] for f in features]
    # The live map's classes (of every kommune), the counts of the kommuner drawn.
    every = {f["properties"]["kommunenummer"] for f in boundaries_geojson["features"]}
    scale = frame if scale_rows is None else scale_rows
    classes = map_classes(scale[scale["kommunenummer"].isin(every)], indicator, contrast)
    of_code, legend, dashed_count = map_categories(frame, indicator, codes, lang, contrast,
                                                   classes)
    dashed = {code for code, status, conversion in zip(frame["kommunenummer"], frame["status"].astype(str),
                                                         frame["conversion"])
              if flag_of(status, conversion) == DASHED}
    values = []
    for f in features:
        code = f["properties"]["kommunenummer"]
        values.append({"type": "Feature", "geometry": f["geometry"], "properties": {
            "kommunenummer": code, "kommunenavn": f["properties"]["kommunenavn"],
            "category": of_code[code], "dashed": code in dashed}})
    # Norway leaves the sea free at the top left; a fylke fills its frame: legend beside it.
    if fylke:
        width = max(width - 200, 320)
    legend_style = dict(orient="right" if fylke else "top-left", offset=8, titleFontSize=15, labelFontSize=15,
                        symbolSize=260, symbolType="square", symbolStrokeColor="#777777",
                        symbolStrokeWidth=1, fillColor="white", padding=8, labelLimit=360,
                        cornerRadius=4)
    labels = [c.label for c in legend]
    legend_text = {c.label: f"{c.label} ({c.count})" for c in legend}
    label_expr = " : ".join(f"datum.label === {json.dumps(k)} ? {json.dumps(v)}"
                            for k, v in legend_text.items()) + " : datum.label"
    kommuner = alt.Chart(alt.Data(values=values)).mark_geoshape(
        stroke="#000000" if contrast else "white", strokeWidth=0.5 if contrast else 0.35).encode(
        fill=alt.Fill("properties.category:N", title=ind.unit(lang),
                      scale=alt.Scale(domain=labels, range=[c.colour for c in legend]),
                      legend=alt.Legend(labelExpr=label_expr, **legend_style)),
        tooltip=[alt.Tooltip("properties.kommunenavn:N", title=" ")],
    )
    layers = [kommuner]
    if fylker_geojson:
        borders = [f for f in fylker_geojson["features"]
                   if not fylke or f["properties"].get("fylkesnummer") == fylke]
        layers.append(alt.Chart(alt.Data(values=borders)).mark_geoshape(
            filled=False, stroke="#000000" if contrast else "#2b2b2b",
            strokeWidth=1.6 if contrast else 0.9, strokeOpacity=1 if contrast else 0.9))
    if dashed_count:
        dashed_label = (f"{i18n.status_text('estimated', lang)} / "
                        f"{i18n.status_text('incomplete', lang)} ({dashed_count})")
        layers.append(alt.Chart(alt.Data(values=[v for v in values if v["properties"]["dashed"]]))
                      .mark_geoshape(filled=False, stroke="#1a1a1a", strokeWidth=1.1)
                      .encode(strokeDash=alt.StrokeDash(
                          "label:N", title=None,
                          scale=alt.Scale(domain=[dashed_label], range=[[3, 2]]),
                          legend=alt.Legend(**{**legend_style, "symbolType": "square",
                                               "symbolFillColor": "white",
                                               "symbolStrokeColor": "#1a1a1a",
                                               "symbolStrokeWidth": 1.5})))
                      .transform_calculate(label=json.dumps(dashed_label)))
    caption = textwrap.wrap(f"{i18n.t('source', lang)}: {meta.source}", 90)
    caption.append(f"{i18n.t('map_base', lang)}: {KARTVERKET} (CC BY 4.0)")
    if meta.permalink:
        caption.append(f"{i18n.t('link', lang)}: {meta.permalink}")
    return alt.layer(*layers).project(type="transverseMercator", rotate=[-15, 0, 0]).properties(
        width=width, height=height, description=meta.alt, background="white", padding=12,
        title=alt.Title(text=meta.title, subtitle=caption, anchor="start", fontSize=20,
                        subtitleFontSize=13, subtitleColor="#333333", subtitlePadding=6,
                        offset=10, limit=0),
    ).configure_view(stroke=None).configure(
        legend={"labelFontSize": 15, "titleFontSize": 15})


def map_png(frame: pd.DataFrame, boundaries_geojson: dict, indicator: str, meta: ExportMeta,
            fylker_geojson: dict | None = None, scale: float = 2, contrast: bool = False,
            fylke: str | None = None, scale_rows: pd.DataFrame | None = None) -> bytes:
    """The map as PNG: ~1,330 px wide at scale 2, with alt text and source embedded."""
    chart = map_chart(frame, boundaries_geojson, indicator, meta, fylker_geojson,
                      contrast=contrast, fylke=fylke, scale_rows=scale_rows)
    return render_png(_spec(chart), meta, scale)


def map_svg(frame: pd.DataFrame, boundaries_geojson: dict, indicator: str, meta: ExportMeta,
            fylker_geojson: dict | None = None, contrast: bool = False,
            fylke: str | None = None) -> bytes:
    """The map as SVG, with <title> and <desc>."""
    chart = map_chart(frame, boundaries_geojson, indicator, meta, fylker_geojson,
                      contrast=contrast, fylke=fylke)
    return render_svg(_spec(chart), meta)


# --- The map as a standalone HTML file ----------------------------------------------


def script_json(value) -> str:
    """JSON safe inside an inline <script>: '<', '>' and '&' become \\u escapes, so no
    string can close the script element ('</script>') or open a comment ('<!--')."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _leaflet() -> tuple[str, str]:
    import xstatic.pkg.leaflet as leaflet

    base = Path(leaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    # No source map lookup from file://, and nothing can end the inline elements early.
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js)
    if re.search(r"</script", js, re.IGNORECASE) or re.search(r"</style", css, re.IGNORECASE):
        raise ValueError("Leaflet's files cannot be inlined")
    return js, css


def _html_features(boundaries_geojson: dict) -> dict:
    """As map_view.prepare_boundaries: the name escaped for the tooltip (HTML) and plain
    for the aria-label (set as text)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature",
         "properties": {"kommunenummer": f["properties"]["kommunenummer"],
                        "navn_html": html.escape(f["properties"]["kommunenavn"]),
                        "navn_plain": f["properties"]["kommunenavn"]},
         "geometry": f["geometry"]} for f in boundaries_geojson["features"]]}


STANDALONE_CSS = """
html, body { height: 100%; margin: 0; }
#map { position: absolute; inset: 0; }
.ik-title { max-width: min(380px, 60vw); }  /* a narrow window keeps most of its map */
.ik-title .ik-source { display: block; margin-top: 6px; font-size: 12.5px; color: #333; }
.ik-title a { color: #0b5394; }
.ik-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""

STANDALONE_JS = """
(function () {""" + KOMMUNE_JS + """
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  var payload = data('ik-payload'), info = data('ik-info');
  var kommuner = data('ik-kommuner'), fylker = data('ik-fylker');
  var values = payload.values || {};
  var contrast = !!payload.contrast;
  var map = L.map('map', {zoomSnap: 0.25, minZoom: 3, maxZoom: 11, zoomControl: false});
  L.control.zoom({position: 'bottomleft'}).addTo(map);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(info.attribution_html);
  function style(feature) {
    var code = feature.properties.kommunenummer;
    return ikStyle(code, values[code], payload.selected, contrast, info.missing_colour, payload.focus,
                   payload.outline);
  }
  function tooltip(feature) {
    return ikTooltip(feature, values[feature.properties.kommunenummer]);
  }
  // The boxes first, then the view: Leaflet draws vector layers only on a map
  // that has a view, and a fylke should not hide under the title or the legend.
  function box(position, className, content) {
    var control = L.control({position: position});
    control.onAdd = function () {
      var div = L.DomUtil.create('div', className);
      div.innerHTML = content;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    control.addTo(map);
    return control.getContainer();
  }
  var titleBox = box('topleft', 'ik-title', payload.title_html + info.footer_html);
  var legendBox = box('bottomright', 'ik-legend', payload.legend_html);
  document.body.classList.toggle('ik-present', !!payload.presenting);
  document.body.classList.toggle('ik-contrast', contrast);
  var bounds = (payload.fit && payload.fit.bounds) || info.bounds;
  var whole = !payload.fit || payload.fit.token === 'norge';
  ikFit(map, bounds, whole, titleBox, legendBox);
  var layer = L.geoJSON(kommuner, {
    style: style,
    onEachFeature: function (feature, l) {
      ikBindTip(map, l, function () { return tooltip(feature); });
      l.on('add', function () {
        var el = l.getElement();
        el.setAttribute('data-kommune', feature.properties.kommunenummer);
        el.setAttribute('aria-label', feature.properties.navn_plain);
      });
    }
  }).addTo(map);
  layer.eachLayer(function (l) {
    if (l.feature.properties.kommunenummer === payload.selected) { l.bringToFront(); }
  });
  ikPanes(map);
  ikOutline(map, layer, payload.selected, contrast, null, payload.outline);
  L.geoJSON(fylker, {pane: 'ik-fylker', interactive: false,
    style: ikBorderStyle(contrast)}).addTo(map);
  var svg = layer.getLayers()[0]._renderer._container;
  var defs = document.createElementNS('http://www.w3.org/2000/svg', 'defs');
  defs.innerHTML = '<pattern id="ik-hatch" patternUnits="userSpaceOnUse" width="6" height="6" ' +
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="' + info.missing_colour + '"/>' +
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="2"/></pattern>';
  svg.insertBefore(defs, svg.firstChild);
  document.body.setAttribute('data-ik-state', payload.state || '');
  document.body.setAttribute('data-ik-ready', '1');
})();
"""


def map_html(payload: dict, boundaries_geojson: dict, fylker_geojson: dict,
             meta: ExportMeta) -> str:
    """The live map as one HTML file that opens offline (file://, no network, no tile
    server): Leaflet's JS and CSS, the geometry and `payload` (what
    map_view.map_payload made for the live map: colours, tooltip texts, legend and
    title, all escaped there) are inlined; a box adds the full source with its
    retrieval dates, the licence of the boundaries and the permalink. Every string from
    data is HTML-escaped, and the inlined JSON cannot end its <script> element."""
    from .map_view import MAP_CSS, NORWAY_BOUNDS

    js, css = _leaflet()
    lang = meta.lang if meta.lang in ("nb", "en") else "nb"
    link = (f'<a href="{html.escape(meta.permalink, quote=True)}">{html.escape(i18n.t("open", lang))}</a>'
            if meta.link_is_web() else html.escape(meta.permalink))
    footer = (f'<span class="ik-source">{html.escape(i18n.t("tables", lang))}: '
              f'{html.escape(meta.source)}.<br>{html.escape(i18n.t("map_base", lang))}: '
              f'{html.escape(KARTVERKET)} (<a href="{LICENCE_URL}">CC BY 4.0</a>).'
              f'<br>{link}</span>')
    info = {"footer_html": footer, "bounds": NORWAY_BOUNDS,
            "attribution_html": f"{html.escape(KARTVERKET)} (CC BY 4.0)",
            "missing_colour": MISSING_COLOUR}
    return "\n".join([
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(meta.title)}</title>",
        f'<meta name="description" content="{html.escape(meta.alt, quote=True)}">',
        f"<style>{css}</style>",
        f"<style>{MAP_CSS}{STANDALONE_CSS}</style>",
        f"<script>{js}</script>",
        "</head>",
        "<body>",
        f'<main><div id="map" aria-describedby="ik-desc"></div>'
        f'<p id="ik-desc" class="ik-sr">{html.escape(meta.alt)}</p></main>',
        f"<noscript><p>{html.escape(meta.title)}. {html.escape(meta.alt)}</p></noscript>",
        f'<script type="application/json" id="ik-payload">{script_json(payload)}</script>',
        f'<script type="application/json" id="ik-info">{script_json(info)}</script>',
        f'<script type="application/json" id="ik-kommuner">'
        f"{script_json(_html_features(boundaries_geojson))}</script>",
        f'<script type="application/json" id="ik-fylker">{script_json(fylker_geojson)}</script>',
        f"<script>{STANDALONE_JS}</script>",
        "</body>",
        "</html>",
    ])


# --- Data ---------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _guard_text(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe
    (CSV); numbers, including negative ones, are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def for_people(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every download's figures: floats rounded (no 56.00000000000001), and beside a
    `status` code its meaning in the page's language (`status_text`), empty for a plain
    figure. The codes stay for machines; the words are for the people reading the file."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(EXPORT_DECIMALS)
    if "status" in out.columns and "status_text" not in out.columns:
        words = out["status"].astype(str).map(lambda s: i18n.status_text(s, lang))
        out.insert(out.columns.get_loc("status") + 1, "status_text", words)
    return out


def csv_bytes(frame: pd.DataFrame, meta: ExportMeta) -> bytes:
    """The frame as CSV for machines and for Excel: UTF-8 with a byte-order mark (so
    Excel shows æøå), one header row, '.' as decimal separator, empty where there is no
    figure (never 0), and the columns `source` (kept when the frame has one per row),
    `title` and `permalink`. No title lines above the header: those would break
    read_csv, so the title is a column like the source."""
    out = for_people(frame, meta.lang)
    if "source" not in out.columns:
        out["source"] = meta.source
    out["title"] = meta.title
    out["permalink"] = meta.permalink
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(_guard_text)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _sheet_name(name: str, taken: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", str(name)).strip("' ")[:31] or "Data"
    candidate, n = clean, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = clean[:31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _cell_value(value):
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalar -> Python
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def excel_bytes(frames: dict[str, pd.DataFrame], meta: ExportMeta,
                exported: date | None = None) -> bytes:
    """An .xlsx with one sheet per frame (bold header, frozen first row) and an
    "Om"/"About" sheet with title, description, source and retrieval dates, permalink,
    export date and the note that missing and suppressed figures are empty, never 0."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    lang = meta.lang
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for name, frame in (frames or {i18n.t("data_sheet", lang): pd.DataFrame()}).items():
        frame = for_people(frame, lang)
        sheet = book.create_sheet(_sheet_name(name, taken))
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(frame.itertuples(index=False), start=2):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=_cell_value(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, never a formula
        sheet.freeze_panes = "A2"
        for c, column in enumerate(frame.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
            sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = \
                min(max(width + 2, 8), 60)
    about = book.create_sheet(_sheet_name(i18n.t("about_sheet", lang), taken))
    rows = [(i18n.t("title", lang), meta.title), (i18n.t("description", lang), meta.alt),
            (i18n.t("source", lang), meta.source), (i18n.t("link", lang), meta.permalink),
            (i18n.t("exported", lang), (exported or date.today()).isoformat()),
            (i18n.t("note", lang), i18n.t("missing_note", lang)),
            (i18n.t("map_base", lang), f"{KARTVERKET} (CC BY 4.0, {LICENCE_URL})")]
    for key, value in rows:
        about.append([key, value])
        about.cell(row=about.max_row, column=1).font = Font(bold=True)
        cell = about.cell(row=about.max_row, column=2)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    link_cell = about.cell(row=4, column=2)
    if meta.link_is_web():
        link_cell.hyperlink = meta.permalink
        link_cell.font = Font(color="0B5394", underline="single")
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
