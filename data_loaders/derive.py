"""Derived figures: rates from counts, and sums over groups of kommuner.

Both follow one status rule (`combined_status`): a figure built from parts has a value
only if its parts do, and carries the weakest quality of its parts:
  partial-year > incomplete > estimated > ok.
Group rates are sums of members' numerators over sums of the same members'
denominators: a member without both is left out, and the group figure is then
'incomplete' with the count of members it covers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogue import INDICATORS, Indicator, derived
from .harmonise import TIDY_COLUMNS

QUALITY_ORDER = ["ok", "estimated", "incomplete", "partial-year"]
_RANK = {s: i for i, s in enumerate(QUALITY_ORDER)}


def combined_status(statuses: pd.DataFrame) -> pd.Series:
    """Row-wise status of a figure made from the columns' parts."""
    has_value = statuses.isin(QUALITY_ORDER).all(axis=1)
    any_suppressed = (statuses == "suppressed").any(axis=1)
    rank = statuses.apply(lambda col: col.map(_RANK)).max(axis=1)
    quality = rank.fillna(0).astype(int).map(dict(enumerate(QUALITY_ORDER)))
    return pd.Series(
        np.where(has_value, quality, np.where(any_suppressed, "suppressed", "missing")),
        index=statuses.index,
    )


def _wide(tidy: pd.DataFrame, indicator: str, members: set[str] | None = None) -> pd.DataFrame:
    part = tidy[tidy["indicator"] == indicator]
    if members is not None:
        part = part.assign(status=settle_complete_splits(part, members))
    return part.set_index(["kommunenummer", "year"])[["value", "status", "conversion"]]


def _combine(parts: list[pd.DataFrame]) -> tuple[pd.MultiIndex, list[pd.DataFrame]]:
    index = parts[0].index
    for part in parts[1:]:
        index = index.intersection(part.index)
    return index, [p.reindex(index) for p in parts]


