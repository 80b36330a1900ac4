"""The naive baseline the benchmark compares against: what a first version would do.

The same store and the same map, with the year slider as its only control and nothing
else on the page (so its first map carries none of the app's sidebar, side column or
tables: a comparison that favours the baseline), but: unsimplified boundaries
(Kartverket's Kommuner-M, read from the mirror on every run), no caching (the store is
read on every rerun), and a folium GeoJson layer rebuilt on every change (the whole
map, styles embedded, re-sent and re-mounted). Not part of the product; run only by bench/run_bench.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from data_loaders.settings import load_settings
from data_loaders.store import read_store

settings = load_settings()
store = read_store(settings.store_path)  # no cache: read on every rerun
boundaries = json.loads((Path(os.environ["DATA_MIRROR"]) / "geo/Kommuner-M.geojson").read_text())

indicator = "settled_per_1000"
years = store.years(indicator)
year = st.select_slider("År", options=years, value=2022, key="w_aar")
rows = store.values[(store.values["indicator"] == indicator) & (store.values["year"] == year)]
values = dict(zip(rows["kommunenummer"], rows["value"]))
for feature in boundaries["features"]:
    code = feature["properties"]["kommunenummer"]
    feature["properties"]["verdi"] = None if values.get(code) != values.get(code) else values.get(code)

m = folium.Map(location=[65, 13], zoom_start=4, tiles=None)
m.default_js = [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
m.default_css = [("leaflet_css", "/app/static/vendor/leaflet/leaflet.css")]
folium.GeoJson(
    boundaries,
    style_function=lambda f: {"fillColor": "#2c7fb8" if (f["properties"]["verdi"] or 0) > 5 else "#ffffcc",
                              "color": "white", "weight": 0.5, "fillOpacity": 0.9},
    tooltip=folium.GeoJsonTooltip(["kommunenavn", "verdi"]),
).add_to(m)
st_folium(m, height=540, use_container_width=True, returned_objects=[])
