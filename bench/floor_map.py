"""The map floor: the app's own map (same geometry files, same payload) and nothing
else on the page, served by plain `streamlit run`. Process start -> 357 polygons drawn
is what Streamlit plus streamlit-folium cost for this map; run only by bench/run_bench.py."""

import streamlit as st
from streamlit_folium import st_folium

from dashboard import map_view, resources, tables

store, _ = resources.load_store()
boundaries, kommuner_url, fylker_url = resources.load_boundaries()
indicator, year = "settled_per_1000", 2022
view = map_view.MapView(indicator, year, "nb", None, None, False)
payload = map_view.map_payload(tables.map_rows(store, indicator, year, None), view, store.kommuner,
                               {}, "Kilde: IMDi, SSB", "", map_view.bounds_of(boundaries, None))
st_folium(map_view.base_map(kommuner_url, fylker_url), key="kart", height=map_view.HEIGHT,
          use_container_width=True, feature_group_to_add=map_view.payload_layer(payload))