def derive_rate(tidy: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """Kommune-level rows of a derived indicator (rate, difference or growth)."""
    if ind.kind == "growth":
        base = _wide(tidy, ind.numerator).reset_index()
        before = base.assign(year=base["year"] + 1).set_index(["kommunenummer", "year"])
        index, (now, prev) = _combine([base.set_index(["kommunenummer", "year"]), before])
        status = combined_status(pd.concat([now["status"], prev["status"]], axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            value = (now["value"] - prev["value"]) / prev["value"] * 100
        usable = status.isin(QUALITY_ORDER) & (prev["value"] > 0)
        conversion = now["conversion"]
    else:
        index, parts = _combine([_wide(tidy, ind.numerator)]
                                + [_wide(tidy, d) for d in ind.denominator])
        num, dens = parts[0], parts[1:]
        status = combined_status(pd.concat([p["status"] for p in parts], axis=1))
        denominator = sum(d["value"] for d in dens)
        with np.errstate(divide="ignore", invalid="ignore"):
            if ind.kind == "difference":
                value = num["value"] - denominator
                usable = status.isin(QUALITY_ORDER)
            else:
                value = num["value"] / denominator * ind.scale
                usable = status.isin(QUALITY_ORDER) & (denominator > 0)
        conversion = num["conversion"]
    status = status.where(usable | ~status.isin(QUALITY_ORDER), "missing")
    out = pd.DataFrame({"value": value.where(usable), "status": status,
                        "conversion": conversion}, index=index).reset_index()
    out["indicator"] = ind.id
    return out[TIDY_COLUMNS]


def add_rates(tidy: pd.DataFrame) -> pd.DataFrame:
    """Add every derived indicator whose inputs are in `tidy` (inputs first)."""
    present = set(tidy["indicator"].unique())
    derived_rows: list[pd.DataFrame] = []
    for ind in derived():
        inputs = {ind.numerator, *ind.denominator}
        if not inputs <= present:
            continue
        uses_derived = inputs - set(tidy["indicator"].unique())
        source = pd.concat([tidy, *derived_rows], ignore_index=True) if uses_derived else tidy
        derived_rows.append(derive_rate(source, ind))
        present.add(ind.id)
    return pd.concat([tidy, *derived_rows], ignore_index=True)


def settle_complete_splits(rows: pd.DataFrame, members: set[str]) -> pd.Series:
    """Statuses of `rows` (one indicator, all kommuner) for summing over `members`.
    A group that holds every part of a split kommune holds the whole, measured figure,
    so those parts' 'estimated' status becomes 'ok' within the group."""
    status = rows["status"].copy()
    source = rows["conversion"].str.extract(r"split:(\d{4})", expand=False)
    split_rows = rows.assign(source=source).dropna(subset=["source"])
    for _, part in split_rows.groupby(["year", "source"]):
        if set(part["kommunenummer"]) <= members:
            index = part.index[status[part.index] == "estimated"]
            status[index] = "ok"
    return status


def _sum_group(rows: pd.DataFrame, n_members: int) -> tuple[float, str, int]:
    with_value = rows[rows["status"].isin(QUALITY_ORDER)]
    if with_value.empty:
        return np.nan, ("suppressed" if (rows["status"] == "suppressed").any() else "missing"), 0
    quality = max(with_value["status"], key=_RANK.get)
    if len(with_value) < n_members:
        quality = max(quality, "incomplete", key=_RANK.get)
    return float(with_value["value"].sum()), quality, len(with_value)


def aggregate(tidy: pd.DataFrame, members: list[str], indicator: str,
              extra_count_members: tuple[str, ...] = ()) -> pd.DataFrame:
    """One group's figure per year: columns year, value, status, covered, members.

    `extra_count_members` (e.g. '9999', settled with unknown kommune) add to counts
    and to rate numerators, never to denominators: they belong in national totals."""
    ind = INDICATORS[indicator]
    n = len(members)
    rows = []
    if ind.kind == "class":
        return pd.DataFrame(columns=["year", "value", "status", "covered", "members"])
    if ind.kind == "growth":
        base = aggregate(tidy, members, ind.numerator).set_index("year")
        for year in base.index:
            if year - 1 not in base.index:
                continue
            now, prev = base.loc[year], base.loc[year - 1]
            statuses = pd.DataFrame([[now["status"], prev["status"]]])
            status = combined_status(statuses).iloc[0]
            value = ((now["value"] - prev["value"]) / prev["value"] * 100
                     if status in QUALITY_ORDER and prev["value"] > 0 else np.nan)
            rows.append((year, value, status if value == value else "missing",
                         int(min(now["covered"], prev["covered"]))))
    elif not ind.is_rate:
        rows_all = tidy[tidy["indicator"] == indicator]
        rows_all = rows_all.assign(status=settle_complete_splits(rows_all, set(members)))
        part = rows_all[rows_all["kommunenummer"].isin(list(members) + list(extra_count_members))]
        for year, group in part.groupby("year"):
            real = group[group["kommunenummer"].isin(members)]
            value, status, covered = _sum_group(real, n)
            extra = group[~group["kommunenummer"].isin(members)
                          & group["status"].isin(QUALITY_ORDER)]["value"].sum()
            if not np.isnan(value):
                value += extra
            rows.append((year, value, status, covered))
    else:
        group = set(members)
        num = _wide(tidy, ind.numerator, group)
        dens = [_wide(tidy, d, group) for d in ind.denominator]
        den = sum(d["value"] for d in dens)
        den_status = combined_status(pd.concat([d["status"] for d in dens], axis=1))
        frame = pd.DataFrame({"num": num["value"], "num_status": num["status"],
                              "den": den, "den_status": den_status}).reset_index()
        frame = frame[frame["kommunenummer"].isin(members)
                      & frame["year"].isin(num.index.get_level_values("year").unique())]
        extras = tidy[(tidy["indicator"] == ind.numerator)
                      & tidy["kommunenummer"].isin(extra_count_members)
                      & tidy["status"].isin(QUALITY_ORDER)].groupby("year")["value"].sum()
        for year, group in frame.groupby("year"):
            both = group[group["num_status"].isin(QUALITY_ORDER)
                         & group["den_status"].isin(QUALITY_ORDER) & (group["den"] > 0)]
            if both.empty:
                suppressed = (group["num_status"] == "suppressed").any()
                rows.append((year, np.nan, "suppressed" if suppressed else "missing", 0))
                continue
            statuses = pd.concat([both["num_status"], both["den_status"]])
            quality = max(statuses, key=_RANK.get)
            if len(both) < n:
                quality = max(quality, "incomplete", key=_RANK.get)
            numerator = both["num"].sum() + extras.get(year, 0.0)
            rows.append((year, numerator / both["den"].sum() * ind.scale, quality, len(both)))
    out = pd.DataFrame(rows, columns=["year", "value", "status", "covered"])
    out["members"] = n
    return out
