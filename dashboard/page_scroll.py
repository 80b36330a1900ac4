"""Where the page opens: a link or a scene that names a profile tab opens at that tab.

The profile's tabs sit below its overview (about 1,100 px down at 720p), so a scene
saved on "Bli boende" opened at the overview, its chart below the fold. An arrival (a
fresh link, a scene step) gets a number; the page asks the browser to scroll once per
number, so later reruns (a year or a tab clicked) never move the page under the viewer.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v2 as components

# Tries for ~2 s: the element is drawn in the same run, but may reach the page a little
# after this component does.
_SCROLL_JS = """
export default function ({ data }) {
  if (!data || window.__ikScrolledFor === data.arrival) return;
  window.__ikScrolledFor = data.arrival;
  const attempt = (left) => {
    const target = data.selector ? document.querySelector(data.selector) : null;
    if (target) {
      target.scrollIntoView({ block: 'start' });
    } else if (data.selector && left > 0) {
      setTimeout(() => attempt(left - 1), 100);
    } else {
      const main = document.querySelector('[data-testid="stMain"]');
      (main || document.scrollingElement).scrollTo(0, 0);
    }
  };
  attempt(20);
}
"""
_scroller = components.component("integreringskart.page_scroll", js=_SCROLL_JS)
_KEY = "_arrival"


def mark_arrival() -> None:
    """A new view arrives (a link opened, a scene shown): the page may scroll once."""
    st.session_state[_KEY] = st.session_state.get(_KEY, 0) + 1


def arrival() -> int | None:
    return st.session_state.get(_KEY)


def scroll_once(selector: str | None) -> None:
    """Scroll to the element `selector` (None: the page top), once per arrival. Drawn on
    every run of the page, so a rerun that comes just after the arrival does not cut it."""
    number = arrival()
    if number is None:
        return
    # The listener takes no room; the target stops below Streamlit's header (3.75rem).
    st.html("<style>.st-key-ik_page_scroll{display:none}"
            + (f"{selector}{{scroll-margin-top:4rem}}" if selector else "") + "</style>")
    _scroller(key="ik_page_scroll", data={"arrival": number, "selector": selector}, height=0)
