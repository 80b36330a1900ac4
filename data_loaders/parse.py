"""Parsers: bytes of one source representation -> a tidy "raw" frame.

Every parser returns the columns of RAW_COLUMNS:
  code      kommune code as the source gives it, zero-padded to 4 digits
  year      int
  indicator catalogue id of the measure (a count; rates are derived later)
  value     float, NaN unless status == "ok"
  status    "ok" | "suppressed" | "missing"
Codes are those of the source's own kommune division; harmonise.py maps them to 2024.

Status symbols: IMDi and SSB use ":" for suppressed (too few persons), "." and ".."
for not available; IMDi's percentage rows also hold "Inf". None of them is ever zero.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
from pyjstat import pyjstat

RAW_COLUMNS = ["code", "year", "indicator", "value", "status"]

SUPPRESSED_SYMBOLS = {":"}
MISSING_SYMBOLS = {".", "..", "...", "-", "", "Inf", "-Inf", "NaN", "nan"}


class SourceFormatError(ValueError):
    """The bytes are not in the format the parser expects; the message says how."""


# -- shared helpers -----------------------------------------------------------------------
def decode_text(data: bytes, preferred: str = "utf-8") -> str:
    """Decode bytes; the IMDi and KLASS CSVs are ISO-8859-1, others UTF-8."""
    if preferred.lower() in ("utf-8", "utf8"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("iso-8859-1")
    return data.decode(preferred)


def parse_amounts(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Source cell text -> (value, status). Decimal comma accepted."""
    text = raw.fillna("").astype(str).str.strip()
    numeric = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    # "Inf" parses as a float; it is never a real figure.
    numeric = numeric.where(np.isfinite(numeric))
    status = pd.Series("ok", index=raw.index, dtype=object)
    status[numeric.isna()] = "missing"
    status[text.isin(SUPPRESSED_SYMBOLS)] = "suppressed"
    unknown = numeric.isna() & ~text.isin(SUPPRESSED_SYMBOLS | MISSING_SYMBOLS)
    if unknown.any():
        examples = ", ".join(sorted(set(text[unknown]))[:5])
        raise SourceFormatError(f"Ukjente verdier i kilden (unknown cell values): {examples}")
    return numeric.where(status == "ok"), status


def pad_code(code: pd.Series) -> pd.Series:
    digits = code.astype(str).str.strip().str.replace(r"^[A-Za-z-]+", "", regex=True)
    if not digits.str.fullmatch(r"\d{1,4}").all():
        bad = ", ".join(sorted(set(digits[~digits.str.fullmatch(r"\d{1,4}")]))[:5])
        raise SourceFormatError(f"Ugyldige kommunenummer (invalid kommune codes): {bad}")
    return digits.str.zfill(4)


