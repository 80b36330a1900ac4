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

from .catalogue import INDICATORS, Indicator
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


def derive_rate(tidy: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """Kommune-level rate rows for one rate indicator."""
    num = _wide(tidy, ind.numerator)
    dens = [_wide(tidy, d) for d in ind.denominator]
    index = num.index
    for d in dens:
        index = index.intersection(d.index)
    num = num.reindex(index)
    statuses = pd.concat([num["status"]] + [d.reindex(index)["status"] for d in dens], axis=1)
    denominator = sum(d.reindex(index)["value"] for d in dens)
    status = combined_status(statuses)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = num["value"] / denominator * ind.scale
    usable = status.isin(QUALITY_ORDER) & (denominator > 0)
    status = status.where(usable | ~status.isin(QUALITY_ORDER), "missing")
    out = pd.DataFrame({
        "value": value.where(usable),
        "status": status,
        "conversion": num["conversion"],
    }, index=index).reset_index()
    out["indicator"] = ind.id
    return out[TIDY_COLUMNS]


def add_rates(tidy: pd.DataFrame) -> pd.DataFrame:
    parts = [tidy]
    for ind in INDICATORS.values():
        if ind.is_rate:
            parts.append(derive_rate(tidy, ind))
    return pd.concat(parts, ignore_index=True)


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
    if not ind.is_rate:
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
