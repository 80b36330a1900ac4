"""Old kommune codes -> today's 357 kommuner.

Counts are summed across mergers. A kommune that was later split hands each part its
share: by population share when the parts come only from that kommune (Ålesund 1507 ->
Ålesund 1508 + Haram 1580), otherwise by the weights of the change table (Tysfjord,
Snillfjord). Rates are never harmonised: they are recomputed later from harmonised
numerators and denominators.

Status of a harmonised figure:
  ok          every part had a figure
  estimated   every part had a figure, and some came from a split (apportioned)
  incomplete  some parts had a figure and some not: the sum of the published parts (a
              sum of zeros only is no figure: suppressed or missing, as its parts)
  suppressed  no part had a figure and at least one was suppressed
  missing     no part had a figure
The `conversion` column records what was done, for the notes shown in the app:
  ""                      same code then and now
  "renumbered:0219"       one old code, another number
  "merged:1504+1523"      several old codes summed
  "split:1507:0.862"      a share of a split kommune (may follow a merged: part)
  "hidden:1243"           of an incomplete sum: the parts that were suppressed ...
  "absent:1523+1529"      ... and those that had no figure (also a code in force that
                          the source lists in other years but not this one)
  "matched"               (a rate, derive.py) over the former kommuner with figures,
                          its count and denominator lacking the same ones (a part
                          hidden in one input is left out of the others too:
                          derive.common_parts) ...
  "inputs:40/61"          ... and the figures it was computed from (the trace shows them)
  "unmatched"             (a rate, difference or growth) no figure: its inputs cover
                          different former kommuner (derive.without_mixed_sums)
  "unknown:12/27"         (a kommune's share that stayed) persons of unstated settlement
                          left out, of everyone (derive.note_unknown_stay)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogue import INDICATORS
from .kommuner import SVALBARD_PREFIXES, UNKNOWN_KOMMUNE

TIDY_COLUMNS = ["kommunenummer", "year", "indicator", "value", "status", "conversion"]
VALUE_STATUSES = ("ok", "estimated", "incomplete", "partial-year")


def conversion_pieces(conversion: str | None) -> dict[str, str]:
    """'merged:1504+1523;hidden:1523;matched' -> {'merged': '1504+1523', 'hidden': '1523',
    'matched': ''}: the conversion note (above) by its keys."""
    return dict(p.partition(":")[::2] for p in (conversion or "").split(";") if p)


class HarmonisationReport(list):
    """Problems found while harmonising (shown in the refresh report)."""


def population_split_weights(crosswalk: pd.DataFrame, population: pd.DataFrame,
                             years: range) -> dict[tuple[str, str, int], float]:
    """(split_of, target, year) -> share, from population on 2024 boundaries, for splits
    whose targets receive from nothing else in that year. Between two years in which
    every target has its own population figure, the shares move in a straight line from
    the one to the other; outside them, the nearest such year's. (The nearest year's
    alone jumped: Haram's estimated population fell by 278 from 2021 to 2022, the 2019
    share giving way to 2024's, while it grew by 0.7 %.)"""
    pop = population[population["status"] == "ok"].set_index(["kommunenummer", "year"])["value"]
    weights: dict[tuple[str, str, int], float] = {}
    splits = crosswalk[crosswalk["split_of"] != ""]
    for (split_of, code), group in splits.groupby(["split_of", "code"]):
        targets = sorted(group["target"])
        start, end = int(group["valid_from"].iloc[0]), int(group["valid_to"].iloc[0])
        known = sorted(y for y in pop.index.get_level_values(1).unique()
                       if all((t, y) in pop.index for t in targets))
        if not known:
            continue

        def shares(y: int) -> dict[str, float]:
            total = sum(pop[(t, y)] for t in targets)
            return {t: pop[(t, y)] / total for t in targets}

        for year in years:
            if not start <= year <= end:
                continue
            valid = crosswalk[(crosswalk["valid_from"] <= year) & (crosswalk["valid_to"] >= year)]
            feeders = set(valid[valid["target"].isin(targets)]["code"]) - set(targets)
            if feeders != {code}:
                continue  # targets also receive other kommuner: keep the table's weights
            before = [y for y in known if y <= year]
            after = [y for y in known if y >= year]
            if before and after:
                low, high = before[-1], after[0]
                along = 0.0 if high == low else (year - low) / (high - low)
                low_shares, high_shares = shares(low), shares(high)
                for t in targets:
                    weights[(split_of, t, year)] = low_shares[t] + along * (high_shares[t] - low_shares[t])
            else:
                for t, share in shares(before[-1] if before else after[0]).items():
                    weights[(split_of, t, year)] = share
    return weights