def _require_columns(frame: pd.DataFrame, required: list[str], what: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceFormatError(
            f"{what}: mangler kolonnene {missing} (missing columns); fant {list(frame.columns)}"
        )


# -- IMDi statistics CSV API --------------------------------------------------------------
def read_imdi_csv(data: bytes) -> pd.DataFrame:
    """The IMDi CSV export as text columns (ISO-8859-1, ';')."""
    text = data.decode("iso-8859-1")
    if text.lstrip().startswith(("<", "{")):
        raise SourceFormatError("IMDi svarte ikke med CSV (the response is not CSV)")
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    _require_columns(frame, ["Enhet", "År", "Kommunenummer", "Antall"], "IMDi CSV")
    return frame


SETTLEMENT_MEASURES = {
    "Anmodning om bosetting": "settlement_requested",
    "Vedtak om bosetting": "settlement_decided",
    "Faktisk bosetting": "settled_refugees",
}


def imdi_settlement(data: bytes) -> pd.DataFrame:
    """bosatt_anmodede: persons requested, decided and actually settled per kommune/year."""
    frame = read_imdi_csv(data)
    _require_columns(frame, ["Bosetting"], "IMDi bosatt_anmodede")
    frame = frame[(frame["Enhet"] == "Personer") & frame["Bosetting"].isin(SETTLEMENT_MEASURES)]
    value, status = parse_amounts(frame["Antall"])
    return pd.DataFrame({
        "code": pad_code(frame["Kommunenummer"]),
        "year": frame["År"].astype(int),
        "indicator": frame["Bosetting"].map(SETTLEMENT_MEASURES),
        "value": value,
        "status": status,
    })[RAW_COLUMNS].reset_index(drop=True)


STAY_GROUPS = {"Bosatt her": "refugees_settled_here", "Flyttet hit": "refugees_moved_here",
               "Uoppgitt": "refugees_stay_unknown"}
STAY_TIME = {"Alle": "", "0-4 år": "_0_4y", "5+ år": "_5y_plus"}
EVERYONE = "refugees_everyone"  # "alle": read only to make the "Uoppgitt" rows 2014 lacks


def imdi_refugee_stay(data: bytes) -> pd.DataFrame:
    """flyktning_botid_flytting: refugees living in the kommune who were settled there
    ("Bosatt her") or moved there after settlement elsewhere ("Flyttet hit"), or for
    whom IMDi does not state which ("Uoppgitt"; for 2014, everyone less the other two)."""
    frame = read_imdi_csv(data)
    _require_columns(frame, ["Sekundærflytting", "Botid i Norge"], "IMDi flyktning_botid_flytting")
    groups = {**STAY_GROUPS, "alle": EVERYONE}
    frame = frame[
        (frame["Enhet"] == "Personer")
        & frame["Sekundærflytting"].isin(groups)
        & frame["Botid i Norge"].isin(STAY_TIME)
    ]
    value, status = parse_amounts(frame["Antall"])
    indicator = frame["Sekundærflytting"].map(groups) + frame["Botid i Norge"].map(STAY_TIME)
    out = pd.DataFrame({
        "code": pad_code(frame["Kommunenummer"]),  # this file does not zero-pad ("914")
        "year": frame["År"].astype(int),
        "indicator": indicator,
        "value": value,
        "status": status,
    })[RAW_COLUMNS].reset_index(drop=True)
    is_everyone = out["indicator"].str.startswith(EVERYONE)
    everyone, out = out[is_everyone], out[~is_everyone]
    out = pd.concat([out, _stay_totals_from_parts(out)], ignore_index=True)
    return pd.concat([out, _stay_unknown_from_everyone(out, everyone)], ignore_index=True)


def _stay_unknown_from_everyone(stay: pd.DataFrame, everyone: pd.DataFrame) -> pd.DataFrame:
    """The "Uoppgitt" rows the file lacks (all of 2014), as everyone ("alle": the rows of
    EVERYONE and a duration) less those settled here and those moved here: in 2015-2022
    everyone is the sum of the three in every row. Only where all three are published
    figures and the rest is not negative."""
    def published(rows: pd.DataFrame, indicator: str) -> pd.Series:
        rows = rows[(rows["indicator"] == indicator) & (rows["status"] == "ok")]
        return rows.set_index(["code", "year"])["value"]

    found = []
    for suffix in STAY_TIME.values():
        total = published(everyone, EVERYONE + suffix)
        here, moved = (published(stay, group + suffix) for group in ("refugees_settled_here", "refugees_moved_here"))
        listed = stay.loc[stay["indicator"] == f"refugees_stay_unknown{suffix}", ["code", "year"]]
        keys = total.index.intersection(here.index).intersection(moved.index).difference(
            pd.MultiIndex.from_frame(listed))
        rest = total.loc[keys] - here.loc[keys] - moved.loc[keys]
        rest = rest[rest >= 0]
        found.append(pd.DataFrame({
            "code": rest.index.get_level_values("code"), "year": rest.index.get_level_values("year"),
            "indicator": f"refugees_stay_unknown{suffix}", "value": rest.to_numpy(), "status": "ok"}))
    return pd.concat(found, ignore_index=True)[RAW_COLUMNS]


def _stay_totals_from_parts(stay: pd.DataFrame) -> pd.DataFrame:
    """The all-durations rows the file lacks, as the sum of 0-4 and 5+ years in Norway.
    Its 2014 has no "Alle" row for "Bosatt her" or "Flyttet hit" (only for everyone);
    in 2015-2022 that row equals the sum of the two in every kommune. A hidden or
    missing part makes the total hidden or missing."""
    rows = []
    for group in STAY_GROUPS.values():
        parts = [stay[stay["indicator"] == group + suffix].set_index(["code", "year"])
                 for suffix in ("_0_4y", "_5y_plus")]
        have = stay.loc[stay["indicator"] == group, ["code", "year"]]
        keys = parts[0].index.intersection(parts[1].index).difference(pd.MultiIndex.from_frame(have))
        if keys.empty:
            continue
        young, old = (p.loc[keys] for p in parts)
        status = np.select([(young["status"] == "ok") & (old["status"] == "ok"),
                            (young["status"] == "suppressed") | (old["status"] == "suppressed")],
                           ["ok", "suppressed"], "missing")
        rows.append(pd.DataFrame({
            "code": keys.get_level_values("code"), "year": keys.get_level_values("year"),
            "indicator": group, "value": (young["value"] + old["value"]).where(status == "ok").to_numpy(),
            "status": status}))
    return pd.concat(rows, ignore_index=True)[RAW_COLUMNS] if rows else stay.iloc[0:0]


def _counts(value: pd.Series, status: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A negative number of persons is no count (the 1999 file has -1 Norwegian-born to
    immigrant parents in twelve kommuner, Austrheim among them): read as missing."""
    negative = value < 0
    return value.mask(negative), status.mask(negative, "missing")


# Population 1 January on the codes of each year (IMDi's exports of SSB's figures):
# raw rows only, never harmonised or stored (not in the catalogue).
FORMER_POPULATION = "former_population"


def imdi_population_main_groups(files: dict[str, bytes]) -> pd.DataFrame:
    """IMDi's yearly 'befolkning_hovedgruppe' exports (SSB population by immigrant
    category), one file per year, 3 header rows, first column '0101 Halden'.
    Gives immigrants + Norwegian-born to immigrant parents (immigrant_population), and
    the whole population on each year's own codes (FORMER_POPULATION: not an indicator;
    the size of each former kommune, `build.main_part_shares`). Every file lists every
    code, with 0 where it was not in use that year: read as missing."""
    out = []
    for name, data in sorted(files.items()):
        match = re.search(r"(\d{4})\.csv$", name)
        if not match:
            raise SourceFormatError(f"Fant ikke årstall i filnavnet {name}")
        year = int(match.group(1))
        grid = pd.read_csv(io.StringIO(data.decode("iso-8859-1")), sep=";", header=None,
                           dtype=str, keep_default_na=False)
        head = grid.iloc[:3, 1:].apply(lambda c: "|".join(c), axis=0)
        wanted = {
            "innvkat_5.innvandrere|kjonn.alle|enhet.personer": "immigrants",
            "innvkat_5.norskfodte_m_innvf|kjonn.alle|enhet.personer": "born_to_immigrants",
            "innvkat_5.alle|kjonn.alle|enhet.personer": "all",
        }
        columns = {label: head.index[head == key] for key, label in wanted.items()}
        if any(len(idx) != 1 for idx in columns.values()):
            raise SourceFormatError(f"{name}: uventede overskrifter (unexpected header rows)")
        body = grid.iloc[3:]
        codes = pad_code(body[0].str.extract(r"^(\d{4})", expand=False).fillna("x"))
        parts = {label: _counts(*parse_amounts(body[idx[0]])) for label, idx in columns.items()}
        value = parts["immigrants"][0] + parts["born_to_immigrants"][0]
        status = parts["immigrants"][1].where(parts["immigrants"][1] != "ok",
                                              parts["born_to_immigrants"][1])
        out.append(pd.DataFrame({"code": codes, "year": year,
                                 "indicator": "immigrant_population",
                                 "value": value, "status": status}))
        people, people_status = parts["all"]
        in_use = people > 0
        out.append(pd.DataFrame({"code": codes, "year": year, "indicator": FORMER_POPULATION,
                                 "value": people.where(in_use),
                                 "status": people_status.mask(~in_use, "missing")}))
    return pd.concat(out, ignore_index=True)[RAW_COLUMNS]


# -- SSB: population extract on 2024 boundaries -------------------------------------------
def ssb_population_extract(data: bytes) -> pd.DataFrame:
    """`kom2024,navn,aar,befolkning`: table 07459 already summed to 2024 kommuner.
    A 0 there means the third party could not place the figure (kommuner touched by a
    split), never an empty kommune: it is read as missing."""
    frame = pd.read_csv(io.StringIO(decode_text(data)), dtype=str, keep_default_na=False)
    _require_columns(frame, ["kom2024", "aar", "befolkning"], "SSB 07459 extract")
    value, status = parse_amounts(frame["befolkning"])
    zero = value == 0
    status[zero] = "missing"
    return pd.DataFrame({
        "code": pad_code(frame["kom2024"]), "year": frame["aar"].astype(int),
        "indicator": "population", "value": value.where(~zero), "status": status,
    })[RAW_COLUMNS]


# -- SSB PxWebApi 2: JSON-stat 2.0 through pyjstat ----------------------------------------
def normalise_jsonstat(doc: dict) -> dict:
    """Make a JSON-stat 2.0 dataset safe for pyjstat 2.4 under pandas 3:
    - a dimension may omit category.index (allowed when the label order defines it);
      pyjstat then raises KeyError, so we add the index from the label keys;
    - value and status may be objects keyed by position; we expand them to arrays."""
    if doc.get("class") != "dataset" or "value" not in doc or "dimension" not in doc:
        raise SourceFormatError("Ikke et JSON-stat 2.0-datasett (not a JSON-stat 2.0 dataset)")
    doc = json.loads(json.dumps(doc))  # deep copy
    for dim_id in doc["id"]:
        category = doc["dimension"][dim_id].setdefault("category", {})
        if "index" not in category:
            labels = category.get("label")
            if not labels:
                raise SourceFormatError(f"Dimensjonen {dim_id} har verken index eller label")
            category["index"] = list(labels)
        elif isinstance(category["index"], dict):
            category["index"] = sorted(category["index"], key=category["index"].get)
        category.setdefault("label", {code: code for code in category["index"]})
    cells = int(np.prod(doc["size"]))
    if isinstance(doc["value"], dict):
        doc["value"] = [doc["value"].get(str(i)) for i in range(cells)]
    if len(doc["value"]) != cells:
        raise SourceFormatError(f"JSON-stat: {len(doc['value'])} verdier, ventet {cells}")
    status = doc.get("status")
    if isinstance(status, str):
        doc["status"] = [status] * cells
    elif isinstance(status, dict):
        doc["status"] = [status.get(str(i)) for i in range(cells)]
    elif status is None:
        doc["status"] = [None] * cells
    return doc


def jsonstat_frame(data: bytes) -> pd.DataFrame:
    """JSON-stat 2.0 bytes -> one row per cell: dimension codes, value, status."""
    try:
        doc = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise SourceFormatError(f"SSB svarte ikke med gyldig JSON: {exc}") from exc
    doc = normalise_jsonstat(doc)
    frame = pyjstat.Dataset.read(json.dumps(doc)).write("dataframe", naming="id")
    symbols = pd.Series(doc["status"], dtype=object).fillna("")
    value = pd.to_numeric(frame["value"], errors="coerce")
    status = pd.Series("ok", index=frame.index, dtype=object)
    status[value.isna() | symbols.isin(MISSING_SYMBOLS - {""}).to_numpy()] = "missing"
    status[symbols.isin(SUPPRESSED_SYMBOLS).to_numpy()] = "suppressed"
    frame["value"] = value.where(status == "ok")
    frame["status"] = status
    return frame


def _jsonstat_counts(data: bytes, indicator: str) -> pd.DataFrame:
    frame = jsonstat_frame(data)
    _require_columns(frame, ["Region", "Tid"], "SSB JSON-stat")
    frame["code"] = pad_code(frame["Region"])
    frame["year"] = frame["Tid"].astype(int)
    # Sum over any remaining category dimension (e.g. immigrant category B + C).
    grouped = frame.groupby(["code", "year"], sort=True)
    out = grouped["value"].sum(min_count=1).to_frame()
    all_ok = grouped["status"].agg(lambda s: (s == "ok").all())
    any_suppressed = grouped["status"].agg(lambda s: (s == "suppressed").any())
    out["status"] = np.where(all_ok, "ok", np.where(any_suppressed, "suppressed", "missing"))
    out["value"] = out["value"].where(all_ok)
    out["indicator"] = indicator
    return out.reset_index()[RAW_COLUMNS]


def jsonstat2_named(data: bytes, names) -> pd.DataFrame:
    """A PxWebApi table whose dimension codes name the indicators: `names` is
    ((dimension, ((code, name part), ...)), ...); the parts, in order, make the
    indicator id. Cells with other codes are dropped; other dimensions are summed."""
    frame = jsonstat_frame(data)
    _require_columns(frame, ["Region", "Tid"] + [d for d, _ in names], "SSB JSON-stat")
    indicator = pd.Series("", index=frame.index, dtype=object)
    keep = pd.Series(True, index=frame.index)
    for dimension, mapping in names:
        part = frame[dimension].map(dict(mapping))
        keep &= part.notna()
        indicator = indicator + part.fillna("")
    frame = frame[keep].assign(code=lambda f: pad_code(f["Region"]),
                               year=lambda f: f["Tid"].astype(int), indicator=indicator[keep])
    grouped = frame.groupby(["code", "year", "indicator"], sort=True)
    out = grouped["value"].sum(min_count=1).to_frame()
    all_ok = grouped["status"].agg(lambda x: (x == "ok").all())
    any_suppressed = grouped["status"].agg(lambda x: (x == "suppressed").any())
    out["status"] = np.where(all_ok, "ok", np.where(any_suppressed, "suppressed", "missing"))
    out["value"] = out["value"].where(all_ok)
    return out.reset_index()[RAW_COLUMNS]


def jsonstat2_population(data: bytes) -> pd.DataFrame:
    out = _jsonstat_counts(data, "population")
    zero = out["value"] == 0  # a kommune never has 0 inhabitants: not placeable
    out.loc[zero, ["value", "status"]] = [np.nan, "missing"]
    return out


def jsonstat2_immigrants(data: bytes) -> pd.DataFrame:
    return _jsonstat_counts(data, "immigrant_population")


# -- KLASS -------------------------------------------------------------------------------
def klass_codes_csv(data: bytes) -> pd.DataFrame:
    """KLASS codes CSV (';', quoted). The kommune file is ISO-8859-1, the fylke file UTF-8."""
    frame = pd.read_csv(io.StringIO(decode_text(data)), sep=";", dtype=str, keep_default_na=False)
    _require_columns(frame, ["code", "name"], "KLASS")
    return frame[["code", "name"]].assign(code=lambda f: f["code"].str.strip())


def geojson(data: bytes) -> dict:
    doc = json.loads(decode_text(data))
    if doc.get("type") != "FeatureCollection":
        raise SourceFormatError("Grensefilen er ikke en GeoJSON FeatureCollection")
    return doc
