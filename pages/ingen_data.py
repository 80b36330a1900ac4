"""Shown when there is no local data yet: what is missing and how to get it."""

from __future__ import annotations

import streamlit as st

from dashboard import resources, view_state
from dashboard.refresh_ui import refresh_button

lang = view_state.language()
settings = resources.settings()
store, problem = resources.load_store(lang)
# Only what is missing: a store copied without the map's boundaries lacks just those.
statistics, boundaries = store is None, resources.load_boundaries() is None
missing = {"en": " and ".join([f"`{settings.store_path}` (statistics)"] * statistics
                              + [f"`{settings.boundaries_path}` (map)"] * boundaries),
           "nb": " og ".join([f"`{settings.store_path}` (statistikk)"] * statistics
                             + [f"`{settings.boundaries_path}` (kart)"] * boundaries)}[lang]

if lang == "en":
    st.title("No data yet")
    st.write(
        "Integreringskart has no local data. It fetches its figures from IMDi, SSB and "
        "Kartverket on first start, and that did not work here (no internet?)."
    )
    st.markdown(
        f"""
**Missing:** {missing}.

**To fix it**, either
1. connect to the internet and press *Fetch data* below, or
2. point the app at a mirror directory with the sources' files and restart it:
   `DATA_MIRROR=../shared/data bin/run`, or
3. start it from an offline data bundle: `DATA_BUNDLE=integreringskart.zip bin/run`
"""
    )
    button = "Fetch data"
else:
    st.title("Ingen data ennå")
    st.write(
        "Integreringskart har ingen lokale data. Appen henter tallene fra IMDi, SSB og "
        "Kartverket ved første oppstart, og det gikk ikke her (ingen internett?)."
    )
    st.markdown(
        f"""
**Mangler:** {missing}.

**Slik løser du det:** enten
1. koble til internett og trykk *Hent data* nedenfor, eller
2. pek appen mot en speilmappe med kildenes filer og start den på nytt:
   `DATA_MIRROR=../shared/data bin/run`, eller
3. start den fra en datapakke uten nett: `DATA_BUNDLE=integreringskart.zip bin/run`
"""
    )
    button = "Hent data"

if problem:
    st.caption(problem)
if lang == "en":
    st.caption(f"Mode: {'mirror directory ' + str(settings.mirror) if settings.mirror else 'network (live)'}")
else:
    st.caption(f"Modus: {'speilmappe ' + str(settings.mirror) if settings.mirror else 'nett (live)'}")

refresh_button(button, lang)
