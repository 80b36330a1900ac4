"""Integreringskart's data layer: fetch, parse, validate and harmonise the sources into
one tidy local store. No Streamlit imports here: the app reads what this package writes."""
