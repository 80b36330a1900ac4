"""AppTest of the app started from an offline data bundle (DATA_BUNDLE): a valid bundle
gives the map and says where the data came from; a corrupt one is refused with a clear
message while the data the app had stays in use."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from data_loaders.bundle import write_bundle
from tests.apps.conftest import APP, page_text


@pytest.fixture(scope="module")
def bundle_file(built_store, mirror_settings, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "seminar.zip"
    write_bundle(mirror_settings, out)
    return out


def run_app(monkeypatch, **env) -> AppTest:
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, str(value))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["aar"] = "2022"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_bundle_alone_gives_the_map_and_names_itself(monkeypatch, tmp_path, bundle_file, built_store):
    data_dir, assets_dir = tmp_path / "data", tmp_path / "assets"
    at = run_app(monkeypatch, DATA_BUNDLE=bundle_file, DATA_DIR=data_dir, ASSETS_DIR=assets_dir)
    assert at.error == []
    captions = [c.value for c in at.sidebar.caption]
    created = next(c for c in captions if c.startswith("Fra datapakken"))
    assert created.startswith("Fra datapakken seminar.zip (laget 20") and created.endswith("uten nett")
    assert f"Data bygget {built_store.meta['built_at'][:10]}" in " ".join(captions)
    assert "Integreringskart · bosetting og flytting i 357 kommuner" in page_text(at)
    assert (data_dir / "store.parquet").is_file() and (assets_dir / "kommuner.geojson").is_file()


def test_a_corrupt_bundle_is_refused_and_the_data_we_had_is_kept(monkeypatch, tmp_path, bundle_file,
                                                                 mirror_settings):
    data_dir, assets_dir = tmp_path / "data", tmp_path / "assets"
    data_dir.mkdir()
    shutil.copy(mirror_settings.store_path, data_dir / "store.parquet")
    shutil.copytree(mirror_settings.assets_dir, assets_dir)
    before = (data_dir / "store.parquet").read_bytes()
    broken = tmp_path / "broken.zip"
    data = bytearray(bundle_file.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = b"\0" * 64
    broken.write_bytes(bytes(data))

    at = run_app(monkeypatch, DATA_BUNDLE=broken, DATA_DIR=data_dir, ASSETS_DIR=assets_dir)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Datapakken ble ikke brukt: ")
    assert "broken.zip" in errors[0] and errors[0].endswith("Appen bruker dataene den hadde.")
    assert "Integreringskart · bosetting og flytting i 357 kommuner" in page_text(at)  # still works
    assert (data_dir / "store.parquet").read_bytes() == before


def test_a_foreign_file_without_data_shows_the_no_data_page(monkeypatch, tmp_path):
    foreign = tmp_path / "holiday.zip"
    foreign.write_text("not a bundle", encoding="utf-8")
    at = run_app(monkeypatch, DATA_BUNDLE=foreign, DATA_DIR=tmp_path / "data", ASSETS_DIR=tmp_path / "a")
    assert any("holiday.zip" in e.value for e in at.error)
    assert "Ingen data ennå" in [t.value for t in at.title]
    assert any("oppdatering fra nettet er slått av" in i.value for i in at.info)
