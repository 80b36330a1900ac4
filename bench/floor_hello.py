"""The Streamlit floor: the least a Streamlit app can show (one line of text). Process
start -> that text drawn is what any Streamlit app pays before its own content; run
only by bench/run_bench.py."""

import streamlit as st

st.markdown("Integreringskart floor")
