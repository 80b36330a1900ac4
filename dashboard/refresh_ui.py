"""The 'fetch/refresh data now' button shared by the no-data page and the about page."""

from __future__ import annotations

import streamlit as st


def refresh_button(label: str, lang: str) -> None:
    """Run a refresh with a progress bar; on failure say where and keep the last data."""
    from dashboard import i18n
    from dashboard.resources import settings

    if settings().bundle is not None:  # a bundle means: no network at all
        st.info(i18n.t("bundle_no_refresh", lang, name=settings().bundle.name))
        return
    if not st.button(label, type="primary"):
        return
    from data_loaders.build import RefreshFailed, refresh  # heavy (geopandas): only when asked

    bar = st.progress(0.0)
    try:
        refresh(settings(), progress=lambda text, done, total: bar.progress(done / total, text))
    except RefreshFailed as exc:
        st.error(f"Refresh failed at {exc.step}: {exc.reason}. The last good data is kept."
                 if lang == "en" else
                 f"Oppdateringen feilet ved {exc.step}: {exc.reason}. Forrige gode data er beholdt.")
        return
    st.cache_resource.clear()
    st.rerun()
