"""Cached access to the local store and the boundaries, for the Streamlit pages.

Cached by file path and modification time: a refresh that replaces the files is picked
up on the next rerun, and a failed refresh (which replaces nothing) changes nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import streamlit as st

from dashboard import map_view
from data_loaders.settings import PROJECT_ROOT, Settings, load_settings

from data_loaders.bundle import RECORD, BundleError, BundleInfo, install_bundle, installed_bundle
from data_loaders.store import Store, StoreError, atomic_write_bytes, read_store

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


@st.cache_resource(show_spinner=False, max_entries=4)
def _install(bundle: str, mtime: float, data_dir: str) -> tuple[BundleInfo | None, dict | None]:
    try:
        return install_bundle(settings()), None
    except BundleError as exc:
        return None, {"nb": str(exc), "en": exc.text("en")}


@st.cache_resource(show_spinner=False, max_entries=4)
def _installed(data_dir: str, stamp: tuple[float, ...]) -> BundleInfo | None:
    # installed_bundle checksums the installed files: once per version of them, not per rerun.
    return installed_bundle(settings())


def _install_once() -> dict | None:
    """With DATA_BUNDLE: install it once per file version; the refusal, if any."""
    s = settings()
    if s.bundle is None:
        return None
    return _install(str(s.bundle), _mtime(s.bundle), str(s.data_dir))[1]


def bundle_status(lang: str = "nb") -> tuple[BundleInfo | None, str | None]:
    """With DATA_BUNDLE: the bundle the data came from, or the reason (in `lang`) the
    given bundle was refused (then the data already on disk, if any, is used as it was)."""
    s = settings()
    if s.bundle is None:
        return None, None
    problem = _install_once()
    files = (s.data_dir / RECORD, s.store_path, s.boundaries_path, s.fylker_path)
    info = _installed(str(s.data_dir), tuple(_mtime(f) for f in files))
    return info, (problem.get(lang) or problem["nb"]) if problem else None


def load_store(lang: str = "nb") -> tuple[Store | None, str | None]:
    """The store, or None and the reason (in `lang`) it cannot be read."""
    _install_once()
    path = settings().store_path
    try:
        return _store(str(path), _mtime(path)), None
    except StoreError as exc:
        return None, exc.text(lang)


STATIC_DATA = PROJECT_ROOT / "static" / "data"


@st.cache_resource(show_spinner=False, max_entries=2)
def _published(path: str, fylker_path: str, mtime: float) -> tuple[dict, str, str]:
    """Write the map's geometry into ./static/data (served by the app, cached by the
    browser) under names made from the content. Returns the kommune GeoJSON and the
    two URLs. Older files are deleted only once unused for a month (prune_geometry):
    another instance of the app running from the same folder (other boundaries, a
    test server) may be serving them."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    STATIC_DATA.mkdir(parents=True, exist_ok=True)
    # Gzipped: a third of the bytes; the map's JavaScript inflates them
    # (DecompressionStream), as Streamlit's static files are served without encoding.
    urls = []
    for name, data in (("kommuner", map_view.prepare_boundaries(doc).encode("utf-8")),
                       ("fylker", Path(fylker_path).read_bytes())):
        target = STATIC_DATA / f"{name}-{hashlib.sha256(data).hexdigest()[:16]}.json.gz"
        if not target.is_file():
            atomic_write_bytes(target, gzip.compress(data, mtime=0))
        urls.append(f"{map_view.APP_STATIC}data/{target.name}")
    prune_geometry(STATIC_DATA, keep={url.rsplit("/", 1)[1] for url in urls})
    return map_view.add_bboxes(doc), urls[0], urls[1]


GEOMETRY_FILE = re.compile(r"(kommuner|fylker)-[0-9a-f]{16}\.json\.gz")


def prune_geometry(folder: Path, keep: set[str], max_age_days: float = 30) -> list[str]:
    """Delete the geometry files no instance has used for `max_age_days` (every running
    instance touches its own daily, see load_boundaries), so that refreshes with new
    boundaries do not pile them up. Returns the names deleted."""
    cutoff = time.time() - max_age_days * 86400
    deleted = []
    for path in folder.glob("*.json.gz"):
        if not GEOMETRY_FILE.fullmatch(path.name):
            continue
        try:
            if path.name not in keep and path.stat().st_mtime < cutoff:
                path.unlink()
                deleted.append(path.name)
        except OSError:  # another instance got there first, or the folder is read-only
            pass
    return sorted(deleted)


def load_boundaries() -> tuple[dict, str, str] | None:
    """(kommune GeoJSON, URL of the map's kommune geometry, URL of the fylke outlines),
    from the files the refresh wrote to assets/."""
    s = settings()
    if not (s.boundaries_path.is_file() and s.fylker_path.is_file()):
        return None
    args = (str(s.boundaries_path), str(s.fylker_path), _mtime(s.boundaries_path))
    published = _published(*args)
    if not _still_served(published[1:]):  # deleted under us: write them again
        _published.clear()
        published = _published(*args)
    return published


_touched: dict[str, float] = {}  # geometry URL -> when this process last touched its file


def _still_served(urls) -> bool:
    """Touch the geometry files in use, at most once a day per process, so that no other
    instance prunes them while this one runs; False if one has gone missing."""
    for url in urls:
        if time.time() - _touched.get(url, 0) < 86400:
            continue
        try:
            os.utime(STATIC_DATA / url.rsplit("/", 1)[1])
        except FileNotFoundError:
            _touched.pop(url, None)
            return False
        except OSError:  # a read-only folder: nothing will be pruned there either
            pass
        _touched[url] = time.time()
    return True


@st.cache_resource(show_spinner=False, max_entries=2)
def _fylker(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_fylker() -> dict:
    """The fylke outlines (GeoJSON lines), for the map exports."""
    s = settings()
    return _fylker(str(s.fylker_path), _mtime(s.fylker_path))
