"""The offline data bundle: written from the session's store, installed into fresh
temporary directories (never into ./assets), refused whole when damaged or foreign."""

from __future__ import annotations

import hashlib
import json
import socket
import struct
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from data_loaders import __main__ as cli_module
from data_loaders.__main__ import main as cli
from data_loaders.bundle import (FORMAT, MANIFEST, BundleError, install_bundle,
                                 installed_bundle, read_manifest, verify, write_bundle)
from data_loaders.settings import PROJECT_ROOT, load_settings
from data_loaders.store import read_store


@pytest.fixture(scope="module")
def source_files(built_store, mirror_settings) -> dict[str, bytes]:
    """The session's store and boundaries, as bundled (read once: another test session
    may rewrite ./assets meanwhile)."""
    return {"store": mirror_settings.store_path.read_bytes(),
            "kommuner": mirror_settings.boundaries_path.read_bytes(),
            "fylker": mirror_settings.fylker_path.read_bytes()}


@pytest.fixture(scope="module")
def bundle_file(source_files, mirror_settings, tmp_path_factory) -> Path:
    return write_bundle(mirror_settings, tmp_path_factory.mktemp("bundle") / "data.zip").path


@pytest.fixture(autouse=True)
def never_into_real_assets(monkeypatch):
    """Every install here goes to tmp_path; writing into ./assets fails the test."""
    from data_loaders import bundle

    real_write = bundle.atomic_write_bytes

    def guarded(path: Path, data: bytes) -> None:
        assert PROJECT_ROOT / "assets" not in Path(path).resolve().parents, path
        real_write(path, data)
    monkeypatch.setattr(bundle, "atomic_write_bytes", guarded)


def fresh(tmp_path: Path, bundle: Path | None) -> dict[str, str]:
    """Environment for an empty install target in tmp_path."""
    env = {"DATA_DIR": str(tmp_path / "data"), "ASSETS_DIR": str(tmp_path / "assets")}
    if bundle is not None:
        env["DATA_BUNDLE"] = str(bundle)
    return env


def snapshot(settings) -> dict[Path, tuple[bytes, int]]:
    paths = [settings.store_path, settings.boundaries_path, settings.fylker_path,
             settings.data_dir / "bundle.json"]
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}


@pytest.fixture
def installed(bundle_file, tmp_path):
    """Settings of a tmp target with the good bundle already installed."""
    settings = load_settings(fresh(tmp_path, bundle_file))
    install_bundle(settings)
    return settings


def rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            new.writestr(name, replace.get(name, old.read(name)))
    return target


def test_settings_assets_dir_defaults_to_project_assets(tmp_path):
    assert load_settings({}).boundaries_path == PROJECT_ROOT / "assets" / "kommuner.geojson"
    assert load_settings({}).bundle is None
    custom = load_settings({"ASSETS_DIR": str(tmp_path)})
    assert (custom.boundaries_path, custom.fylker_path) == (tmp_path / "kommuner.geojson",
                                                            tmp_path / "fylker.geojson")


def test_round_trip_gives_the_same_store_and_boundaries(built_store, source_files,
                                                        bundle_file, tmp_path):
    settings = load_settings(fresh(tmp_path, bundle_file))
    info = install_bundle(settings)

    store = read_store(settings.store_path)
    pd.testing.assert_frame_equal(store.values, built_store.values)
    assert store.meta == built_store.meta
    assert settings.store_path.read_bytes() == source_files["store"]
    assert settings.boundaries_path.read_bytes() == source_files["kommuner"]
    assert settings.fylker_path.read_bytes() == source_files["fylker"]
    assert settings.boundaries_path.parent == tmp_path / "assets"

    assert (info.built_at, info.mode) == (built_store.meta["built_at"], built_store.meta["mode"])
    assert info.sources == built_store.meta["sources"]
    retrieved = {k: v["retrieved"] for k, v in info.sources.items()}
    assert retrieved == {k: v["retrieved"] for k, v in built_store.meta["sources"].items()}
    assert retrieved["imdi_bosatt_anmodede"]  # a real date, not empty
    assert set(info.members) == {"store.parquet", "kommuner.geojson", "fylker.geojson"}
    assert read_manifest(bundle_file) == info == verify(bundle_file)

    # The manifest inside the zip, readable by any tool.
    with zipfile.ZipFile(bundle_file) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
    assert (manifest["format"], manifest["version"]) == (FORMAT, 1)
    assert manifest["created_at"] and manifest["sources"] == built_store.meta["sources"]

    assert installed_bundle(settings) == info


