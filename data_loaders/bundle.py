"""The offline data bundle: the store, the map boundaries and their provenance in one file.

`python -m data_loaders bundle --out FILE` writes it; `DATA_BUNDLE=FILE` makes
`python -m data_loaders ensure` (and so bin/run) install it instead of fetching anything.

Format: a plain zip (stdlib zipfile, ZIP_DEFLATED) holding `manifest.json` and the
members `store.parquet`, `kommuner.geojson`, `fylker.geojson`, byte for byte as the
refresh wrote them. A zip can be opened and inspected with any tool, carries a CRC per
member (so damage is found), and needs nothing beyond the standard library. The manifest
names the format and its version, when the bundle was made, when and how the store was
built, every source with its retrieval date (the store's own metadata) and the SHA-256 of
every member, which is checked before anything is installed.

Installing is all or nothing towards errors: the bundle is read whole into memory,
every member checked and the store parsed before a single file is replaced (each one
atomically). On any BundleError the data already on disk stays as it was. The installed
bundle is recorded in DATA_DIR/bundle.json (its checksum and manifest), so installing
the same bundle again does nothing and the app can say where its data came from.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .settings import Settings
from .store import Store, StoreError, atomic_write_bytes, read_store

FORMAT = "integreringskart-bundle"
VERSION = 1
MANIFEST = "manifest.json"
RECORD = "bundle.json"  # in DATA_DIR: the installed bundle
STORE_MEMBER = "store.parquet"
MEMBERS = (STORE_MEMBER, "kommuner.geojson", "fylker.geojson")


class BundleError(RuntimeError):
    """The bundle cannot be used; the message is one sentence in bokmål (English).
    `en`: the whole sentence in English, for the English interface."""

    def __init__(self, message: str, en: str | None = None):
        super().__init__(message)
        self.en = en or message

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else str(self)


@dataclass(frozen=True)
class BundleInfo:
    path: Path
    checksum: str            # SHA-256 of the whole bundle file
    created_at: str
    built_at: str            # when the store was built (store.meta['built_at'])
    mode: str                # "live" or "mirror" (store.meta['mode'])
    sources: dict            # store.meta['sources']: provenance and retrieval date per source
    members: dict            # member name -> SHA-256


def _targets(settings: Settings) -> dict[str, Path]:
    """Where each member is installed."""
    return dict(zip(MEMBERS, (settings.store_path, settings.boundaries_path,
                              settings.fylker_path)))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parse_store(data: bytes, where: str) -> Store:
    """read_store on bytes (via a temporary file, removed again)."""
    with tempfile.TemporaryDirectory(prefix="integreringskart-") as tmp:
        path = Path(tmp) / STORE_MEMBER
        path.write_bytes(data)
        try:
            return read_store(path)
        except StoreError as exc:
            detail = str(exc).replace(str(path), STORE_MEMBER)
            detail_en = exc.en.replace(str(path), STORE_MEMBER)
            raise BundleError(f"Datalageret i {where} kan ikke leses (the store cannot be "
                              f"read): {detail}",
                              en=f"The store in {where} cannot be read: {detail_en}") from exc


def _info(path: Path, checksum: str, manifest: dict) -> BundleInfo:
    return BundleInfo(path=path, checksum=checksum, created_at=manifest["created_at"],
                      built_at=manifest["built_at"], mode=manifest["mode"],
                      sources=manifest["sources"],
                      members={name: m["sha256"] for name, m in manifest["members"].items()})


def write_bundle(settings: Settings, out: Path) -> BundleInfo:
    """Pack the local store and boundaries into one bundle file at `out` (atomically)."""
    contents = {}
    for name, path in _targets(settings).items():
        if not path.is_file():
            raise BundleError(f"{path} mangler; kjør først: python -m data_loaders refresh "
                              f"(nothing to bundle yet).",
                              en=f"{path} is missing; run first: python -m data_loaders refresh "
                                 f"(nothing to bundle yet).")
        contents[name] = path.read_bytes()
    store = _parse_store(contents[STORE_MEMBER], str(settings.store_path))
    manifest = {
        "format": FORMAT, "version": VERSION,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "built_at": store.meta["built_at"], "mode": store.meta["mode"],
        "sources": store.meta["sources"],
        "members": {name: {"sha256": _sha256(data), "bytes": len(data)}
                    for name, data in contents.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        for name, data in contents.items():
            archive.writestr(name, data)
    data = buffer.getvalue()
    out = Path(out)
    atomic_write_bytes(out, data)
    return _info(out.resolve(), _sha256(data), manifest)


def _damaged(path: Path, detail: str) -> BundleError:
    return BundleError(f"Datapakken {path} er skadet eller ufullstendig "
                       f"(the bundle is damaged or truncated): {detail}.",
                       en=f"The data bundle {path} is damaged or truncated: {detail}.")


def _foreign(path: Path, nb: str, en: str) -> BundleError:
    return BundleError(f"{path} er ikke en Integreringskart-datapakke: {nb} "
                       f"(not an Integreringskart bundle: {en}).",
                       en=f"{path} is not an Integreringskart data bundle: {en}.")


def _load(path: Path, members: bool = True) -> tuple[BundleInfo, dict, dict[str, bytes]]:
    """Read the bundle whole: its info, its manifest and (if `members`) every member,
    each checked against its SHA-256, with the store parsed. Raises BundleError."""
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"Finner ikke datapakken {path} (bundle file not found).",
                          en=f"The data bundle {path} was not found.")
    data = path.read_bytes()
    if not data.startswith(b"PK"):
        raise _foreign(path, "ikke en zip-fil", "not a zip file")
    # Decoding bytes in memory: whatever zipfile raises (BadZipFile, zlib.error, CRC,
    # EOFError, an unknown compression method from a flipped byte) means a damaged file.
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        raw = archive.read(MANIFEST) if MANIFEST in archive.namelist() else None
    except Exception as exc:
        raise _damaged(path, str(exc)) from exc
    if raw is None:
        raise _foreign(path, f"{MANIFEST} mangler", "no manifest")
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise _foreign(path, f"{MANIFEST} kan ikke leses", "unreadable manifest") from exc
    kind = manifest.get("format") if isinstance(manifest, dict) else None
    if kind != FORMAT:
        raise _foreign(path, f"formatet er «{kind}»", f"format {kind!r}")
    version = manifest.get("version")
    if not isinstance(version, int) or version < 1:
        raise _foreign(path, f"ukjent versjon «{version}»", f"unknown version {version!r}")
    if version > VERSION:
        raise BundleError(f"Datapakken {path} har versjon {version}, men denne appen leser bare "
                          f"til og med versjon {VERSION}; oppdater appen "
                          f"(made by a newer version: update the app).",
                          en=f"The data bundle {path} has version {version}, but this app reads "
                             f"versions up to {VERSION} only; update the app.")
    try:
        info = _info(path.resolve(), _sha256(data), manifest)
        missing = [name for name in MEMBERS if name not in info.members]
    except (KeyError, TypeError, AttributeError) as exc:
        raise BundleError(f"Manifestet i {path} er ufullstendig ({exc}) "
                          f"(the manifest is incomplete).",
                          en=f"The manifest in {path} is incomplete ({exc}).") from exc
    if missing:
        raise BundleError(f"Manifestet i {path} nevner ikke {', '.join(missing)} "
                          f"(the manifest lacks a member).",
                          en=f"The manifest in {path} does not list {', '.join(missing)}.")
    contents = {}
    for name in MEMBERS if members else ():
        try:
            contents[name] = archive.read(name)
        except KeyError as exc:
            raise BundleError(f"Datapakken {path} mangler {name} (a member is missing).",
                              en=f"The data bundle {path} lacks {name}.") from exc
        except Exception as exc:
            raise _damaged(path, str(exc)) from exc
        if _sha256(contents[name]) != info.members[name]:
            raise BundleError(f"Sjekksummen for {name} i {path} stemmer ikke; filen er endret "
                              f"eller skadet (checksum mismatch).",
                              en=f"The checksum of {name} in {path} does not match; the file has "
                                 f"been changed or damaged.")
    if members:
        _parse_store(contents[STORE_MEMBER], str(path))
    return info, manifest, contents


def read_manifest(path: Path) -> BundleInfo:
    """The bundle's manifest, without checking its members."""
    return _load(path, members=False)[0]


