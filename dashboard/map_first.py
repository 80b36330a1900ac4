"""The map before the rest of the page, when a session opens on the map.

Streamlit's frontend draws a page's elements on the browser's one main thread, and the
map's frame (streamlit-folium, Leaflet, 357 polygons) runs on that thread too: the whole
page (sidebar, controls, ranking, downloads) kept the first map waiting ~1 s (bench/).
So when a session opens on the map page, its first run sends the title and the map
only, with room kept for the controls and the sidebar's foot keeping the sidebar (the
map neither moves nor changes width later), and holds back the rest. The map's
JavaScript says when it has drawn (map_view.DRAWN_SIGNAL), and the next run draws the
whole page. If the map never says so (its frame failed), a timer draws the page after
FALLBACK_S all the same.

dashboard.serve turns this on (the app as bin/run starts it); AppTest and a plain
`streamlit run app.py` draw the whole page in one run."""

from __future__ import annotations

import threading
import time

import streamlit as st

ENABLED = False
FALLBACK_S = 4.0
_DONE = "_map_first_done"  # session: a whole page has been drawn
_HELD_AT = "_map_first_held_at"
_run = threading.local()  # one script thread per run


def hold() -> bool:
    """Called by the map page before it draws the map. True if this run draws the map
    alone (then the page and the frame leave out the rest, see `held`): the session's
    first page is the map, and nothing has been drawn yet. Later, the sidebar would
    empty and fill again."""
    held = ENABLED and not st.session_state.get(_DONE)
    _run.held = held
    if held:
        st.session_state.setdefault(_HELD_AT, time.monotonic())
    return held


def held() -> bool:
    """Whether this run's page held the rest back (asked by the frame after the page)."""
    return getattr(_run, "held", False)


def start_run() -> None:
    """The frame's first step: a new run has held nothing back yet."""
    _run.held = False


def end_run() -> None:
    """The frame's last step: a run that drew the whole page ends the waiting for good."""
    if not held():
        st.session_state[_DONE] = True


def map_said(value: dict | None) -> None:
    """The map's component value, read where the map is drawn: once the map says it has
    drawn, draw the whole page."""
    from .map_view import DRAWN_SIGNAL  # here: dashboard.serve imports this module early

    if (value or {}).get(DRAWN_SIGNAL) and ENABLED and not st.session_state.get(_DONE):
        _draw_whole_page()


def fallback() -> None:
    """Where the held-back part of the page goes, a timer: if the map has not said it
    has drawn after FALLBACK_S, the page is drawn without waiting any longer."""
    st.fragment(_when_overdue, run_every=FALLBACK_S)()


def _when_overdue() -> None:
    # The fragment also runs inline, in the held run itself: act only once overdue.
    since = st.session_state.get(_HELD_AT)
    if since is not None and time.monotonic() - since >= FALLBACK_S * 0.9 and not st.session_state.get(_DONE):
        _draw_whole_page()


def _draw_whole_page() -> None:
    st.session_state[_DONE] = True
    st.session_state.pop(_HELD_AT, None)
    st.rerun(scope="app")
