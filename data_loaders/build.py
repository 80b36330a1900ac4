"""The refresh: fetch every source, parse, harmonise to 2024 kommuner, derive rates,
validate, and only then replace the store and the map boundaries.

Any failure stops the refresh with a message naming the source and the reason; the
last good store stays in place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from . import boundaries, kommuner, parse, parse_older
from .catalogue import INDICATORS, derived
from .derive import (QUALITY_ORDER, add_rates, aggregate_groups, common_parts, note_unknown_stay,
                     share_of_people, with_part_sizes, without_minor_parts)
from .fetch import Fetcher, SourceUnavailable
from .harmonise import (HarmonisationReport, harmonise, population_split_weights,
                        repair_split_population)
from .settings import Settings, load_settings
from .sources import SOURCES, Source
from .store import atomic_write_bytes, write_store


class RefreshFailed(RuntimeError):
    """The refresh stopped; nothing was replaced. `step` names the source."""

    def __init__(self, step: str, reason: str):
        super().__init__(f"{step}: {reason}")
        self.step, self.reason = step, reason


@dataclass
class Loaded:
    """One source's parsed content and where it came from."""
    content: object
    provenance: dict


@dataclass
class RefreshResult:
    rows: int
    kommuner: int
    warnings: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)


def _only(files: dict[str, bytes]) -> bytes:
    return next(iter(files.values()))


def _parser(fmt: str, source: Source, current: dict[str, str] | None,
            fylker: dict[str, str] | None) -> Callable[[dict[str, bytes]], object]:
    """The parser for one representation format; every parser takes {path: bytes}."""
    single = {
        "imdi_settlement_csv": parse.imdi_settlement,
        "imdi_stay_csv": parse.imdi_refugee_stay,
        "jsonstat2_population": parse.jsonstat2_population,
        "jsonstat2_immigrants": parse.jsonstat2_immigrants,
        "ssb_population_extract": parse.ssb_population_extract,
        "klass_codes_csv": parse.klass_codes_csv,
        "geojson": parse.geojson,
        "imdi_employment": parse_older.imdi_employment,
        "centrality_csv": lambda data: parse_older.class_csv(data, "centrality_class"),
        "kostra_csv": lambda data: parse_older.class_csv(data, "kostra_group"),
        "klass_correspondence_centrality":
            lambda data: parse_older.klass_correspondence(data, "centrality_class"),
        "klass_correspondence_kostra":
            lambda data: parse_older.klass_correspondence(data, "kostra_group"),
    }
    if fmt in single:
        return lambda files: single[fmt](_only(files))
    multi = {
        "imdi_population_main_groups": parse.imdi_population_main_groups,
        "imdi_migration": parse_older.imdi_migration,
        "imdi_intro_status": parse_older.imdi_intro_status,
    }
    if fmt in multi:
        return multi[fmt]
    if fmt in ("jsonstat2_migration", "jsonstat2_employment", "jsonstat2_intro"):
        return lambda files: parse.jsonstat2_named(_only(files), source.jsonstat_names)
    if fmt == "klass_changes_json":
        return lambda files: kommuner.crosswalk_from_klass_changes(_only(files), current or {})
    if fmt == "fhi_changes_xlsx":
        return lambda files: kommuner.crosswalk_from_fhi(*files.values(), current or {})
    if fmt == "fylke_references":
        def references(files):
            stay, intro = files.values()
            return {"stay_5y": parse_older.fylke_stay_share(stay, fylker or {}),
                    "intro_1y": parse_older.fylke_intro_share(intro)}
        return references
    raise ValueError(f"unknown format {fmt}")


def load_source(source: Source, settings: Settings, fetcher: Fetcher,
                current: dict[str, str] | None = None,
                fylker: dict[str, str] | None = None) -> Loaded:
    """Read one source from the mirror (first representation present) or the web."""
    if settings.mirror:
        for rep in source.representations:
            paths = []
            for pattern in rep.paths:
                found = sorted(settings.mirror.glob(pattern))
                if not found:
                    break
                paths.extend(found)
            else:
                files = {str(p.relative_to(settings.mirror)): p.read_bytes() for p in paths}
                fmt, origin = rep.format, [str(p) for p in paths]
                break
        else:
            wanted = " eller ".join(", ".join(r.paths) for r in source.representations)
            raise SourceUnavailable(f"fant ikke {wanted} i {settings.mirror}")
        retrieved = datetime.now(timezone.utc)
        fetcher_sha = hashlib.sha256(next(iter(files.values()))).hexdigest()
        publisher_retrieval = source.documented_retrieval(fetcher_sha)
    else:
        if not source.url(settings):
            raise SourceUnavailable("ingen nettkilde er satt opp ennå; les den fra en speilmappe "
                                    "(no live endpoint yet: read it from a mirror)")
        fetched = fetcher.get(source.url(settings))
        files = {source.live_path: fetched.content}
        fmt, origin, retrieved = source.live_format, [fetched.origin], fetched.retrieved
        fetcher_sha = fetched.sha256
        publisher_retrieval = retrieved.strftime("%Y-%m-%d")
    content = _parser(fmt, source, current, fylker)(files)
    provenance = {
        "source": source.id, "publisher": source.publisher, "table": source.table,
        "title_nb": source.title_nb, "title_en": source.title_en, "licence": source.licence,
        "homepage": source.homepage, "attribution": source.attribution,
        "mode": settings.mode, "format": fmt, "origin": origin,
        "read_at": retrieved.isoformat(timespec="seconds"),
        "retrieved": publisher_retrieval, "sha256": fetcher_sha,
    }
    return Loaded(content, provenance)


