"""Streamlit's own dialog when the server cannot be reached, in the reader's language.

On a venue's failing network the frontend covers the slide with "Connection error /
Streamlit server is not responding. Are you connected to the internet?", in English
and naming a tool the audience never heard of. A watcher in the page rewrites that
dialog's heading and text (found by Streamlit's exact heading, so no other dialog is
touched; if a release words it otherwise, its own text shows, nothing worse).
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v2 as components

from . import i18n

# Installed once per browser window; each run hands it the language shown.
_WATCH_JS = """
const STREAMLIT_HEADING = 'Connection error';
export default function ({ data }) {
  window.__ikConnectionText = data;
  if (window.__ikConnectionWatch) return;
  const rewrite = () => {
    const text = window.__ikConnectionText;
    document.querySelectorAll('section[role="dialog"]').forEach((dialog) => {
      const heading = dialog.querySelector('h2');
      if (!heading || (heading.textContent !== STREAMLIT_HEADING && !dialog.dataset.ikConnection)) return;
      dialog.dataset.ikConnection = '1';
      if (heading.textContent !== text.title) heading.textContent = text.title;
      const body = heading.nextElementSibling;
      if (body && body.textContent !== text.body) body.textContent = text.body;
    });
  };
  window.__ikConnectionWatch = new MutationObserver(rewrite);
  window.__ikConnectionWatch.observe(document.body, { childList: true, subtree: true });
}
"""
_watcher = components.component("integreringskart.connection_note", js=_WATCH_JS)


def watch(lang: str) -> None:
    """Have the page say a lost connection in `lang` (takes no room)."""
    st.html("<style>.st-key-ik_connection_note{display:none}</style>")
    _watcher(key="ik_connection_note", height=0,
             data={"title": i18n.t("connection_lost_title", lang), "body": i18n.t("connection_lost", lang)})
