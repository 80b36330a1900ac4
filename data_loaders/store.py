"""The local store: one tidy Parquet file with its metadata embedded in the schema.

Columns: kommunenummer (2024 code; '0000' Norway, '9999' unknown kommune), year,
indicator, value, status, conversion. Metadata: when and from where each source was
read, kommune and fylke names, former kommune names (for conversion notes), warnings.

Writes are atomic (temporary file + os.replace in the same directory): a reader sees
the old store or the new one, never half of one, and a failed refresh leaves the last
good store in place.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

META_KEY = b"integreringskart"
SCHEMA_VERSION = 1
STORE_COLUMNS = ["kommunenummer", "year", "indicator", "value", "status", "conversion"]


class StoreError(RuntimeError):
    """The store cannot be read. str(): bokmål (with a short English gloss); `en`: the
    whole message in English, for the English interface."""

    def __init__(self, message: str, en: str | None = None):
        super().__init__(message)
        self.en = en or message

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else str(self)


@dataclass
class Store:
    values: pd.DataFrame
    meta: dict
    _by_code: dict | None = None
    _years: dict | None = None

    def of(self, code: str, indicator: str) -> pd.DataFrame:
        """One kommune's or group's ('0000', 'F46', ...) rows of one indicator, sorted by
        year. Indexed once on first use: pages look up a handful of codes many times."""
        if self._by_code is None:
            frame = self.values.assign(kommunenummer=self.values["kommunenummer"].astype(str),
                                       status=self.values["status"].astype(str),
                                       conversion=self.values["conversion"].astype(str),
                                       indicator=self.values["indicator"].astype(str))
            frame = frame.sort_values(["kommunenummer", "indicator", "year"])
            self._by_code = {c: part.set_index("indicator", drop=False)
                             for c, part in frame.groupby("kommunenummer", sort=False)}
        part = self._by_code.get(code)
        if part is None or indicator not in part.index:
            return self.values.iloc[0:0]
        return part.loc[[indicator]].reset_index(drop=True)

    @property
    def kommuner(self) -> dict[str, str]:
        return self.meta["kommuner"]

    @property
    def fylker(self) -> dict[str, str]:
        return self.meta["fylker"]

    def source(self, source_id: str) -> dict:
        return self.meta["sources"].get(source_id, {})

    def years(self, indicator: str) -> list[int]:
        """The years in which some kommune has a value of `indicator`. Found for every
        indicator in one pass on first use: a page asks several times in each run."""
        if self._years is None:
            rows = self.values[self.values["status"].ne("missing")
                               & self.values["kommunenummer"].isin(self.kommuner.keys())]
            self._years = {str(name): sorted(int(y) for y in part.unique())
                           for name, part in rows.groupby("indicator", observed=True)["year"]}
        return list(self._years.get(indicator, []))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_parquet_bytes(values: pd.DataFrame, meta: dict) -> bytes:
    table = pa.Table.from_pandas(values[STORE_COLUMNS], preserve_index=False)
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[META_KEY] = json.dumps({**meta, "schema_version": SCHEMA_VERSION},
                                       ensure_ascii=False).encode("utf-8")
    table = table.replace_schema_metadata(schema_meta)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def write_store(path: Path, values: pd.DataFrame, meta: dict) -> None:
    atomic_write_bytes(path, to_parquet_bytes(values, meta))


CATEGORY_COLUMNS = ["kommunenummer", "indicator", "status", "conversion"]


def read_store(path: Path) -> Store:
    if not path.is_file():
        raise StoreError(f"Ingen lokale data i {path} (no local data yet).",
                         en=f"No local data in {path} yet.")
    try:
        # Few distinct values, filtered on constantly by the pages: read as categories
        # straight away (half the time of converting the strings after reading). One
        # file: ParquetFile, as read_table would first import pyarrow.dataset (~20 ms).
        with pq.ParquetFile(path, read_dictionary=CATEGORY_COLUMNS) as file:
            table = file.read()
    except (pa.ArrowInvalid, OSError) as exc:
        raise StoreError(f"Datafilen {path} kan ikke leses: {exc}",
                         en=f"The data file {path} cannot be read: {exc}") from exc
    raw_meta = (table.schema.metadata or {}).get(META_KEY)
    if raw_meta is None:
        raise StoreError(f"{path} er ikke et Integreringskart-datalager (not a store file).",
                         en=f"{path} is not an Integreringskart data store.")
    meta = json.loads(raw_meta)
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise StoreError(f"{path} har en annen versjon ({meta.get('schema_version')}); "
                         f"kjør oppdatering på nytt (run refresh again).",
                         en=f"{path} has another version ({meta.get('schema_version')}); "
                            f"run the refresh again.")
    values = table.to_pandas()
    values["year"] = values["year"].astype(int)
    for column in CATEGORY_COLUMNS:  # in sorted order, as astype("category") gives them
        categories = values[column].cat.categories
        if not categories.is_monotonic_increasing:
            values[column] = values[column].cat.reorder_categories(categories.sort_values())
    return Store(values=values, meta=meta)