def former_kommune_sizes(loaded: dict[str, Loaded]) -> pd.DataFrame | None:
    """Population 1 January on each year's own codes (1986-2015, from IMDi's exports of
    SSB's population table; derive.with_part_sizes), where that source was read so;
    None otherwise (SSB's live table 09817 is on today's kommuner). Without it, a rate
    over matched parts is given as before, marked incomplete and naming the parts it
    lacks, without the share of people it covers."""
    item = loaded.get("ssb_09817")
    if item is None or not isinstance(item.content, pd.DataFrame):
        return None
    rows = item.content[item.content["indicator"] == parse.FORMER_POPULATION]
    return rows if not rows.empty else None


def _partial_year(provenance: dict) -> int | None:
    """The year in which the source was retrieved, if known (YYYY-MM[-DD])."""
    retrieved = provenance.get("retrieved")
    return int(retrieved[:4]) if retrieved else None


def mark_partial_year(tidy: pd.DataFrame, indicators: set[str], year: int | None) -> pd.DataFrame:
    if year is None:
        return tidy
    mask = (tidy["indicator"].isin(indicators) & (tidy["year"] == year)
            & tidy["status"].isin(QUALITY_ORDER))
    tidy.loc[mask, "status"] = "partial-year"
    return tidy


def group_rows(tidy: pd.DataFrame, kommune_codes: list[str],
               common_inputs: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Figures for Norway ('0000') and for every peer group, computed from the members'
    numerators and denominators: fylker ('F46'), KOSTRA groups ('K12') and centrality
    classes ('S2'). Norway includes settled refugees with unknown kommune ('9999').
    A rate with `common_inputs` (derive.add_rates) sums the members' inputs its own
    figures were made of: a member's rate over part of its former kommuner counts in
    the group's as in its own (Drammen's 40 of 61 in 2013).
    `conversion` records coverage as 'covered:40/43' when not every member has a figure,
    and 'partial_members:1103' where a member's own figure is an incomplete sum."""
    classes = {}
    for indicator, prefix in (("kostra_group", "K"), ("centrality_class", "S")):
        rows = tidy[(tidy["indicator"] == indicator) & (tidy["status"] == "ok")]
        classes[prefix] = {k: f"{prefix}{int(v)}" for k, v in zip(rows["kommunenummer"], rows["value"])}
    families = [
        ({k: kommuner.NORWAY for k in kommune_codes}, (kommuner.UNKNOWN_KOMMUNE,)),
        ({k: "F" + kommuner.fylke_of(k) for k in kommune_codes}, ()),
        (classes["K"], ()), (classes["S"], ()),
    ]
    parts = []
    for indicator in tidy["indicator"].unique():
        for group_of, extra in families:
            if not group_of:
                continue
            agg = aggregate_groups((common_inputs or {}).get(indicator, tidy), group_of, indicator,
                                   extra_count_members=extra)
            agg["indicator"] = indicator
            parts.append(agg)
    out = pd.concat(parts, ignore_index=True).rename(columns={"group": "kommunenummer"})
    partial = out["covered"] < out["members"]
    out["conversion"] = np.where(partial, "covered:" + out["covered"].astype(str) + "/"
                                 + out["members"].astype(str), "")
    # A member's own incomplete sum makes the group's incomplete too: named in the note.
    with_partial = out["partial"].ne("") & out["status"].eq("incomplete")
    out.loc[with_partial, "conversion"] = [";".join(filter(None, (c, f"partial_members:{p}")))
                                           for c, p in zip(out.loc[with_partial, "conversion"],
                                                           out.loc[with_partial, "partial"])]
    # A group's share of a cohort records what it is of (derive.recorded_denominator).
    out["conversion"] = [";".join(filter(None, (c, i))) for c, i in zip(out["conversion"], out["inputs"].fillna(""))]
    # A group's in- or out-migration is its kommuner's summed, moves between them
    # included (Nordland 2013: 8,182 moves into its kommuner, 4,284 into the fylke).
    between = out["indicator"].map(lambda i: INDICATORS[i].moves_between_kommuner)
    out.loc[between, "conversion"] = out.loc[between, "conversion"].map(
        lambda c: ";".join(filter(None, ("member_sum:moves", c))))
    return out[["kommunenummer", "year", "indicator", "value", "status", "conversion"]]