def listed_parts(raw: pd.DataFrame, crosswalk: pd.DataFrame,
                 report: HarmonisationReport, zero_placeholders: bool = True) -> pd.DataFrame:
    """Join each source row to the 2024 kommune(s) its code belongs to.

    Sources code their figures in their own way: IMDi lists every code it ever used for
    every year ('.' where the code was not in use) and sometimes files a year under the
    code of a later reform (Harstad 1903 in 2012, Trondheim 1601 in 2018-2019). So the
    parts of a kommune are the codes the source lists, whatever the year, except that a
    row without a figure ('.', or 0 where `zero_placeholders`) for a code that was not in
    force that year is a placeholder, not a missing part, unless a code of the same
    period and kommune has a figure that year (the source used that period's codes
    then). A code used twice is matched to its nearest period."""
    joined = raw.merge(crosswalk, on="code", how="left")
    unknown = joined[joined["target"].isna()]
    with_figure = (unknown["status"] == "suppressed") | (unknown["value"].fillna(0) != 0)
    for row in unknown[with_figure].drop_duplicates("code").itertuples():
        report.append(f"Kode {row.code} ({row.indicator} {row.year}) finnes ikke i "
                      f"kommuneendringene og er utelatt (not in the code changes, left out)")
    joined = joined[joined["target"].notna()].copy()
    distance = np.maximum(joined["valid_from"] - joined["year"], 0) + np.maximum(
        joined["year"] - joined["valid_to"], 0)
    joined["distance"] = distance
    nearest = joined.groupby(["code", "year", "indicator"])["distance"].transform("min")
    joined = joined[joined["distance"] == nearest]
    no_figure = joined["status"] == "missing"
    if zero_placeholders:
        no_figure |= (joined["status"] == "ok") & (joined["value"] == 0)
    # Where the source filed a year under a past period's codes for a kommune (IMDi's
    # Trøndelag in 2018-2019: Steinkjer 1702 has 28, Verran 1724 '.'), a sibling code of
    # that period without a figure is a missing part of the sum, not a placeholder.
    period = ["target", "year", "indicator", "valid_to"]
    filed_here = (joined["distance"] > 0) & ~no_figure
    filed_under_period = filed_here.groupby([joined[c] for c in period]).transform("any")
    placeholder = (joined["distance"] > 0) & no_figure & ~filed_under_period
    kept = joined[~placeholder]
    return pd.concat([kept, unlisted_parts(raw, crosswalk, kept, zero_placeholders)], ignore_index=True)


def unlisted_parts(raw: pd.DataFrame, crosswalk: pd.DataFrame, parts: pd.DataFrame,
                   zero_placeholders: bool = True) -> pd.DataFrame:
    """The parts a source leaves out, as parts without a figure: a code in force in a
    year for a kommune that the source lists in other years but not in this one (IMDi's
    stay table has Rennesøy 1142 in 2014 and 2016, no row in 2015). Left out, the sum of
    Stavanger's other parts would pass for the whole. Only where the source used that
    year's codes for the kommune: no part of it was filed under another period's code."""
    if parts.empty:
        return parts.iloc[0:0]
    # A source that lists only the codes in use (zero_placeholders off: IMDi's stay
    # table) and never lists one of them has no figure for it: a missing part too
    # (Granvin 1234 in Voss, Tjeldsund 1852, Roan 1632). Others list every code they
    # ever used, so a code they never list is not theirs to lack.
    in_force = (crosswalk if not zero_placeholders else
                crosswalk[crosswalk["code"].isin(set(raw["code"]))]).merge(
        pd.DataFrame({"year": sorted(raw["year"].unique())}), how="cross")
    in_force = in_force[in_force["year"].between(in_force["valid_from"], in_force["valid_to"])]
    in_force = in_force.merge(pd.DataFrame({"indicator": sorted(raw["indicator"].unique())}), how="cross")
    listed = raw[["code", "year", "indicator"]].drop_duplicates().assign(listed=True)
    unlisted = in_force.merge(listed, on=["code", "year", "indicator"], how="left")
    unlisted = unlisted[unlisted["listed"].isna()].drop(columns="listed")
    group = ["target", "year", "indicator"]
    other_period = (parts["distance"] > 0) & (parts["status"] != "missing")
    used_own_codes = (~other_period).groupby([parts[c] for c in group]).all().rename("own").reset_index()
    unlisted = unlisted.merge(used_own_codes[used_own_codes["own"]], on=group)
    return unlisted.drop(columns="own").assign(value=np.nan, status="missing", distance=0)


