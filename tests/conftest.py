"""Shared fixtures. The real published files live in DATA_MIRROR (default
../shared/data); tests that need them are skipped, with the reason, where it is absent.
The store is built once per test session from that mirror, into a temporary DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from data_loaders.settings import PROJECT_ROOT, load_settings

FIXTURES = Path(__file__).parent / "fixtures"


def mirror_dir() -> Path | None:
    configured = os.environ.get("DATA_MIRROR")
    candidate = Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "data"
    return candidate.resolve() if candidate.is_dir() else None


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = mirror_dir()
    if path is None:
        pytest.skip("the real source files are not here: set DATA_MIRROR or put ../shared/data "
                    "beside the project")
    return path


@pytest.fixture(scope="session")
def mirror_settings(mirror, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("store")
    return load_settings({"DATA_MIRROR": str(mirror), "DATA_DIR": str(data_dir)})


@pytest.fixture(scope="session")
def built_store(mirror_settings):
    """Refresh once from the mirror; returns the Store."""
    from data_loaders.build import refresh
    from data_loaders.store import read_store

    refresh(mirror_settings)
    return read_store(mirror_settings.store_path)


@pytest.fixture(scope="session")
def store_env(built_store, mirror_settings) -> dict[str, str]:
    """Environment for an app process or AppTest reading the session's store."""
    return {"DATA_MIRROR": str(mirror_settings.mirror), "DATA_DIR": str(mirror_settings.data_dir)}


def raw(mirror: Path, relative: str) -> bytes:
    return (mirror / relative).read_bytes()
