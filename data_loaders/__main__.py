"""Command line: `python -m data_loaders refresh | export --out FILE.csv | status |
ensure | bundle --out FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import STEPS, RefreshFailed, refresh
from .bundle import BundleError, install_bundle, installed_bundle, write_bundle
from .export import source_text, write_csv
from .settings import load_settings
from .store import StoreError, read_store


def _refresh(_args) -> int:
    from tqdm import tqdm

    settings = load_settings()
    if settings.bundle:
        print(f"DATA_BUNDLE er satt ({settings.bundle}): data hentes ikke fra nettet; fjern "
              f"DATA_BUNDLE for å oppdatere (DATA_BUNDLE is set: no network).", file=sys.stderr)
        return 1
    where = f"speilmappen {settings.mirror}" if settings.mirror else "nettet (live)"
    print(f"Henter data fra {where} til {settings.store_path}")
    bar = tqdm(total=len(STEPS) + 1, unit="steg", ncols=80)  # the sources, then harmonising

    def progress(label: str, done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.set_description(label[:28])
        bar.refresh()

    try:
        result = refresh(settings, progress=progress)
    except RefreshFailed as exc:
        bar.close()
        print(f"\nOppdatering feilet ved {exc.step}: {exc.reason}", file=sys.stderr)
        print("Forrige gode data er beholdt (the last good data is kept).", file=sys.stderr)
        return 1
    bar.close()
    print(f"Ferdig: {result.rows} tall for {result.kommuner} kommuner.")
    for warning in result.warnings:
        print(f"  merknad: {warning}")
    return 0


def _open_store():
    try:
        return read_store(load_settings().store_path)
    except StoreError as exc:
        print(f"{exc} Kjør først: python -m data_loaders refresh", file=sys.stderr)
        return None


def _export(args) -> int:
    store = _open_store()
    if store is None:
        return 1
    rows = write_csv(store, Path(args.out))
    print(f"Skrev {rows} rader til {args.out}")
    return 0


def _status(_args) -> int:
    store = _open_store()
    if store is None:
        return 1
    print(f"Bygget {store.meta['built_at']} ({store.meta['mode']})")
    bundle = installed_bundle(load_settings())
    if bundle is not None:
        print(f"Fra datapakken {bundle.path} (laget {bundle.created_at}, "
              f"sjekksum {bundle.checksum[:12]})")
    for source_id in store.meta["sources"]:
        print(f"  {source_text(store, source_id)}")  # as the app and the exports say it
    return 0


def _ensure(args) -> int:
    """With DATA_BUNDLE: install the bundle (no network). Otherwise refresh only when
    there is no local data yet (first run)."""
    settings = load_settings()
    if settings.bundle:
        try:
            info = install_bundle(settings)
        except (BundleError, OSError) as exc:
            print(exc, file=sys.stderr)
            print("Dataene som var her er beholdt (the existing data is kept).", file=sys.stderr)
            return 1
        print(f"Data fra datapakken {info.path.name}: bygget {info.built_at} ({info.mode}).")
        return 0
    if all(p.is_file() for p in (settings.store_path, settings.boundaries_path, settings.fylker_path)):
        return 0
    return _refresh(args)


def _bundle(args) -> int:
    try:
        info = write_bundle(load_settings(), Path(args.out))
    except BundleError as exc:
        print(exc, file=sys.stderr)
        return 1
    size = info.path.stat().st_size // 1024
    print(f"Skrev datapakken {info.path} ({size} KB): data bygget {info.built_at} "
          f"({info.mode}), sjekksum {info.checksum[:12]}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_loaders",
                                     description="Integreringskart data: refresh and export")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("refresh", help="fetch every source and rebuild the local store")
    export = sub.add_parser("export", help="write the whole store as CSV")
    export.add_argument("--out", required=True, help="CSV file to write")
    sub.add_parser("status", help="show when and from where the store was built")
    sub.add_parser("ensure", help="install DATA_BUNDLE, or refresh if there is no local data yet")
    bundle = sub.add_parser("bundle", help="write the store and boundaries as one offline bundle")
    bundle.add_argument("--out", required=True, help="bundle file to write (a zip)")
    args = parser.parse_args(argv)
    return {"refresh": _refresh, "export": _export, "status": _status,
            "ensure": _ensure, "bundle": _bundle}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
