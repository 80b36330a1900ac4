"""Kommune codes: today's 357 kommuner, their fylker, and a crosswalk from every code
used since 1995 to the 2024 division.

The crosswalk is built from change records (old code -> new code, year of change,
weight for splits), whichever source they came from:
- SSB KLASS changes (live), or
- Folkehelseinstituttet's change table with split weights, plus a historic code list
  for the few older codes it lacks (mirror).
Following the records forward from an old code reaches its 2024 code(s).

One case needs care: a kommune that merged into another that later split again. In
2020 Haram (1534) merged into Ålesund (1507); in 2024 1507 split into Ålesund (1508)
and Haram (1580). Following the chain would spread old Haram over both. Instead a
part of a merger that is later split goes, whole, to the split kommune of its own
name, or else to the one that keeps the split kommune's name (Sandøy, Skodje and
Ørskog go to Ålesund). Only a code that was the sole predecessor (a renumbering, as
Snillfjord 1613 -> 5012) carries the split weights.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import pandas as pd

from .parse import SourceFormatError, decode_text

FIRST_YEAR = 1995  # first year of IMDi's settlement series; the store starts here
OPEN_END = 9999

# Special codes that are not kommuner on the map.
UNKNOWN_KOMMUNE = "9999"  # "Uoppgitt kommune": counted in national totals only
NORWAY = "0000"
SVALBARD_PREFIXES = ("21", "22")  # Svalbard, Jan Mayen: not kommuner

CROSSWALK_COLUMNS = ["code", "name", "valid_from", "valid_to", "target", "weight", "split_of"]


@dataclass(frozen=True)
class Change:
    old: str
    new: str
    year: int  # first year the new code is in force
    weight: float | None  # share of `old` going to `new` when `old` is split


def _norm_name(name: str) -> str:
    """'Hábmer - Hamarøy' and 'Hamarøy' compare equal: any of the name's parts."""
    return name.casefold().strip()


def _name_parts(name: str) -> set[str]:
    return {_norm_name(p) for p in re.split(r"\s+-\s+|-", name) if p.strip()}


def resolve_crosswalk(changes: list[Change], validity: dict[str, tuple[int, int]],
                      names: dict[str, str], current: set[str]) -> pd.DataFrame:
    """Follow change records from each code to today's codes. Returns CROSSWALK_COLUMNS:
    one row per (old code, 2024 code) with the share of the old code going there;
    `split_of` names the code whose split produced the share ("" if none)."""
    forward: dict[str, list[Change]] = {}
    predecessors: dict[str, set[str]] = {}
    for ch in changes:
        forward.setdefault(ch.old, []).append(ch)
        predecessors.setdefault(ch.new, set()).add(ch.old)

    def resolve(code: str, seen: tuple[str, ...] = ()) -> dict[str, tuple[float, str]]:
        if code in current and code not in forward:
            return {code: (1.0, "")}
        if code in seen:
            raise SourceFormatError(f"Sirkel i kommuneendringene ved {code}")
        steps = forward.get(code)
        if not steps:
            return {}
        # Several records from one code in the same year: a split.
        last_year = max(ch.year for ch in steps)
        steps = [ch for ch in steps if ch.year == last_year]
        out: dict[str, tuple[float, str]] = {}
        split = len(steps) > 1
        for ch in steps:
            share = (ch.weight if ch.weight is not None else 1 / len(steps)) if split else 1.0
            for target, (w, split_of) in resolve(ch.new, seen + (code,)).items():
                prev = out.get(target, (0.0, ""))
                out[target] = (prev[0] + share * w, split_of or (code if split else ""))
        return out

    def resolve_part_of_split(code: str) -> dict[str, tuple[float, str]] | None:
        """`code` merged into a code that was later split: give it whole to one part."""
        steps = forward.get(code, [])
        if len(steps) != 1:
            return None
        merged_into = steps[0].new
        if len(predecessors.get(merged_into, ())) < 2:
            return None  # a renumbering carries the split
        split_steps = forward.get(merged_into, [])
        if len(split_steps) < 2:
            return None
        targets = resolve(merged_into)
        own = _name_parts(names.get(code, ""))
        by_name = [t for t in targets if _name_parts(names.get(t, "")) & own]
        keeper = [t for t in targets
                  if _name_parts(names.get(t, "")) & _name_parts(names.get(merged_into, ""))]
        chosen = (by_name or keeper or [None])[0]
        if chosen is None:
            return None
        return {chosen: (1.0, "")}

    rows = []
    codes = set(validity) | set(forward)
    for code in sorted(codes):
        targets = resolve_part_of_split(code) or resolve(code)
        start, end = validity.get(code, (0, OPEN_END))
        for target, (weight, split_of) in sorted(targets.items()):
            rows.append((code, names.get(code, ""), start, end, target, round(weight, 6), split_of))
    return pd.DataFrame(rows, columns=CROSSWALK_COLUMNS)


# -- building the crosswalk from each source format ----------------------------------------
# Two codes in the historic list point at the wrong 2024 kommune; corrected from SSB's
# change records and checked in tests against population sums on 2024 boundaries.
HISTORIC_LIST_CORRECTIONS = {
    "0718": "3905",  # Ramnes -> Re (2002) -> Tønsberg (2020) -> 3905 Tønsberg (2024)
    "1842": "1804",  # Skjerstad -> Bodø (2005)
}


