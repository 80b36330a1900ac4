"""One block of the profile or compare page: a chart or its table, a CSV download,
a one-line definition and a source line. Each block is a Streamlit fragment, so its
own controls (the table toggle) rerun only the block, not the page."""

from __future__ import annotations

import itertools

import pandas as pd
import streamlit as st

from data_loaders.catalogue import INDICATORS
from data_loaders.export import source_line
from data_loaders.store import Store

from . import charts, exports, i18n, styles, tables
from .view_state import presenting


def table_of(frame: pd.DataFrame, lang: str, columns: dict[str, str]) -> pd.DataFrame:
    """The chart's figures as a table for people (labels, not raw floats)."""
    en = lang == "en"
    out = frame[list(columns)].rename(columns=columns)
    return out.rename(columns={"label": "Value" if en else "Verdi"}).reset_index(drop=True)


def chart_alt(title: str, frame: pd.DataFrame, lang: str) -> str:
    """One sentence describing a chart, for the alt text of its exported image."""
    series = list(dict.fromkeys(frame["series"].astype(str))) if "series" in frame else []
    years = sorted(frame["year"].dropna().astype(int).unique()) if "year" in frame else []
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    if lang == "en":
        return (f"Chart: {title}" + (f" ({', '.join(series)})" if series else "")
                + (f", {span}" if span else "") + ".")
    return (f"Diagram: {title}" + (f" ({', '.join(series)})" if series else "")
            + (f", {span}" if span else "") + ".")


def downloads(key: str, chart, csv: pd.DataFrame, meta: exports.ExportMeta,
              file_parts: tuple[str, ...] = ()) -> None:
    """CSV at once; Excel, PNG and SVG made only when asked for (vl-convert takes about a
    second per chart), each with the title, source, retrieval dates and the link. Files
    are named from `file_parts` (in the reader's language), else from the block's key."""
    lang = meta.lang
    stem = exports.file_stem(*(file_parts or (key,)))
    with st.popover(i18n.t("download", lang), icon=":material/download:"):
        st.download_button("CSV", exports.csv_bytes(csv, meta), file_name=f"{stem}.csv",
                           mime="text/csv", key=f"dl_{key}", on_click="ignore")
        st.download_button("Excel", lambda: exports.excel_bytes({"Data": csv}, meta),
                           file_name=f"{stem}.xlsx", key=f"xl_{key}", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        if chart is not None:
            st.download_button("PNG", lambda: exports.chart_png(chart, meta), file_name=f"{stem}.png",
                               mime="image/png", key=f"png_{key}", on_click="ignore")
            st.download_button("SVG", lambda: exports.chart_svg(chart, meta), file_name=f"{stem}.svg",
                               mime="image/svg+xml", key=f"svg_{key}", on_click="ignore")
        st.caption(i18n.t("download_note", lang))


@st.fragment
def block(key: str, chart, table: pd.DataFrame, csv: pd.DataFrame, definition: str,
          source: str, lang: str, notes: tuple[str, ...] = (), warnings: tuple[str, ...] = (),
          title: str = "", link: str = "", panels: tuple[tuple[str, object], ...] = (),
          file_parts: tuple[str, ...] = (), trace: tuple[str, dict[str, str]] | None = None):
    """A chart (or, given `panels`, small charts side by side, each (title, chart); a
    chart of None says there are no figures) or its table, then the key, definition,
    source, notes, a link to how a figure was made (`trace`: label, query parameters of
    Om dataene) and downloads (of `chart`)."""
    drawn = itertools.count()

    def draw(some_chart) -> None:
        # The spec is built by our own code: skip Altair's JSON-schema validation, which
        # would cost ~60 ms a chart on every rerun.
        spec = some_chart.to_dict(validate=False)
        if not presenting():
            st.vega_lite_chart(spec, width="stretch")
            return
        spec = charts.for_audience(spec)
        height = round(spec.get("height", 0))
        if height not in styles.AUDIENCE_HEIGHTS:
            st.vega_lite_chart(spec, width="stretch")
            return
        # As high as the screen is large (styles.audience_height_css): at 1080p the plot
        # kept its 720p height under text 1.5 times as large, and came out flat.
        with st.container(key=f"ik_chart_h{height}_{key}_{next(drawn)}"):
            st.vega_lite_chart({**spec, "height": "container"}, width="stretch", height="stretch")

    if st.toggle(i18n.t("show_table", lang), key=f"table_{key}"):
        # A plain table, every row in view: a data grid scrolled inside itself and hid
        # the last years at 720p.
        st.html(tables.html_table(table, right=tuple(table.columns[1:])))
    elif panels:
        # Row by row, not a stack per column: a short panel ("no figures") pulled the one
        # under it up beside the next row's.
        width = min(len(panels), 3)
        for row in range(0, len(panels), width):
            for column, (panel_title, panel) in zip(st.columns(width), panels[row:row + width]):
                with column:
                    st.markdown(f"**{panel_title}**")
                    if panel is None:
                        st.caption(i18n.t("no_figures", lang))
                    else:
                        draw(panel)
    else:
        draw(chart)
    for warning in warnings:
        st.warning(warning, icon=":material/warning:")
    key_text = i18n.t("chart_key", lang) if "status" in csv and csv["status"].ne("ok").any() else ""
    if key_text:
        st.caption(key_text)  # what faded bars, point shapes, ":" and "–" mean
    st.caption(definition)
    st.caption(f"{i18n.t('source', lang)}: {source}")
    for note in notes:
        st.caption("• " + note)
    if trace:
        st.page_link("pages/om_dataene.py", label=trace[0], icon=":material/calculate:",
                     query_params=trace[1])
    title = title or definition
    downloads(key, chart, csv, exports.ExportMeta(title=title, source=source, permalink=link,
                                                   lang=lang, alt=chart_alt(title, csv, lang),
                                                   key=key_text), file_parts)


def csv_of(frame: pd.DataFrame, store: Store, indicator: str, lang: str) -> pd.DataFrame:
    """The CSV behind a block: every figure with its status, unit and source."""
    columns = [c for c in ("series", "measure", "x", "year", "value", "status", "cohort", "cohort_status")
               if c in frame]
    out = frame[columns].copy()
    # A block of several indicators (requested, decided, settled) names each row's own;
    # `indicator` is the block's one indicator otherwise.
    own = frame["indicator"].astype(str) if "indicator" in frame else pd.Series("", index=frame.index)
    out["indicator"] = own.where(own.isin(list(INDICATORS)), indicator)  # rows made elsewhere
    out["unit"] = out["indicator"].map(lambda i: INDICATORS[i].unit(lang))
    out["source"] = out["indicator"].map({i: source_line(store, i, lang)
                                          for i in out["indicator"].unique()})
    if "conversion" in frame:  # how each figure was made from former kommuner, as on the page
        out["note"] = tables.plain_notes(frame["conversion"], store, lang)
    return out
