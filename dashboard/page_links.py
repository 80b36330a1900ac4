"""The sidebar's page links, with the current page marked for screen readers.

Streamlit's st.page_link shows the current page only by its background: a screen
reader heard four equal links. A small script (a v2 component, no frame) gives the
current page's link aria-current="page", the attribute assistive technology reads as
"current page", and keeps it there as the links are drawn again on every run. The
same script keeps the page's language attribute, which Streamlit leaves at "en".

It also keeps one entry in the browser's history per link followed. A page with a
widget bound to the URL (the profile's tabs) made Streamlit put the next page's
parameters into the address twice on a link out of it: once on the old page's path,
then on the new page's. Back then went to that first entry, the profile without its
tab (?fane=), which opened on its first tab instead of the one the planner had left.
Scene steps (st.switch_page, no link clicked) are left as Streamlit makes them.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v2 as components

from . import view_state as vs

# The current page is read from the address (its last path segment; "/" is the map),
# so that the mark is right however the page was reached (a link, Back, a scene key).
_MARK_JS = """
// Once per window (a module runs once): after a click on a page link, an entry that
// only put the next page's parameters on the old page's path, followed by that page's
// own entry with the same parameters, becomes that one entry (the second replaces the
// first). Only after a link's click: a view changed on the page just before is an
// entry of its own, kept.
if (!window.__ikOneEntryPerLink) {
  window.__ikOneEntryPerLink = true;
  const push = history.pushState.bind(history);
  const WITHIN_MS = 10000;  // a slow machine's page switch, with room to spare
  let clicked = -Infinity;
  let last = null;  // the last entry pushed since the click that only changed the parameters
  document.addEventListener('click', (event) => {
    if (event.target.closest && event.target.closest("[data-testid='stPageLink'] a")) {
      clicked = performance.now();
      last = null;
    }
  }, true);
  history.pushState = function (state, title, url) {
    const target = new URL(url, location.href);
    const now = performance.now();
    const follows = last && target.search === last.search && target.pathname !== last.path
      && location.pathname === last.path && location.search === last.search;
    last = now - clicked < WITHIN_MS && target.pathname === location.pathname
      ? { path: target.pathname, search: target.search } : null;
    return follows ? history.replaceState(state, title, url) : push(state, title, url);
  };
}

export default function ({ data }) {
  // The page's language, for screen readers and hyphenation: Streamlit's page says "en"
  // whatever the app speaks (dashboard.serve sets it in the page first loaded).
  if (document.documentElement.lang !== data.lang) document.documentElement.lang = data.lang;
  const paths = data.paths;
  const mark = () => {
    const segments = location.pathname.split('/').filter(Boolean);
    const last = segments.length ? decodeURIComponent(segments[segments.length - 1]) : '';
    const current = Math.max(paths.indexOf(last), 0);  // '/' or a base path: the map
    const links = document.querySelectorAll(
      "[data-testid='stSidebarUserContent'] [data-testid='stPageLink'] a");
    if (links.length !== paths.length || !paths.length) return;  // not (yet) the app's own links
    links.forEach((link, i) => {
      if (i === current) {
        if (link.getAttribute('aria-current') !== 'page') link.setAttribute('aria-current', 'page');
      } else if (link.hasAttribute('aria-current')) {
        link.removeAttribute('aria-current');
      }
    });
  };
  // Streamlit draws the links again on each run, may replace the sidebar on a page
  // switch, and changes the address without an event: mark again (once a frame) on any
  // change in the page, and whenever the address has changed.
  let pending = false, shownPath = null;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; shownPath = location.pathname; mark(); });
  };
  schedule();
  const observer = new MutationObserver(schedule);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true,
                                    attributeFilter: ['href', 'class'] });
  const timer = setInterval(() => { if (location.pathname !== shownPath) schedule(); }, 200);
  return () => { observer.disconnect(); clearInterval(timer); };
}
"""
_page_marks = components.component("integreringskart.page_marks", js=_MARK_JS)
# The script takes no room, but the sidebar's column would still put a gap after it.
# Not a scroller: while the script loads, Streamlit fills its 0 px box with a
# placeholder, and the overflowing box was a tab stop of its own (an empty one).
_MARK_CSS = "<style>.st-key-ik_page_marks{margin-bottom:-1rem;overflow:hidden !important}</style>"


def draw(page_ids: tuple[str, ...], pages: list) -> None:
    """The links, each opening its page with the view this run ends on."""
    for target, page in zip(page_ids, pages):
        st.page_link(page, query_params=vs.link_params(target))


def mark(pages: list, lang: str) -> None:
    """The script that marks the current page's link among `pages` (none: no links
    drawn) and keeps the page's language attribute `lang`."""
    st.html(_MARK_CSS)
    # Each page's path in the address; the default page's is "" (and "/kart" is it too).
    _page_marks(key="ik_page_marks", data={"paths": [page.url_path for page in pages], "lang": lang},
                height=0)
