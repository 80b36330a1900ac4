"""The view's state, shared by all pages, mirrored in the URL and restored from it.

URL parameters (Norwegian, as users see them):
  ?kommune=4601&indikator=settled_per_1000&aar=2022&fylke=46&gruppe=kostra
  &kommuner=4601,1103,5001&lang=en&present=1&palett=kontrast&zoom=kommune&skala=alle
  (&scener=...&scene=N belong to scenes, see dashboard/scenes.py)
The canonical state lives in st.session_state["view"]. Widgets have their own keys
("w_<name>"), are set from the state before they are drawn and write back through
on_change, because Streamlit forgets a widget's key when a page without that widget
runs. Whenever the URL differs from what the app last wrote (a shared link, the
browser's back button, a link between pages), it is read again. Anything unknown or
malicious is dropped with a short note.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlencode, urlsplit

import streamlit as st

from data_loaders.catalogue import DEFAULT_INDICATOR, INDICATORS
from data_loaders.store import Store

from . import i18n
from .peers import MAX_COMPARE, PEER_KINDS

URL_KEYS = ("kommune", "indikator", "aar", "fylke", "gruppe", "kommuner", "zoom", "skala", "lang",
            "present", "palett")


def presenting() -> bool:
    """Presentation view (?present=1): the map fills the screen, no sidebar or chrome."""
    if "present" not in st.session_state:
        st.session_state["present"] = st.query_params.get("present") == "1"
    return bool(st.session_state["present"])


def contrast() -> bool:
    """The high-contrast palette (?palett=kontrast), for projectors and low vision."""
    if "contrast" not in st.session_state:
        st.session_state["contrast"] = st.query_params.get("palett") == "kontrast"
    return bool(st.session_state["contrast"])


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


def state() -> dict:
    return st.session_state.setdefault("view", {})


def get(key: str, default=None):
    return state().get(key, default)


def put(key: str, value) -> None:
    state()[key] = value


def _current_url() -> dict[str, str]:
    keys = URL_KEYS + WIDGET_URL_KEYS
    return {k: st.query_params.get(k) for k in keys if st.query_params.get(k) is not None}


def sync_from_url(store: Store) -> None:
    """Read the URL into the state when it is new to us (first load, a shared link,
    back/forward, a link from another page)."""
    url = _current_url()
    if st.session_state.get("_url_written") == url and "view" in st.session_state:
        return
    lang = language()
    view = state()
    notes = []

    indicator = url.get("indikator")
    if indicator is not None and (indicator not in INDICATORS or not INDICATORS[indicator].on_map):
        notes.append(i18n.t("unknown_indicator", lang))
        indicator = None
    view["indikator"] = indicator or view.get("indikator") or DEFAULT_INDICATOR

    years = store.years(view["indikator"])
    year_text, year = url.get("aar"), None
    if year_text is not None:
        if re.fullmatch(r"\d{4}", year_text) and int(year_text) in years:
            year = int(year_text)
        else:
            notes.append(i18n.t("unknown_year", lang))
    if year is None and view.get("aar") in years:
        year = view["aar"]
    view["aar"] = year or default_year(store, view["indikator"])

    kommune = url.get("kommune")
    if kommune is not None and kommune not in store.kommuner:
        notes.append(i18n.t("unknown_kommune", lang))
        kommune = None
    view["kommune"] = kommune if "kommune" in url else view.get("kommune")
    if view["kommune"] not in store.kommuner:
        view["kommune"] = None

    fylke = url.get("fylke")
    if fylke is not None and fylke not in store.fylker:
        notes.append(i18n.t("unknown_fylke", lang))
        fylke = None
    view["fylke"] = fylke if "fylke" in url else view.get("fylke")

    zoom = url.get("zoom")
    if zoom is not None and zoom != "kommune":
        notes.append(i18n.t("unknown_zoom", lang))
        zoom = None
    view["zoom"] = zoom

    skala = url.get("skala")
    if skala is not None and skala != "alle":
        notes.append(i18n.t("unknown_scale", lang))
        skala = None
    view["skala"] = skala

    gruppe = url.get("gruppe")
    if gruppe is not None and gruppe not in PEER_KINDS:
        notes.append(i18n.t("unknown_group", lang))
        gruppe = None
    view["gruppe"] = gruppe or view.get("gruppe") or "kostra"

    if "kommuner" in url:
        codes = [c for c in url["kommuner"].split(",") if c]
        valid = [c for c in dict.fromkeys(codes) if c in store.kommuner]
        if len(valid) != len(codes) or len(valid) > MAX_COMPARE:
            notes.append(i18n.t("unknown_kommune", lang))
        view["kommuner"] = valid[:MAX_COMPARE]
    view.setdefault("kommuner", [])

    st.session_state["_url_notes"] = st.session_state.get("_url_notes", []) + notes
    st.session_state["_url_written"] = url


def url_notes() -> list[str]:
    notes = st.session_state.get("_url_notes", [])
    st.session_state["_url_notes"] = []
    return notes


def url_params(*keys: str) -> dict[str, str]:
    """The state's URL parameters for `keys` (what a link to another page carries)."""
    view = state()
    out = {}
    for key in keys:
        value = view.get(key)
        if key == "kommuner":
            value = ",".join(value) if value else None
        if value not in (None, "", []):
            out[key] = str(value)
    return {**out, **session_params()}