def test_installing_the_same_bundle_again_changes_nothing(installed):
    before = snapshot(installed)
    info = install_bundle(installed)
    assert snapshot(installed) == before
    assert info == installed_bundle(installed)


def test_replaced_data_is_no_longer_reported_as_from_the_bundle(installed):
    assert installed_bundle(installed) is not None
    installed.fylker_path.write_text('{"type": "FeatureCollection", "features": []}')
    assert installed_bundle(installed) is None
    install_bundle(installed)  # and installing again puts the bundle's file back
    assert installed_bundle(installed) is not None


def refused(settings, bad: Path, expected: str) -> str:
    """Install `bad` over `settings`' data: BundleError naming `expected`, nothing changed."""
    before = snapshot(settings)
    target = load_settings({"DATA_DIR": str(settings.data_dir),
                            "ASSETS_DIR": str(settings.assets_dir), "DATA_BUNDLE": str(bad)})
    with pytest.raises(BundleError, match=expected) as caught:
        install_bundle(target)
    with pytest.raises(BundleError, match=expected):
        verify(bad)
    assert snapshot(settings) == before
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_flipped_bytes_are_refused_and_the_data_kept(installed, bundle_file, tmp_path):
    data = bytearray(bundle_file.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 16] = bytes(b ^ 0xFF for b in data[middle:middle + 16])
    bad = tmp_path / "flipped.zip"
    bad.write_bytes(bytes(data))
    # Which check trips (inflate, CRC, header) depends on where the middle falls in
    # this session's bytes; any of them must refuse the whole bundle as damaged.
    assert "skadet eller ufullstendig" in refused(installed, bad, "skadet")


def test_a_member_failing_its_zip_crc_is_refused_and_the_data_kept(installed, bundle_file,
                                                                   tmp_path):
    data = bytearray(bundle_file.read_bytes())
    with zipfile.ZipFile(bundle_file) as archive:
        start = archive.start_dir
        member = archive.getinfo(MANIFEST)
    wrong_crc = struct.pack("<I", member.CRC ^ 0xFFFFFFFF)
    # Both copies of the member's CRC-32: its local header and its central directory
    # record (zipfile checks the inflated bytes against the latter).
    data[member.header_offset + 14:member.header_offset + 18] = wrong_crc
    record = start
    while data[record:record + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[record + 28:record + 34])
        if data[record + 46:record + 46 + name_len].decode() == MANIFEST:
            data[record + 16:record + 20] = wrong_crc
        record += 46 + name_len + extra_len + comment_len
    bad = tmp_path / "bad-crc.zip"
    bad.write_bytes(bytes(data))
    assert "CRC" in refused(installed, bad, "skadet")


