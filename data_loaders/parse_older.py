"""Parsers for IMDi's exports of older SSB statistics and for small reference tables.

Same contract as parse.py: RAW_COLUMNS with codes of the source's own kommune division.
These exports come as IMDi ordered them from SSB: migration (2013, 2014), register-based
employment by immigrant category (2006-2014) and the status of former participants in
the introduction programme (2011-2014), on the kommune division of each year.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd

from .parse import RAW_COLUMNS, SourceFormatError, decode_text, pad_code, parse_amounts

# -- migration -----------------------------------------------------------------------------
MIGRATION_MEASURES = {
    "innflytting": "in_migration",  # from other kommuner
    "utflytting": "out_migration",
    "nettoinnflytting": "net_migration",
    "innvandring": "immigration",  # from abroad
    "utvandring": "emigration",
}
GROUP_SUFFIX = {"alle": "", "innvandrere": "_immigrants"}


def _migration_rows(frame: pd.DataFrame, code: str, group: str, region_filter) -> pd.DataFrame:
    frame = frame[frame["flytting"].isin(MIGRATION_MEASURES) & frame[group].isin(GROUP_SUFFIX)
                  & (frame["vreg_3"] == "alle") & (frame["enhet"] == "personer")]
    frame = frame[region_filter(frame)]
    value, status = parse_amounts(frame["tabellvariabel"])
    return pd.DataFrame({
        "code": pad_code(frame[code]), "year": frame["aar"].astype(int),
        "indicator": frame["flytting"].map(MIGRATION_MEASURES) + frame[group].map(GROUP_SUFFIX),
        "value": value, "status": status,
    })[RAW_COLUMNS]


def imdi_migration(files: dict[str, bytes]) -> pd.DataFrame:
    """befolkning_flytting-2013.csv (all levels; kommune rows have kommune_nr, the
    unused geography columns hold NULL) and befolkning_flytting-kommune-2014.csv
    (kommuner only, as delivered by SSB)."""
    out = []
    for name, data in files.items():
        frame = pd.read_csv(io.StringIO(decode_text(data)), dtype=str, keep_default_na=False)
        if "kommune_nr" in frame.columns:  # the 2013 layout
            out.append(_migration_rows(frame, "kommune_nr", "innvkat_3",
                                       lambda f: f["kommune_nr"].str.fullmatch(r"\d{4}")))
        elif "Tilflyttingskommune" in frame.columns:  # the 2014 layout
            out.append(_migration_rows(frame, "Tilflyttingskommune", "invkat_2",
                                       lambda f: f["Tilflyttingskommune"].str.fullmatch(r"\d{4}")))
        else:
            raise SourceFormatError(f"{name}: ukjent flyttefil (unknown migration layout)")
    return pd.concat(out, ignore_index=True)


# -- employment ----------------------------------------------------------------------------
def imdi_employment(data: bytes) -> pd.DataFrame:
    """sysselsatte_innvkat-kommune-2006_2014.csv: employed persons and employment rate
    (%, whole numbers) by immigrant category. The denominator (residents in the age
    band) is not published; we derive it from the two figures so that groups of
    kommuner can be summed. '0000' is Norway and is left to the national aggregation."""
    frame = pd.read_csv(io.StringIO(decode_text(data)), dtype=str, keep_default_na=False)
    for column in ["aar", "kommune_nr", "innvkat_3", "tabellvariabel", "enhet"]:
        if column not in frame.columns:
            raise SourceFormatError(f"sysselsatte_innvkat mangler kolonnen {column}")
    frame = frame[(frame["kommune_nr"] != "0000") & frame["innvkat_3"].isin(
        ["innvandrere", "befolkningen_ellers"])]
    value, status = parse_amounts(frame["tabellvariabel"])
    frame = frame.assign(value=value, status=status)
    wide = frame.pivot_table(index=["kommune_nr", "aar", "innvkat_3"], columns="enhet",
                             values=["value", "status"], aggfunc="first")
    employed = wide[("value", "personer")]
    rate = wide[("value", "prosent")]
    employed_status = wide[("status", "personer")]
    rate_status = wide[("status", "prosent")]
    suffix = {"innvandrere": "immigrants", "befolkningen_ellers": "rest"}
    rows = []
    for (code, year, group), n in employed.items():
        r = rate[(code, year, group)]
        s_n, s_r = employed_status[(code, year, group)], rate_status[(code, year, group)]
        rows.append((code, int(year), f"employed_{suffix[group]}", n, s_n))
        usable = s_n == "ok" and s_r == "ok" and r > 0
        worst = "suppressed" if "suppressed" in (s_n, s_r) else "missing"
        rows.append((code, int(year), f"population_15_74_{suffix[group]}",
                     n / r * 100 if usable else np.nan, "ok" if usable else worst))
    out = pd.DataFrame(rows, columns=RAW_COLUMNS)
    out["code"] = pad_code(out["code"])
    return out


# -- introduction programme ----------------------------------------------------------------
YEARS_AFTER = {"ettaar": 1, "toaar": 2, "treaar": 3, "fireaar": 4, "femaar": 5}
INTRO_COLUMN = re.compile(
    r"avslutta\.(?P<after>\w+?)_kjonn\.alle_avslutning\.status\.4\.(?P<status>alle|arbutd)"
    r"_aar\.(?P<year>\d{4})_enhet\.personer$")


def imdi_intro_status(files: dict[str, bytes]) -> pd.DataFrame:
    """intro_status_arbutd-kommune-*.csv: former participants by years since completing
    (1-5), status in November of `aar` ('arbutd' = in work and/or education). Wide, one
    column per combination; the 2011-2013 file does not zero-pad codes (101 = Halden).
    Gives, per n years after: the cohort (intro_cohort_{n}y) and those in work or
    education (intro_work_or_education_count_{n}y).

    These files write 0 also where they have no figure: 5 years after in 2011 is 0 for
    every kommune. A cohort of 0 and its count are therefore read as no figure
    (missing), never as 0: a true 0 cohort has no share either, and a sum over merged
    kommuner then says which part it lacks. Columns whose rows are out of line with the
    codes (3-5 years after in the 2011-2013 file, from Ålesund on: `out_of_line_rows`)
    are no figure there either."""
    out = []
    for name, data in files.items():
        frame = pd.read_csv(io.StringIO(decode_text(data)), sep=";", dtype=str,
                            keep_default_na=False)
        if "kommune_nr" not in frame.columns:
            raise SourceFormatError(f"{name}: mangler kommune_nr")
        matched = 0
        for column in frame.columns:
            m = INTRO_COLUMN.match(column)
            if not m or m["after"] not in YEARS_AFTER:
                continue
            matched += 1
            n = YEARS_AFTER[m["after"]]
            indicator = (f"intro_cohort_{n}y" if m["status"] == "alle"
                         else f"intro_work_or_education_count_{n}y")
            value, status = parse_amounts(frame[column])
            out.append(pd.DataFrame({"code": pad_code(frame["kommune_nr"]), "year": int(m["year"]),
                                     "indicator": indicator, "value": value, "status": status}))
        if not matched:
            raise SourceFormatError(f"{name}: fant ingen kolonner for introduksjonsprogrammet")
        out[-matched:] = without_rows_out_of_line(out[-matched:], out_of_line_rows(frame))
    return without_zero_cohorts(pd.concat(out, ignore_index=True)[RAW_COLUMNS])


def _cohort_column(frame: pd.DataFrame, n: int, year: int) -> np.ndarray | None:
    after = {v: k for k, v in YEARS_AFTER.items()}[n]
    column = f"avslutta.{after}_kjonn.alle_avslutning.status.4.alle_aar.{year}_enhet.personer"
    return pd.to_numeric(frame[column], errors="coerce").to_numpy() if column in frame else None


def out_of_line_rows(frame: pd.DataFrame, smallest: int = 10) -> dict[int, int]:
    """n years after -> the first row (in the file's order) from which that span's
    columns are out of line with the codes, found by following each cohort: the persons
    n-1 years after in one year are n years after in the next (Trondheim: 128 two years
    after in 2012, 125 three years after in 2013). In IMDi's 2011-2013 file that cohort
    stands one row lower from Ålesund (1504) on, three years after, and four and five
    years after follow: Trondheim 1601 has 0, Hemne 1612 Trondheim's 125, Snillfjord
    1613 (980 people) 87. A row is out of line where its cohort is not the one before
    it (within 3 persons or 12 %) but one of the next two rows' is; the span breaks
    after the last row in line before the rows out of line outnumber those in line.
    A span n breaks no later than span n-1: followed from a broken column, it is
    broken too. Only cohorts of `smallest` or more persons are followed."""
    years = sorted({int(m["year"]) for c in frame.columns if (m := INTRO_COLUMN.match(c))})

    def near(a: float, b: float) -> bool:  # the same cohort a year on
        return b > 0 and abs(a - b) <= max(3, 0.12 * a)

    breaks: dict[int, int] = {}
    for n in range(2, 6):
        first = len(frame)
        for year in years:
            before, now = _cohort_column(frame, n - 1, year - 1), _cohort_column(frame, n, year)
            if before is None or now is None:
                continue
            evidence = []  # (row, in line)
            for i, a in enumerate(before):
                if not a >= smallest:
                    continue
                if near(a, now[i]):
                    evidence.append((i, True))
                elif any(i + k < len(now) and near(a, now[i + k]) for k in (1, 2)):
                    evidence.append((i, False))
            for j, (row, in_line) in enumerate(evidence):
                later = [ok for _, ok in evidence[j:]]
                if not in_line and later.count(False) > later.count(True):
                    first = min(first, evidence[j - 1][0] + 1 if j else 0)
                    break
        if n - 1 in breaks:
            first = min(first, breaks[n - 1])
        if first < len(frame):
            breaks[n] = first
    return breaks


def without_rows_out_of_line(parts: list[pd.DataFrame], breaks: dict[int, int]) -> list[pd.DataFrame]:
    """`parts` (one per column, rows in the file's order) with the rows of spans out of
    line (`out_of_line_rows`) as missing: a figure under the wrong code is no figure."""
    out = []
    for part in parts:
        n = int(part["indicator"].iloc[0][-2])
        if n in breaks:
            gone = np.arange(len(part)) >= breaks[n]
            part = part.assign(value=part["value"].mask(gone), status=part["status"].mask(gone, "missing"))
        out.append(part)
    return out


def without_zero_cohorts(frame: pd.DataFrame) -> pd.DataFrame:
    """A cohort given as 0, and the count of that cohort, become missing (see
    imdi_intro_status). The count of a suppressed cohort (':') is suppressed too: these
    files give it as ':' or 0, never as more (307 of 307 in the 2014 file), so its 0 is
    the file's placeholder beside a hidden cohort (Bjerkreim 2014, one year after), not
    a count of none."""
    after = frame["indicator"].str.extract(r"_(\d)y$", expand=False)
    cohort = frame["indicator"].str.startswith("intro_cohort_")

    def counts_of(cohorts: pd.Series) -> pd.Series:  # the rows of those cohorts and their counts
        keys = set(zip(frame.loc[cohorts, "code"], frame.loc[cohorts, "year"], after[cohorts]))
        return pd.Series([key in keys for key in zip(frame["code"], frame["year"], after)], index=frame.index)

    empty = counts_of(cohort & (frame["status"] == "ok") & (frame["value"] == 0))
    hidden = counts_of(cohort & (frame["status"] == "suppressed")) & ~cohort & ~empty
    return frame.assign(value=frame["value"].mask(empty | hidden),
                        status=frame["status"].mask(empty, "missing").mask(hidden, "suppressed"))


# -- centrality and KOSTRA groups -----------------------------------------------------------
CLASS_COLUMNS = {"centrality_class": "sentralitetsklasse", "kostra_group": "kostragruppe"}


def class_csv(data: bytes, indicator: str) -> pd.DataFrame:
    """sentralitet-kostragruppe-2024.csv: per 2024 kommune, SSB's centrality class
    (1 most central ... 6 least) and KOSTRA group (EKG01-EKG17), valid for 2024.
    Returns one of the two as `indicator` (the group number: EKG13 -> 13)."""
    frame = pd.read_csv(io.StringIO(decode_text(data)), dtype=str, keep_default_na=False)
    column = CLASS_COLUMNS[indicator]
    for needed in ["kommunenummer", column]:
        if needed not in frame.columns:
            raise SourceFormatError(f"sentralitet/KOSTRA mangler kolonnen {needed}")
    value, status = parse_amounts(frame[column].str.extract(r"(\d+)", expand=False))
    return pd.DataFrame({"code": pad_code(frame["kommunenummer"]), "year": 2024,
                         "indicator": indicator, "value": value, "status": status})[RAW_COLUMNS]


def klass_correspondence(data: bytes, indicator: str, year: int = 2024) -> pd.DataFrame:
    """KLASS `correspondsAt.json`: {"correspondenceItems": [{"sourceCode": "0301",
    "targetCode": "1" or "EKG13", ...}]} -> the class number per kommune."""
    doc = json.loads(decode_text(data))
    items = doc.get("correspondenceItems")
    if items is None:
        raise SourceFormatError("KLASS-svaret mangler correspondenceItems")
    frame = pd.DataFrame(items)
    if frame.empty or not {"sourceCode", "targetCode"} <= set(frame.columns):
        raise SourceFormatError("KLASS-korrespondansen mangler sourceCode/targetCode")
    value, status = parse_amounts(frame["targetCode"].astype(str).str.extract(r"(\d+)", expand=False))
    return pd.DataFrame({"code": pad_code(frame["sourceCode"]), "year": year,
                         "indicator": indicator, "value": value, "status": status})[RAW_COLUMNS]


# -- fylke reference figures ----------------------------------------------------------------
def fylke_stay_share(data: bytes, fylker: dict[str, str]) -> dict[str, float]:
    """bofasthet_fylke.csv: share (%) of settled refugees still in their first kommune
    after five years, by fylke (2024 division, by name). -> {fylke code: share}."""
    frame = pd.read_csv(io.StringIO(decode_text(data)), sep=";", dtype=str,
                        skipinitialspace=True, keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    by_name = {name: code for code, name in fylker.items()}
    out = {}
    for _, row in frame.iterrows():
        code = by_name.get(row["Fylke"].strip())
        if code is None:
            raise SourceFormatError(f"bofasthet_fylke: ukjent fylke {row['Fylke']!r}")
        out[code] = float(row["Bosatt i første bostedskommune"])
    return out


def fylke_intro_share(data: bytes) -> dict[str, float]:
    """intro_arbeid_utdanning_fylke.csv: share (%) in work or education one year after
    the programme, 2024, by fylke of the 2020 division (by name) and Norway."""
    frame = pd.read_csv(io.StringIO(decode_text(data)), dtype=str, keep_default_na=False)
    if list(frame.columns[:2]) != ["Fylke", "Andel 2024"]:
        raise SourceFormatError("intro_arbeid_utdanning_fylke: uventede kolonner")
    return {row["Fylke"].strip(): float(row["Andel 2024"]) for _, row in frame.iterrows()}
