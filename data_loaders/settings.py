"""Runtime settings, read from the environment once per call (no import-time state).

DATA_MIRROR   read every source from this directory instead of the network; the folder
              layout mirrors the sources (see README and ../shared/data/README.md).
DATA_DIR      where the local store is kept (default: ./data next to app.py).
DATA_BUNDLE   an offline data bundle (`python -m data_loaders bundle --out FILE`): the
              app installs its store and boundaries and never uses the network.
ASSETS_DIR    where the map boundaries are kept (default: ./assets; tests set it).
APP_REFRESH   0 on a shared server: no visitor can start a refresh from the app (it
              would fetch every source and change the data under everyone's feet), and
              the about page does not show the server's paths. Default 1 (a planner's
              own machine). The operator refreshes with `python -m data_loaders refresh`.
*_BASE_URL    override a publisher's base URL (tests point these at a loopback server).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_BASE_URLS = {
    "imdi": "https://app-simapi-prod.azurewebsites.net",
    "ssb": "https://data.ssb.no",
    "geo": "https://raw.githubusercontent.com",
}


@dataclass(frozen=True)
class Settings:
    mirror: Path | None
    data_dir: Path
    base_urls: dict[str, str] = field(default_factory=dict)
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    max_retries: int = 4
    bundle: Path | None = None
    assets_dir: Path = PROJECT_ROOT / "assets"
    app_refresh: bool = True  # visitors may start a refresh and see the data's paths

    @property
    def store_path(self) -> Path:
        return self.data_dir / "store.parquet"

    @property
    def boundaries_path(self) -> Path:
        return self.assets_dir / "kommuner.geojson"

    @property
    def fylker_path(self) -> Path:
        return self.assets_dir / "fylker.geojson"

    @property
    def mode(self) -> str:
        return "mirror" if self.mirror else "live"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    mirror = env.get("DATA_MIRROR") or None
    data_dir = Path(env.get("DATA_DIR") or PROJECT_ROOT / "data")
    assets_dir = Path(env.get("ASSETS_DIR") or PROJECT_ROOT / "assets")
    bundle = env.get("DATA_BUNDLE") or None
    base_urls = {
        name: env.get(f"{name.upper()}_BASE_URL", default).rstrip("/")
        for name, default in DEFAULT_BASE_URLS.items()
    }
    return Settings(
        mirror=Path(mirror).expanduser().resolve() if mirror else None,
        data_dir=data_dir.expanduser().resolve(),
        base_urls=base_urls,
        connect_timeout=float(env.get("HTTP_CONNECT_TIMEOUT", 10)),
        read_timeout=float(env.get("HTTP_READ_TIMEOUT", 120)),
        max_retries=int(env.get("HTTP_MAX_RETRIES", 4)),
        bundle=Path(bundle).expanduser().resolve() if bundle else None,
        assets_dir=assets_dir.expanduser().resolve(),
        app_refresh=env.get("APP_REFRESH", "1").strip().lower() not in ("0", "false", "no", "off"),
    )