def test_truncated_file_is_refused_and_the_data_kept(installed, bundle_file, tmp_path):
    bad = tmp_path / "truncated.zip"
    bad.write_bytes(bundle_file.read_bytes()[: bundle_file.stat().st_size * 2 // 3])
    message = refused(installed, bad, "skadet eller ufullstendig")
    assert "truncated" in message


def test_missing_file_is_refused(installed, tmp_path):
    refused(installed, tmp_path / "nowhere.zip", "Finner ikke datapakken")


def test_foreign_zip_is_refused(installed, tmp_path):
    bad = tmp_path / "other.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("readme.txt", "holiday photos")
    assert "no manifest" in refused(installed, bad, "ikke en Integreringskart-datapakke")


def test_plain_text_file_is_refused(installed, tmp_path):
    bad = tmp_path / "notes.zip"
    bad.write_text("dette er ikke en zip\n" * 100)
    assert "not a zip file" in refused(installed, bad, "ikke en Integreringskart-datapakke")


def test_other_format_and_newer_version_are_refused(installed, bundle_file, tmp_path):
    with zipfile.ZipFile(bundle_file) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    other = rezip(bundle_file, tmp_path / "other.zip",
                  {MANIFEST: json.dumps({**manifest, "format": "something-else"}).encode()})
    assert "something-else" in refused(installed, other, "ikke en Integreringskart-datapakke")
    newer = rezip(bundle_file, tmp_path / "newer.zip",
                  {MANIFEST: json.dumps({**manifest, "version": 2}).encode()})
    assert "newer version" in refused(installed, newer, "versjon 2")


def test_checksum_mismatch_is_refused(installed, bundle_file, tmp_path):
    with zipfile.ZipFile(bundle_file) as archive:
        geojson = json.loads(archive.read("kommuner.geojson"))
    geojson["features"] = geojson["features"][:-1]  # valid zip, valid JSON, other content
    bad = rezip(bundle_file, tmp_path / "tampered.zip",
                {"kommuner.geojson": json.dumps(geojson).encode()})
    read_manifest(bad)  # the manifest alone is fine
    assert "kommuner.geojson" in refused(installed, bad, "Sjekksummen")


def test_unreadable_store_is_refused(installed, bundle_file, tmp_path):
    junk = b"not parquet at all"
    with zipfile.ZipFile(bundle_file) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    manifest["members"]["store.parquet"] = {"sha256": hashlib.sha256(junk).hexdigest(),
                                            "bytes": len(junk)}
    bad = rezip(bundle_file, tmp_path / "junk-store.zip",
                {"store.parquet": junk, MANIFEST: json.dumps(manifest).encode()})
    message = refused(installed, bad, "Datalageret i .* kan ikke leses")
    assert "cannot be read" in message and "Datafilen store.parquet" in message


def test_write_bundle_without_data_says_what_is_missing(tmp_path):
    with pytest.raises(BundleError, match="refresh"):
        write_bundle(load_settings(fresh(tmp_path, None)), tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(cli_module, "refresh", refuse)


def use_env(monkeypatch, env: dict[str, str]) -> None:
    for key in ("DATA_MIRROR", "DATA_BUNDLE", "DATA_DIR", "ASSETS_DIR"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def test_cli_bundle_then_ensure_installs_it_without_network(built_store, store_env, tmp_path,
                                                           monkeypatch, capsys, no_network):
    out = tmp_path / "cli.zip"
    use_env(monkeypatch, store_env)
    assert cli(["bundle", "--out", str(out)]) == 0
    assert verify(out).built_at == built_store.meta["built_at"]

    target = tmp_path / "target"
    use_env(monkeypatch, fresh(target, out))
    capsys.readouterr()
    assert cli(["ensure"]) == 0
    assert built_store.meta["built_at"] in capsys.readouterr().out
    settings = load_settings()
    assert read_store(settings.store_path).meta == built_store.meta
    assert settings.boundaries_path == target / "assets" / "kommuner.geojson"
    assert settings.boundaries_path.is_file() and settings.fylker_path.is_file()

    assert cli(["status"]) == 0
    assert "datapakken" in capsys.readouterr().out
    assert cli(["refresh"]) == 1  # DATA_BUNDLE: never the network
    assert "DATA_BUNDLE" in capsys.readouterr().err


def test_cli_ensure_with_a_corrupt_bundle_fails_and_keeps_data(installed, bundle_file, tmp_path,
                                                              monkeypatch, capsys, no_network):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bundle_file.read_bytes()[:1000])
    before = snapshot(installed)
    use_env(monkeypatch, {"DATA_DIR": str(installed.data_dir),
                          "ASSETS_DIR": str(installed.assets_dir), "DATA_BUNDLE": str(bad)})
    assert cli(["ensure"]) == 1
    err = capsys.readouterr().err
    assert "skadet eller ufullstendig" in err and "Traceback" not in err
    assert snapshot(installed) == before
    # The app still reads what it had; status no longer claims the broken bundle.
    assert read_store(installed.store_path).meta["built_at"]
    assert installed_bundle(installed).path == bundle_file.resolve()