def validate(values: pd.DataFrame, kommune_codes: list[str]) -> list[str]:
    problems = []
    dupes = values.duplicated(["kommunenummer", "year", "indicator"])
    if dupes.any():
        problems.append(f"{int(dupes.sum())} doble rader")
    has_value = values["status"].isin(QUALITY_ORDER)
    if values.loc[has_value, "value"].isna().any():
        problems.append("rader med status uten verdi")
    if values.loc[~has_value, "value"].notna().any():
        problems.append("manglende/skjulte rader med verdi")
    may_be_negative = values["indicator"].map(
        lambda i: INDICATORS[i].palette == "diverging" if i in INDICATORS else False)
    if (values.loc[has_value & ~may_be_negative, "value"] < 0).any():
        problems.append("negative tall")
    present = set(values["kommunenummer"]) & set(kommune_codes)
    if len(present) != len(kommune_codes):
        problems.append(f"{len(kommune_codes) - len(present)} kommuner uten tall")
    return problems


# Kommune division of each format's codes: each year's own, or already today's.
DIVISION = {
    "ssb_population_extract": "current", "jsonstat2_population": "current",
    "jsonstat2_immigrants": "current", "jsonstat2_migration": "current",
    "jsonstat2_employment": "current", "jsonstat2_intro": "current",
    "centrality_csv": "current", "kostra_csv": "current",
    "klass_correspondence_centrality": "current", "klass_correspondence_kostra": "current",
    "imdi_settlement_csv": "yearly", "imdi_stay_csv": "yearly",
    "imdi_population_main_groups": "yearly", "imdi_migration": "yearly",
    "imdi_employment": "yearly", "imdi_intro_status": "yearly",
}

# In this order: the kommune list and the crosswalk come first; population before the
# statistics (split weights); boundaries last.
STEPS = ["klass_131", "klass_104", "klass_131_changes", "ssb_07459",
         "imdi_bosatt_anmodede", "imdi_flyktning_botid_flytting", "ssb_09817",
         "ssb_09588", "ssb_11607", "ssb_intro", "klass_centrality", "klass_kostra",
         "imdi_fylke_references", "kartverket_kommuner"]
STATISTICS = ["imdi_bosatt_anmodede", "imdi_flyktning_botid_flytting", "ssb_09817",
              "ssb_09588", "ssb_11607", "ssb_intro", "klass_centrality", "klass_kostra"]


def split_kommuner(crosswalk: pd.DataFrame) -> dict[str, dict]:
    """{split code: {"year": first year after it, "into": [today's codes]}}."""
    out = {}
    for code in sorted(set(crosswalk["split_of"]) - {""}):
        own = crosswalk[crosswalk["code"] == code]
        if not own.empty:
            out[code] = {"year": int(own["valid_to"].max()) + 1, "into": sorted(set(own["target"]))}
    return out