def crosswalk_from_fhi(xlsx: bytes, historic_csv: bytes, current: dict[str, str]) -> pd.DataFrame:
    return resolve_crosswalk(*fhi_changes(xlsx, historic_csv, current), set(current))


def fhi_changes(xlsx: bytes, historic_csv: bytes, current: dict[str, str]
                ) -> tuple[list[Change], dict[str, tuple[int, int]], dict[str, str]]:
    """Change records, code validity and names from FHI's table and the historic list."""
    table = pd.read_excel(io.BytesIO(xlsx), dtype={"municip_code": str, "municip_code_end": str})
    needed = ["year_start", "year_end", "municip_code", "municip_code_end", "weighting",
              "municip_name"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise SourceFormatError(f"Endringstabellen mangler kolonnene {missing}")
    table["old"] = table["municip_code"].str[-4:]
    table["new"] = table["municip_code_end"].str[-4:]
    changes, validity, names = [], {}, dict(current)
    for row in table.itertuples():
        end = OPEN_END if pd.isna(row.year_end) else int(row.year_end)
        validity[row.old] = (int(row.year_start), end)
        names.setdefault(row.old, str(row.municip_name))
        if isinstance(row.new, str) and row.new:
            weight = None if pd.isna(row.weighting) else float(row.weighting)
            changes.append(Change(row.old, row.new, end + 1, weight))

    historic = pd.read_csv(io.StringIO(decode_text(historic_csv)), dtype=str,
                           keep_default_na=False)
    for row in historic.itertuples():
        if row.gammelt_nr in validity:
            continue
        start = int(row.start_yr) if row.start_yr else 0
        end = int(row.end_yr) if row.end_yr else OPEN_END
        validity[row.gammelt_nr] = (start, end)
        names.setdefault(row.gammelt_nr, row.navn)
        target = HISTORIC_LIST_CORRECTIONS.get(row.gammelt_nr, row.nr_2024)
        if target != row.gammelt_nr:
            changes.append(Change(row.gammelt_nr, target, end + 1, None))
    return changes, validity, names


def crosswalk_from_klass_changes(data: bytes, current: dict[str, str]) -> pd.DataFrame:
    """KLASS `changes.json`: {"codeChanges": [{oldCode, oldName, newCode, newName,
    changeOccurred}, ...]}. Codes first seen as oldCode are valid from FIRST_YEAR."""
    doc = json.loads(decode_text(data))
    records = doc.get("codeChanges")
    if records is None:
        raise SourceFormatError("KLASS-svaret mangler codeChanges")
    changes, names = [], dict(current)
    first_seen: dict[str, int] = {}
    last_seen: dict[str, int] = {}
    for rec in records:
        year = int(str(rec["changeOccurred"])[:4])
        old, new = str(rec["oldCode"]).zfill(4), str(rec["newCode"]).zfill(4)
        names.setdefault(old, rec.get("oldName") or "")
        names.setdefault(new, rec.get("newName") or "")
        last_seen[old] = max(last_seen.get(old, 0), year - 1)
        first_seen[new] = min(first_seen.get(new, OPEN_END), year)
        if old != new:
            changes.append(Change(old, new, year, None))
    validity = {}
    for code in set(first_seen) | set(last_seen) | set(current):
        start = first_seen.get(code, 0)
        end = OPEN_END if code in current else last_seen.get(code, OPEN_END)
        validity[code] = (start, end)
    return resolve_crosswalk(changes, validity, names, set(current))


def current_kommuner(codes: pd.DataFrame) -> dict[str, str]:
    """KLASS 131 codes -> {code: name} for real kommuner (drops 9999 'Uoppgitt')."""
    real = codes[codes["code"].str.fullmatch(r"\d{4}") & (codes["code"] != UNKNOWN_KOMMUNE)]
    return dict(zip(real["code"], real["name"]))


def with_full_names(current: dict[str, str], boundary_doc: dict) -> tuple[dict[str, str], list[str]]:
    """Today's kommune names, with the Sami letters the KLASS file could not carry.

    KLASS's CSV is ISO-8859-1, which has no š, ŋ or đ: "Kárášjohka" arrives as
    "Kárá?johka", "Porsáŋgu" as "Porsángu". Kartverket's boundary file (UTF-8) names the
    same kommune in full, so where its name needs letters outside ISO-8859-1 it is the
    one used. Returns the names and a line for the refresh report per name taken."""
    official = {str(f["properties"].get("kommunenummer", "")).zfill(4): f["properties"].get("kommunenavn")
                for f in boundary_doc.get("features", [])}
    names, notes = dict(current), []
    for code, klass_name in current.items():
        full = official.get(code)
        if not full or full == klass_name:
            continue
        try:
            full.encode("iso-8859-1")
        except UnicodeEncodeError:
            # The same name, short of the lost letters; a different name stays KLASS's.
            if SequenceMatcher(None, full.casefold(), klass_name.casefold()).ratio() < 0.8:
                continue
            names[code] = full
            notes.append(f"{code}: navnet fra Kartverket, «{full}» (KLASS-fila har «{klass_name}», "
                         f"uten samiske bokstaver; name from Kartverket)")
    return names, notes


def fylke_of(code: str) -> str:
    return code[:2]