def conversion_notes(parts: pd.DataFrame) -> pd.DataFrame:
    """(target, year, indicator) -> conversion string, from the parts used."""
    grouped: dict[tuple, list[tuple[str, str, float, str]]] = {}
    for target, year, indicator, code, split_of, weight, status in parts[
            ["target", "year", "indicator", "code", "split_of", "weight", "status"]
    ].itertuples(index=False):
        grouped.setdefault((target, year, indicator), []).append((code, split_of, weight, status))
    rows = []
    for (target, year, indicator), items in grouped.items():
        codes = sorted(dict.fromkeys(code for code, _, _, _ in items))
        pieces = []
        if len(codes) > 1:
            pieces.append("merged:" + "+".join(codes))
        elif codes[0] != target:
            pieces.append("renumbered:" + codes[0])
        pieces += [f"split:{split_of}:{weight:.3f}" for _, split_of, weight, _ in items if split_of]
        lacking = {status: sorted({c for c, _, _, s in items if s == status})
                   for status in ("suppressed", "missing")}
        if len(lacking["suppressed"]) + len(lacking["missing"]) < len(codes):  # an incomplete sum
            pieces += [f"{name}:{'+'.join(lacking[status])}" for name, status in
                       (("hidden", "suppressed"), ("absent", "missing")) if lacking[status]]
        rows.append((target, year, indicator, ";".join(dict.fromkeys(pieces))))
    return pd.DataFrame(rows, columns=["target", "year", "indicator", "conversion"])