def refresh(settings: Settings | None = None, fetcher: Fetcher | None = None,
            progress: Callable[[str, int, int], None] | None = None) -> RefreshResult:
    settings = settings or load_settings()
    fetcher = fetcher or Fetcher(settings)
    loaded: dict[str, Loaded] = {}
    report = HarmonisationReport()
    current: dict[str, str] | None = None
    fylker: dict[str, str] | None = None
    total = len(STEPS) + 1
    for number, step in enumerate(STEPS):
        source = SOURCES[step]
        label = f"{source.publisher} {source.table}"
        if progress:
            progress(label, number, total)
        try:
            loaded[step] = load_source(source, settings, fetcher, current, fylker)
        except (SourceUnavailable, parse.SourceFormatError, ValueError, KeyError) as exc:
            if source.required:
                raise RefreshFailed(label, str(exc)) from exc
            report.append(f"{label} ble ikke lest, tallene mangler (not read, its figures are "
                          f"missing): {exc}")
            continue
        if step == "klass_131":
            current = kommuner.current_kommuner(loaded[step].content)
        if step == "klass_104":
            # Fylker that have kommuner today (KLASS 104 also lists 99 "Uoppgitt").
            fylker = {c: n for c, n in zip(loaded[step].content["code"],
                                           loaded[step].content["name"])
                      if any(k.startswith(c) for k in current or {})}
    if progress:
        progress("harmonisering og kontroll", len(STEPS), total)

    assert current is not None and fylker is not None
    if "kartverket_kommuner" in loaded:
        current, renamed = kommuner.with_full_names(current, loaded["kartverket_kommuner"].content)
        report.extend(renamed)
    codes = sorted(current)
    crosswalk = loaded["klass_131_changes"].content

    def in_range(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[(frame["year"] >= kommuner.FIRST_YEAR) & frame["indicator"].isin(INDICATORS)]

    try:
        population = harmonise(in_range(loaded["ssb_07459"].content), crosswalk, codes,
                               report=report, division="current")
        years = range(kommuner.FIRST_YEAR, int(population["year"].max()) + 1)
        weights = population_split_weights(crosswalk, population, years)
        parts = [repair_split_population(population, crosswalk, weights)]
        common_inputs: dict[str, pd.DataFrame] = {}
        part_people: dict[str, pd.Series] = {}
        former_population = former_kommune_sizes(loaded)
        whole_people = None if former_population is None else harmonise(
            former_population, crosswalk, codes, weights, HarmonisationReport())
        for step in STATISTICS:
            if step not in loaded:
                continue
            source, item = SOURCES[step], loaded[step]
            division = DIVISION[item.provenance["format"]]

            def harmonised(raw: pd.DataFrame, notes: HarmonisationReport, common: bool = False) -> pd.DataFrame:
                tidy = harmonise(raw, crosswalk, codes, weights, notes, division=division,
                                 zero_placeholders=source.zero_placeholders, keep_zero_sums=common)
                if source.accumulates_through_year:
                    tidy = mark_partial_year(tidy, set(tidy["indicator"]), _partial_year(item.provenance))
                return tidy

            raw = in_range(item.content)
            parts.append(harmonised(raw, report))
            if division == "yearly":  # on former kommuner's codes: rates over the same ones
                for ind in derived():
                    inputs = {ind.numerator, *ind.denominator}
                    if ind.kind == "rate" and inputs <= set(raw["indicator"]):
                        common = common_parts(raw, inputs)
                        common_inputs[ind.id] = harmonised(common, HarmonisationReport(), common=True)
                        if former_population is not None:
                            sizes = with_part_sizes(common, ind.denominator[0], former_population,
                                                    source.zero_placeholders)
                            part_people[ind.id] = share_of_people(
                                harmonised(sizes, HarmonisationReport()), whole_people)
        values = add_rates(pd.concat(parts, ignore_index=True), common_inputs, part_people)
        common_inputs = without_minor_parts(common_inputs, values)
        values = pd.concat([values, group_rows(values, codes, common_inputs)], ignore_index=True)
        values = note_unknown_stay(values)
        values = values.sort_values(["indicator", "kommunenummer", "year"]).reset_index(drop=True)

        simplified = boundaries.simplify_boundaries(loaded["kartverket_kommuner"].content, current)
        boundary_bytes = boundaries.encode(simplified)
        fylke_bytes = boundaries.encode(boundaries.fylke_outlines(simplified))
    except parse.SourceFormatError as exc:
        raise RefreshFailed("harmonisering", str(exc)) from exc

    problems = validate(values, codes)
    if problems:
        raise RefreshFailed("kontroll", "; ".join(problems))

    references = loaded.get("imdi_fylke_references")
    meta = {
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "mode": settings.mode,
        "mirror": str(settings.mirror) if settings.mirror else None,
        "sources": {k: v.provenance for k, v in loaded.items()},
        "kommuner": current,
        "fylker": fylker,
        "former_kommuner": dict(zip(crosswalk["code"], crosswalk["name"])),
        # Where each former code went (a link with an old number can say so).
        "former_targets": {code: sorted(set(group["target"])) for code, group
                           in crosswalk[~crosswalk["code"].isin(current)].groupby("code")},
        # Each split kommune: the year of its split and today's kommuner it went to
        # (a figure shared out from it says so: "delt i tre i 2020").
        "splits": split_kommuner(crosswalk),
        "fylke_references": references.content if references else {},
        "warnings": list(report),
        "boundaries_bytes": len(boundary_bytes),
    }
    atomic_write_bytes(settings.boundaries_path, boundary_bytes)
    atomic_write_bytes(settings.fylker_path, fylke_bytes)
    write_store(settings.store_path, values, meta)
    if progress:
        progress("ferdig", total, total)
    return RefreshResult(rows=len(values), kommuner=len(codes), warnings=list(report),
                         log=fetcher.log)