def verify(path: Path) -> BundleInfo:
    """Check the whole bundle: manifest, every member's checksum, the store. Raises BundleError."""
    return _load(path)[0]


def installed_bundle(settings: Settings) -> BundleInfo | None:
    """The bundle the local data came from, or None: no bundle was installed, or the files
    have been replaced since (by a refresh, say)."""
    try:
        record = json.loads((settings.data_dir / RECORD).read_text(encoding="utf-8"))
        info = _info(Path(record["path"]), record["checksum"], record["manifest"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    for name, target in _targets(settings).items():
        if not target.is_file() or _sha256(target.read_bytes()) != info.members.get(name):
            return None
    return info


def install_bundle(settings: Settings) -> BundleInfo:
    """Install settings.bundle: the store into DATA_DIR, the boundaries to their paths.
    Does nothing if the same bundle is installed already; on BundleError nothing changes."""
    if settings.bundle is None:
        raise BundleError("DATA_BUNDLE er ikke satt (no bundle given).",
                          en="DATA_BUNDLE is not set (no bundle given).")
    if not settings.bundle.is_file():
        raise BundleError(f"Finner ikke datapakken {settings.bundle} (bundle file not found).",
                          en=f"The data bundle {settings.bundle} was not found.")
    current = installed_bundle(settings)
    if current is not None and current.checksum == _sha256(settings.bundle.read_bytes()):
        return current
    info, manifest, contents = _load(settings.bundle)
    for name, target in _targets(settings).items():
        atomic_write_bytes(target, contents[name])
    record = {"path": str(info.path), "checksum": info.checksum,
              "installed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "manifest": manifest}
    atomic_write_bytes(settings.data_dir / RECORD,
                       json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"))
    return info