def harmonise(raw: pd.DataFrame, crosswalk: pd.DataFrame, kommuner: list[str],
              split_weights: dict[tuple[str, str, int], float] | None = None,
              report: HarmonisationReport | None = None,
              division: str = "yearly", zero_placeholders: bool = True,
              keep_zero_sums: bool = False) -> pd.DataFrame:
    """Raw (code, year, indicator, value, status) -> TIDY_COLUMNS on the 2024 division,
    one row per kommune x year x indicator (absent = missing), plus the '9999'
    unknown-kommune rows that belong in national totals only.

    division="yearly": codes of the source's own years (IMDi, SSB by year);
    division="current": codes are already today's (SSB summed to today's kommuner).
    zero_placeholders: see listed_parts.
    keep_zero_sums: an incomplete sum of 0 stays a figure: for a rate's inputs over the
    parts they share (derive.common_parts), where no hidden part can be all of it
    (Stad 2014: Eid's 41 settled here and 0 moved here, 0-4 years in Norway)."""
    report = HarmonisationReport() if report is None else report
    raw = raw[~raw["code"].str.startswith(SVALBARD_PREFIXES)]
    unknown = raw[raw["code"] == UNKNOWN_KOMMUNE]
    raw = raw[raw["code"] != UNKNOWN_KOMMUNE]
    years = sorted(raw["year"].unique())
    indicators = sorted(raw["indicator"].unique())

    if division == "current":
        raw = raw[raw["code"].isin(kommuner)]
        parts = raw.assign(target=raw["code"], split_of="", weight=1.0)
    else:
        parts = listed_parts(raw, crosswalk, report, zero_placeholders)
    if split_weights:
        keys = zip(parts["split_of"], parts["target"], parts["year"])
        parts = parts.assign(weight=[split_weights.get(k, w) for k, w in zip(keys, parts["weight"])])

    parts = parts.assign(
        part_value=parts["value"] * parts["weight"],
        is_ok=parts["status"] == "ok",
        is_suppressed=parts["status"] == "suppressed",
        is_split=parts["split_of"] != "",
    )
    out = parts.groupby(["target", "year", "indicator"], sort=False).agg(
        value=("part_value", lambda s: s.sum(min_count=1)),
        n_parts=("code", "size"),
        n_ok=("is_ok", "sum"),
        any_suppressed=("is_suppressed", "any"),
        any_split=("is_split", "any"),
    ).reset_index()
    out = out.merge(conversion_notes(parts), on=["target", "year", "indicator"], how="left")

    all_ok = out["n_ok"] == out["n_parts"]
    none_ok = out["n_ok"] == 0
    out["status"] = np.select(
        [all_ok & out["any_split"], all_ok, none_ok & out["any_suppressed"], none_ok],
        ["estimated", "ok", "suppressed", "missing"],
        default="incomplete",
    )
    out.loc[none_ok, "value"] = np.nan
    # Published parts that sum to 0 tell nothing about the whole: the hidden part may be
    # all of it (Os's hidden count beside Fusa's 0). Such a sum is no figure.
    if not keep_zero_sums:
        empty = (out["status"] == "incomplete") & (out["value"] == 0)
        out.loc[empty, "status"] = np.where(out.loc[empty, "any_suppressed"], "suppressed", "missing")
        out.loc[empty, "value"] = np.nan
    # Gross flows and derived denominators are not exact when summed over a merger.
    approximate = out["indicator"].map(
        lambda i: i in INDICATORS and INDICATORS[i].sum_over_merger_is_estimate)
    out.loc[approximate & (out["status"] == "ok")
            & out["conversion"].str.contains("merged:"), "status"] = "estimated"
    out = out.rename(columns={"target": "kommunenummer"})
    out = out[out["kommunenummer"].isin(kommuner)][TIDY_COLUMNS]

    # Every kommune has a row for every year the source covers: absent is missing.
    grid = pd.MultiIndex.from_product([kommuner, years, indicators],
                                      names=["kommunenummer", "year", "indicator"]).to_frame(index=False)
    out = grid.merge(out, on=["kommunenummer", "year", "indicator"], how="left")
    out["status"] = out["status"].fillna("missing")
    out["conversion"] = out["conversion"].fillna("")

    unknown_rows = unknown.rename(columns={"code": "kommunenummer"}).assign(conversion="")
    return pd.concat([out, unknown_rows[TIDY_COLUMNS]], ignore_index=True)


def repair_split_population(population: pd.DataFrame, crosswalk: pd.DataFrame,
                            split_weights: dict[tuple[str, str, int], float]) -> pd.DataFrame:
    """Population already summed to 2024 boundaries by a third party puts a split
    kommune's whole population on one part and 0 (read as missing) on the others
    (1508 Ålesund holds all of 1507 in 2020-2023; 1580 Haram is 0). Re-apportion such
    years with the population split weights and mark them estimated."""
    pop = population.copy()
    indexed = pop.set_index(["kommunenummer", "year"])
    splits = crosswalk[crosswalk["split_of"] != ""]
    for (split_of, code), group in splits.groupby(["split_of", "code"]):
        targets = sorted(group["target"])
        for year in range(int(group["valid_from"].iloc[0]), int(group["valid_to"].iloc[0]) + 1):
            if not all((t, year) in indexed.index for t in targets):
                continue
            rows = indexed.loc[[(t, year) for t in targets]]
            holders = rows[rows["status"] == "ok"]
            if len(holders) != 1 or not all((split_of, t, year) in split_weights for t in targets):
                continue
            total = float(holders["value"].iloc[0])
            for t in targets:
                share = split_weights[(split_of, t, year)]
                mask = (pop["kommunenummer"] == t) & (pop["year"] == year)
                pop.loc[mask, ["value", "status", "conversion"]] = [
                    total * share, "estimated", f"split:{split_of}:{share:.3f}"
                ]
    return pop