def session_params() -> dict[str, str]:
    """What the user chose for the whole session (language, presentation view, palette):
    carried by every link, to any page and any scene."""
    out = {}
    if st.session_state.get("lang") == "en":
        out["lang"] = "en"
    if st.session_state.get("present"):
        out["present"] = "1"
    if st.session_state.get("contrast"):
        out["palett"] = "kontrast"
    return out


def absolute_url(page: str, params: dict[str, str]) -> str:
    """The address of a view, for exports and scenes: the page and its parameters under
    PUBLIC_URL (the address the audience can reach, e.g. https://kart.example.no/) if
    set, otherwise the address this browser uses (the map is the app's front page)."""
    base = os.environ.get("PUBLIC_URL") or st.context.url or "http://localhost:8501/"
    parts = urlsplit(base)
    root = parts.path.rstrip("/") if os.environ.get("PUBLIC_URL") else ""
    path = f"{root}/" if page == "kart" else f"{root}/{page}"
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{urlencode(params)}" if params else "")


def permalink(page: str, *keys: str) -> str:
    """The link back to the view shown: the state's parameters for `keys`, plus any
    parameters Streamlit's own widgets keep in the URL (the profile's tab)."""
    params = url_params(*keys)
    params.update({k: st.query_params[k] for k in WIDGET_URL_KEYS if k in st.query_params})
    return absolute_url(page, params)


# Parameters that widgets keep in the URL themselves (st.tabs(bind="query-params")):
# left alone here, Streamlit owns them.
WIDGET_URL_KEYS = ("fane",)


def write_url(*keys: str) -> None:
    """Show the state in the URL (only the keys this page uses), if it changed."""
    target = url_params(*keys)
    current = {k: st.query_params.get(k) for k in URL_KEYS if st.query_params.get(k) is not None}
    if current != target:
        for key in URL_KEYS:
            if key in target and current.get(key) != target[key]:
                st.query_params[key] = target[key]
            elif key not in target and key in current:
                del st.query_params[key]
    st.session_state["_url_written"] = _current_url()


def bind(widget_key: str, state_key: str) -> None:
    """Before drawing a widget: give it the state's value."""
    st.session_state[widget_key] = state().get(state_key)


def on_change(widget_key: str, state_key: str, then=None):
    """A callback that copies the widget's value into the state."""
    def callback():
        put(state_key, st.session_state[widget_key])
        if then:
            then()
    return callback


def start_page(store: Store) -> str:
    """What every data page does first: read the URL into the state, show any note on
    what the link contained that does not exist, and return the language."""
    lang = language()
    sync_from_url(store)
    for note in url_notes():
        st.info(i18n.t("url_note", lang, what=note), icon=":material/info:")
    return lang
