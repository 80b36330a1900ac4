"""One block of the profile or compare page: a chart or its table, a CSV download,
a one-line definition and a source line. Each block is a Streamlit fragment, so its
own controls (the table toggle) rerun only the block, not the page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_loaders.catalogue import INDICATORS
from data_loaders.export import source_line
from data_loaders.store import Store

from . import i18n


def table_of(frame: pd.DataFrame, lang: str, columns: dict[str, str]) -> pd.DataFrame:
    """The chart's figures as a table for people (labels, not raw floats)."""
    en = lang == "en"
    out = frame[list(columns)].rename(columns=columns)
    return out.rename(columns={"label": "Value" if en else "Verdi"}).reset_index(drop=True)


@st.fragment
def block(key: str, chart, table: pd.DataFrame, csv: pd.DataFrame, definition: str,
          source: str, lang: str, notes: tuple[str, ...] = (), warnings: tuple[str, ...] = ()):
    if st.toggle(i18n.t("show_table", lang), key=f"table_{key}"):
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        # The spec is built by our own code: skip Altair's JSON-schema validation, which
        # would cost ~60 ms a chart on every rerun.
        st.vega_lite_chart(chart.to_dict(validate=False), width="stretch")
    for warning in warnings:
        st.warning(warning, icon=":material/warning:")
    st.caption(definition)
    st.caption(f"{i18n.t('source', lang)}: {source}")
    for note in notes:
        st.caption("• " + note)
    st.download_button(i18n.t("download_section", lang), csv.to_csv(index=False).encode("utf-8"),
                       file_name=f"integreringskart_{key}.csv", mime="text/csv", key=f"dl_{key}")


def csv_of(frame: pd.DataFrame, store: Store, indicator: str, lang: str) -> pd.DataFrame:
    """The CSV behind a block: every figure with its status, unit and source."""
    ind = INDICATORS[indicator]
    columns = [c for c in ("series", "measure", "x", "year", "value", "status") if c in frame]
    out = frame[columns].copy()
    out["indicator"] = indicator
    out["unit"] = ind.unit(lang)
    out["source"] = source_line(store, indicator, lang)
    return out
