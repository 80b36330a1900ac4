"""The view's state: kept in st.session_state, mirrored in the URL, restored from it.

URL parameters (Norwegian, as users see them):
  ?kommune=4601&indikator=settled_per_1000&aar=2022&fylke=46&lang=en
Anything unknown or malicious is dropped with a short note; the default view is used.
"""

from __future__ import annotations

import re

import streamlit as st

from data_loaders.catalogue import DEFAULT_INDICATOR, INDICATORS
from data_loaders.store import Store

from . import i18n

KEYS = {"kommune": "kommune", "indikator": "indikator", "aar": "aar", "fylke": "fylke",
        "lang": "lang"}


def language() -> str:
    lang = st.session_state.get("lang")
    if lang not in i18n.LANGUAGES:
        raw = st.query_params.get("lang")
        lang = raw if raw in i18n.LANGUAGES else "nb"
        st.session_state["lang"] = lang
    return lang


def default_year(store: Store, indicator: str) -> int | None:
    years = store.years(indicator)
    if not years:
        return None
    # Prefer the last full year: a part year is not the best first impression.
    partial = set(store.values[(store.values["indicator"] == indicator)
                               & (store.values["status"] == "partial-year")]["year"])
    full = [y for y in years if y not in partial]
    return (full or years)[-1]


def init_from_url(store: Store) -> None:
    """Once per session: validate the URL's parameters into session_state."""
    if st.session_state.get("_url_loaded"):
        return
    st.session_state["_url_loaded"] = True
    lang = language()
    params = st.query_params
    notes = []

    indicator = params.get("indikator")
    if indicator is not None and (indicator not in INDICATORS or not INDICATORS[indicator].on_map):
        notes.append(i18n.t("unknown_indicator", lang))
        indicator = None
    indicator = indicator or DEFAULT_INDICATOR
    st.session_state["indikator"] = indicator

    years = store.years(indicator)
    year_text = params.get("aar")
    year = None
    if year_text is not None:
        if re.fullmatch(r"\d{4}", year_text) and int(year_text) in years:
            year = int(year_text)
        else:
            notes.append(i18n.t("unknown_year", lang))
    st.session_state["aar"] = year or default_year(store, indicator)

    kommune = params.get("kommune")
    if kommune is not None and kommune not in store.kommuner:
        notes.append(i18n.t("unknown_kommune", lang))
        kommune = None
    st.session_state["kommune"] = kommune

    fylke = params.get("fylke")
    if fylke is not None and fylke not in store.fylker:
        notes.append(i18n.t("unknown_fylke", lang))
        fylke = None
    st.session_state["fylke"] = fylke
    st.session_state["_url_notes"] = notes


def url_notes() -> list[str]:
    return st.session_state.get("_url_notes", [])


def sync_url() -> None:
    """Write the current state to the URL (only what differs, to keep history tidy)."""
    wanted = {
        "kommune": st.session_state.get("kommune"),
        "indikator": st.session_state.get("indikator"),
        "aar": st.session_state.get("aar"),
        "fylke": st.session_state.get("fylke") or None,
        "lang": st.session_state.get("lang") if st.session_state.get("lang") == "en" else None,
    }
    current = {k: st.query_params.get(k) for k in wanted}
    target = {k: str(v) for k, v in wanted.items() if v is not None}
    if {k: v for k, v in current.items() if v is not None} != target:
        st.query_params.from_dict(target)
