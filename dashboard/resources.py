"""Cached access to the local store and the boundaries, for the Streamlit pages.

Cached by file path and modification time: a refresh that replaces the files is picked
up on the next rerun, and a failed refresh (which replaces nothing) changes nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import streamlit as st

from dashboard import map_view
from data_loaders import boundaries as boundary_tools
from data_loaders.settings import PROJECT_ROOT, Settings, load_settings
from data_loaders.store import Store, StoreError, read_store

STATIC_LEAFLET = PROJECT_ROOT / "static" / "vendor" / "leaflet"


def ensure_static_assets() -> None:
    """Copy Leaflet from the installed XStatic-Leaflet package into ./static, which the
    app serves itself (server.enableStaticServing): the map needs no CDN."""
    if (STATIC_LEAFLET / "leaflet.js").is_file():
        return
    import xstatic.pkg.leaflet as leaflet

    STATIC_LEAFLET.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(leaflet.BASE_DIR, STATIC_LEAFLET, dirs_exist_ok=True)


def settings() -> Settings:
    return load_settings()


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_resource(show_spinner=False, max_entries=2)
def _store(path: str, mtime: float) -> Store:
    return read_store(Path(path))


def load_store() -> tuple[Store | None, str | None]:
    """The store, or None and the reason it cannot be read."""
    path = settings().store_path
    try:
        return _store(str(path), _mtime(path)), None
    except StoreError as exc:
        return None, str(exc)


@st.cache_resource(show_spinner=False, max_entries=2)
def _boundaries(path: str, mtime: float) -> tuple[dict, str, str]:
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    fylker = boundary_tools.fylke_outlines(doc)
    fylker_json = json.dumps(fylker, separators=(",", ":"))
    return doc, map_view.prepare_boundaries(doc), fylker_json


def load_boundaries() -> tuple[dict, str, str] | None:
    path = settings().boundaries_path
    if not path.is_file():
        return None
    return _boundaries(str(path), _mtime(path))
