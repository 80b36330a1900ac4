"""dashboard.serve's start-up shortcuts give Streamlit's own answers, only sooner."""

from __future__ import annotations

import importlib.metadata

import pytest
from streamlit.components.v2 import manifest_scanner

from dashboard import serve


@pytest.fixture()
def quick_and_streamlits(monkeypatch):
    streamlits = manifest_scanner._is_likely_streamlit_component_package
    monkeypatch.setattr(manifest_scanner, "_is_likely_streamlit_component_package", streamlits)
    serve._quick_component_scan()
    quick = manifest_scanner._is_likely_streamlit_component_package
    assert quick is not streamlits
    return quick, streamlits


def _dist(tmp_path, folder: str, metadata: str):
    info = tmp_path / folder
    info.mkdir()
    (info / "METADATA").write_text(metadata, encoding="utf-8")
    return importlib.metadata.PathDistribution(info)


def test_the_component_scan_keeps_every_candidate_streamlit_would(tmp_path, quick_and_streamlits):
    quick, streamlits = quick_and_streamlits
    made = {
        "plain": _dist(tmp_path, "plain-1.0.dist-info", "Name: plain\nSummary: Tables\n"),
        "st-prefix": _dist(tmp_path, "st_x-1.0.dist-info", "Name: st-x\nSummary: Maps\n"),
        "summary": _dist(tmp_path, "a-1.0.dist-info", "Name: a\nSummary: A Streamlit widget\n"),
        "requires": _dist(tmp_path, "b-1.0.dist-info", "Name: b\nRequires-Dist: streamlit>=1.40\n"),
        "named": _dist(tmp_path, "c-1.0.dist-info", "Name: streamlit-c\n"),
    }
    answers = {key: (quick(d), streamlits(d)) for key, d in made.items()}
    assert answers == {"plain": (False, False), "st-prefix": (True, True), "summary": (True, True),
                       "requires": (True, True), "named": (True, True)}
    installed = list(importlib.metadata.distributions())
    assert [quick(d) for d in installed] == [streamlits(d) for d in installed]
    assert "streamlit-folium" in {d.metadata["Name"] for d in installed if quick(d)}
