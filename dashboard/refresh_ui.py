"""The 'fetch/refresh data now' button shared by the no-data page and the about page."""

from __future__ import annotations

import streamlit as st

# The refresh names its steps in bokmål ("SSB 07459", "harmonisering og kontroll").
STEP_EN = {"harmonisering og kontroll": "harmonisation and checks",
           "harmonisering": "harmonisation", "kontroll": "checks"}


def step_text(step: str, lang: str) -> str:
    """A refresh step for the progress bar and the failure message, in `lang`."""
    if lang != "en":
        return step
    from data_loaders.sources import SOURCES

    tables = {f"{s.publisher} {s.table}": f"{s.publisher} {s.table_en}" for s in SOURCES.values()
              if s.table_en}
    return STEP_EN.get(step) or tables.get(step, step)


def refresh_button(label: str, lang: str) -> None:
    """Run a refresh with a progress bar; on failure say where and keep the last data."""
    from dashboard import i18n
    from dashboard.resources import settings

    if settings().bundle is not None:  # a bundle means: no network at all
        st.info(i18n.t("bundle_no_refresh", lang, name=settings().bundle.name))
        return
    if not settings().app_refresh:  # a shared server: the operator refreshes
        st.info(i18n.t("refresh_by_operator", lang))
        return
    if not st.button(label, type="primary"):
        return
    from data_loaders.build import RefreshFailed, refresh  # heavy (geopandas): only when asked

    bar = st.progress(0.0)
    try:
        refresh(settings(), progress=lambda text, done, total: bar.progress(
            done / total, step_text(text, lang)))
    except RefreshFailed as exc:
        st.error(f"Refresh failed at {step_text(exc.step, lang)}: {exc.reason}. The last good "
                 f"data is kept."
                 if lang == "en" else
                 f"Oppdateringen feilet ved {exc.step}: {exc.reason}. Forrige gode data er beholdt.")
        return
    st.cache_resource.clear()
    st.rerun()
