"""Derived figures: rates from counts, and sums over groups of kommuner.

Both follow one status rule (`combined_status`): a figure built from parts has a value
only if its parts do, and carries the weakest quality of its parts:
  partial-year > incomplete > estimated > ok.
A rate or difference is never made of a sum with a hidden part, nor over an incomplete
denominator (`without_mixed_sums`): count and denominator would cover different former
kommuner.
Group rates are sums of members' numerators over sums of the same members'
denominators: a member without both is left out, and the group figure is then
'incomplete' with the count of members it covers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogue import INDICATORS, Indicator, derived
from .harmonise import TIDY_COLUMNS, conversion_pieces

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


def without_mixed_sums(status: pd.Series, parts: list[pd.DataFrame]) -> pd.Series:
    """`status` of a figure made from `parts` (rows aligned; the numerator first), with
    no figure where a part is an incomplete sum that divides different former kommuner:
    a sum with a hidden part (Bjørnafjorden 2013: Os's hidden count over Fusa's and Os's
    cohort came out as 0 %), or an incomplete denominator. A numerator lacking only
    parts without a figure ('.') stays a lower bound, marked incomplete. Such a figure
    is suppressed if a part was hidden, missing otherwise.
    Parts that all lack the same former kommuner are not mixed: count and denominator
    cover the same ones (IMDi's stay table has no rows for Rennesøy 1142 in 2015, in
    every one of its counts), so Stavanger's share is the share over the rest, marked
    incomplete (`matched_parts`)."""
    # Columns numbered 0..n-1 in both frames: `&` aligns on column labels, and the
    # parts' own labels ("status", "conversion") would never meet.
    incomplete = pd.concat([p["status"] == "incomplete" for p in parts], axis=1,
                           ignore_index=True)
    hidden = pd.concat([p["conversion"].fillna("").str.contains("hidden:", regex=False)
                        for p in parts], axis=1, ignore_index=True)
    mixed = ((incomplete & hidden).any(axis=1) | incomplete.iloc[:, 1:].any(axis=1)) & ~matched_parts(parts)
    if not mixed.any():
        return status
    suppressed = hidden.any(axis=1) | pd.concat(
        [p["status"] == "suppressed" for p in parts], axis=1, ignore_index=True).any(axis=1)
    return status.mask(mixed, np.where(suppressed, "suppressed", "missing"))


def lacking_parts(conversion: str) -> frozenset[str]:
    """The former kommuner an incomplete sum lacks: 'merged:..;hidden:1523;absent:1546'
    -> {'1523', '1546'}."""
    pieces = conversion_pieces(conversion)
    return frozenset(code for key in ("hidden", "absent") for code in pieces.get(key, "").split("+") if code)


def matched_parts(parts: list[pd.DataFrame]) -> pd.Series:
    """Rows where every part is an incomplete sum lacking the same former kommuner."""
    incomplete = pd.concat([p["status"] == "incomplete" for p in parts], axis=1,
                           ignore_index=True).all(axis=1)
    lacks = [p["conversion"].fillna("").map(lacking_parts) for p in parts]
    same = pd.Series(True, index=parts[0].index)
    for other in lacks[1:]:
        same &= lacks[0] == other
    return incomplete & same & lacks[0].map(bool)


def common_parts(raw: pd.DataFrame, indicators: set[str]) -> pd.DataFrame:
    """The raw rows (former kommuner's codes) of a rate's inputs, each code's figure
    hidden in a year where another input of the same code is hidden. Harmonised, count
    and denominator then lack the same former kommuner (`matched_parts`), and the rate
    over a merger is made of the others: Drammen 2013, Svelvik's count hidden and its
    cohort of 4 published, is Drammen's share over Drammen's cohort, marked incomplete,
    where the whole cohort beneath a part of the count made it no figure at all."""
    part = raw[raw["indicator"].isin(indicators)]
    hidden = (part["status"] == "suppressed").groupby([part["code"], part["year"]]).transform("any")
    hide = hidden & (part["status"] != "missing")
    return part.assign(value=part["value"].mask(hide), status=part["status"].mask(hide, "suppressed"))


# A rate over matched parts (`matched_parts`) is given only where those former kommuner
# held at least this share of today's kommune's people: Indre Østfold's 2013 share one
# year after, over Eidsberg's cohort alone (the four others hidden or without a
# figure), was Eidsberg's 5 of 5, a quarter of the people, under Indre Østfold's name.
MAIN_PART = 0.5


def with_part_sizes(common: pd.DataFrame, indicator: str, former_population: pd.DataFrame,
                    zero_placeholders: bool) -> pd.DataFrame:
    """The raw rows of `indicator` (a rate's denominator, from `common_parts`), each
    figure replaced by its former kommune's population 1 January (the nearest year
    with one: a code may be used before or after its own years, Harstad 1901 in 2013).
    Harmonised like the rate's inputs, the same former kommuner are summed: the people
    of the parts a rate over matched parts is made of. Rows without a figure stay as
    they are, so the same parts are placeholders or lacking."""
    rows = common[common["indicator"] == indicator]
    figure = rows["status"].eq("ok") & rows["value"].notna()
    if zero_placeholders:
        figure &= rows["value"] != 0
    known = former_population[former_population["status"] == "ok"][["code", "year", "value"]]
    wanted = rows.loc[figure, ["code", "year"]].reset_index()
    sized = pd.merge_asof(wanted.sort_values("year"),
                          known.rename(columns={"value": "people"}).sort_values("year"),
                          on="year", by="code", direction="nearest").set_index("index")["people"]
    people = sized.reindex(rows.index)
    return rows.assign(value=rows["value"].mask(figure, people),
                       status=rows["status"].mask(figure & people.isna(), "missing"))


def share_of_people(covered: pd.DataFrame, whole: pd.DataFrame) -> pd.Series:
    """(kommunenummer, year) -> the share of today's kommune's people that `covered`
    (harmonised `with_part_sizes`) holds. `whole`: every former kommune's population
    harmonised the same way (split kommuner shared out alike), so both sides sum the
    same years' figures; after its last year, its last (the sizes are that year's too).
    At most 1: a part's size may be another year's than the whole's (Harstad 1903,
    filed for 2011 before its own years)."""
    people = whole[whole["status"].isin(QUALITY_ORDER)].set_index(["kommunenummer", "year"])["value"]
    years = people.index.get_level_values("year")
    rows = covered[covered["status"].isin(QUALITY_ORDER)]
    keys = pd.MultiIndex.from_arrays([rows["kommunenummer"], rows["year"].clip(years.min(), years.max())])
    return pd.Series(np.minimum(rows["value"].to_numpy() / people.reindex(keys).to_numpy(), 1.0),
                     index=pd.MultiIndex.from_frame(rows[["kommunenummer", "year"]]))


def input_values(ind: Indicator, parts: list[pd.DataFrame], rows: pd.Series) -> pd.Series:
    """'inputs:40/61' on `rows`: the figures a rate over matched parts was computed from,
    in the order of its formula (numerator, then each other denominator). The published
    inputs may cover former kommuner the rate leaves out, so the figure's trace needs
    these."""
    by_id = dict(zip([ind.numerator, *ind.denominator], parts))
    values = [by_id[i].loc[rows, "value"] for i in dict.fromkeys([ind.numerator, *ind.denominator])]
    return pd.Series(["inputs:" + "/".join(f"{v:.10g}" for v in row) for row in zip(*values)],
                     index=rows[rows].index).reindex(rows.index, fill_value="")


def recorded_inputs(conversion: str | None, ind: Indicator) -> dict[str, float]:
    """The inputs a rate's note records ('inputs:40/61', see `input_values`), by input
    id; {} where it records none (the published inputs are the rate's own)."""
    text = conversion_pieces(conversion).get("inputs")
    if not text:
        return {}
    return dict(zip(dict.fromkeys([ind.numerator, *ind.denominator]), map(float, text.split("/"))))


def recorded_denominator(conversion: str | None, ind: Indicator) -> float | None:
    """The denominator a rate was computed from, where its note records it: a share's
    cohort is then that, not the published cohort (Drammen 2013: 61 without Svelvik's
    4, not 65)."""
    inputs = recorded_inputs(conversion, ind)
    return sum(inputs[d] for d in dict.fromkeys(ind.denominator)) if inputs else None


def joined_conversions(conversion: pd.Series, parts: list[pd.DataFrame]) -> pd.Series:
    """The numerator's conversion note, with the parts any other input lacked added
    (a rate's cohort may have a hidden part its count does not)."""
    def join(*values: str) -> str:
        pieces: dict[str, str] = {}
        for value in values:
            for piece in filter(None, (value or "").split(";")):
                key, _, rest = piece.partition(":")
                if key in ("hidden", "absent") and key in pieces:
                    rest = "+".join(sorted(set(pieces[key].split("+")) | set(rest.split("+"))))
                    pieces[key] = rest
                else:
                    pieces.setdefault(key, rest)
        return ";".join(f"{key}:{rest}" for key, rest in pieces.items())

    lacking = pd.concat([p["conversion"].fillna("").str.contains(r"(?:hidden|absent):", regex=True)
                         for p in parts], axis=1).any(axis=1)
    out = conversion.copy()
    rows = lacking[lacking].index
    out.loc[rows] = [join(*values) for values in zip(*(p.loc[rows, "conversion"] for p in parts))]
    return out


def _combine(parts: list[pd.DataFrame]) -> tuple[pd.MultiIndex, list[pd.DataFrame]]:
    index = parts[0].index
    for part in parts[1:]:
        index = index.intersection(part.index)
    return index, [p.reindex(index) for p in parts]


def derive_rate(tidy: pd.DataFrame, ind: Indicator, part_people: pd.Series | None = None) -> pd.DataFrame:
    """Kommune-level rows of a derived indicator (rate, difference or growth).
    `part_people`: a rate's `share_of_people` (where known), for its rates over matched
    parts: one over less than `MAIN_PART` of the people is not made ('minor:3': the
    percent), one over more says how much it covers ('covers:92')."""
    if ind.kind == "growth":
        base = _wide(tidy, ind.numerator).reset_index()
        before = base.assign(year=base["year"] + 1).set_index(["kommunenummer", "year"])
        index, (now, prev) = _combine([base.set_index(["kommunenummer", "year"]), before])
        combined = combined_status(pd.concat([now["status"], prev["status"]], axis=1))
        status = without_mixed_sums(combined, [now, prev])
        with np.errstate(divide="ignore", invalid="ignore"):
            value = (now["value"] - prev["value"]) / prev["value"] * 100
        usable = status.isin(QUALITY_ORDER) & (prev["value"] > 0)
        conversion = joined_conversions(now["conversion"], [now, prev])
        matched = matched_parts([now, prev])
        value, conversion = whole_growth_across_splits(base, now, prev, value, conversion)
    else:
        index, parts = _combine([_wide(tidy, ind.numerator)]
                                + [_wide(tidy, d) for d in ind.denominator])
        num, dens = parts[0], parts[1:]
        combined = combined_status(pd.concat([p["status"] for p in parts], axis=1))
        status = without_mixed_sums(combined, parts)
        denominator = sum(d["value"] for d in dens)
        with np.errstate(divide="ignore", invalid="ignore"):
            if ind.kind == "difference":
                value = num["value"] - denominator
                usable = status.isin(QUALITY_ORDER)
            else:
                value = num["value"] / denominator * ind.scale
                usable = status.isin(QUALITY_ORDER) & (denominator > 0)
        conversion = joined_conversions(num["conversion"], parts)
        matched = matched_parts(parts)
        if ind.kind == "rate":
            conversion = whole_rate_of_splits(conversion, parts)
    # Said in the note: not computed, as its inputs cover different former kommuner
    # (Drammen's 2018 settled per 1,000: Svelvik's count hidden, its people counted).
    unmatched = combined.isin(QUALITY_ORDER) & ~status.isin(QUALITY_ORDER)
    status = status.where(usable | ~status.isin(QUALITY_ORDER), "missing")
    # Said in the note: the rate is over the former kommuner that have figures.
    over_matched = matched & usable & status.isin(QUALITY_ORDER)
    people = (part_people.reindex(index) if part_people is not None
              else pd.Series(np.nan, index=index))
    percent = np.floor(people * 100).fillna(0).astype(int).astype(str)
    minor = over_matched & (people < MAIN_PART)
    over_matched &= ~minor
    usable &= ~minor
    status = status.mask(minor, "missing")
    if ind.kind == "rate" and over_matched.any():
        conversion = conversion.mask(over_matched, conversion + ";" + input_values(ind, parts, over_matched))
    conversion = conversion.mask(over_matched, conversion + ";matched")
    conversion = conversion.mask(over_matched & people.notna(), conversion + ";covers:" + percent)
    conversion = conversion.mask(minor, conversion + ";minor:" + percent)
    conversion = conversion.mask(unmatched, conversion + ";unmatched")
    out = pd.DataFrame({"value": value.where(usable), "status": status,
                        "conversion": conversion}, index=index).reset_index()
    out["indicator"] = ind.id
    return out[TIDY_COLUMNS]


SPLIT = r"split:(\d{4}):([\d.]+)"


def whole_rate_of_splits(conversion: pd.Series, parts: list[pd.DataFrame]) -> pd.Series:
    """A rate whose count and denominators are shares of a split kommune's figures by the
    same share is that kommune's own rate (Haram's 2021 settled per 1,000 is Ålesund
    1507's): its note says so ('whole:1507'), not '14 % of the figure for 1507'."""
    shares = [p["conversion"].fillna("").str.extract(SPLIT) for p in parts]
    same = shares[0][0].notna()
    for part in parts:  # a share of one kommune only: in Narvik's sum, Tysfjord's half is a part
        same &= ~part["conversion"].fillna("").str.contains("merged:", regex=False)
    for other in shares[1:]:
        same &= (other[0] == shares[0][0]) & (other[1] == shares[0][1])
    if not same.any():
        return conversion
    code = shares[0][0]
    rest = conversion.str.replace(r"(?:renumbered:\d{4};)?split:\d{4}:[\d.]+", "", regex=True).str.replace(
        ";;", ";").str.strip(";")
    whole = "whole:" + code + np.where(rest.eq(""), "", ";" + rest)
    return conversion.mask(same, whole)


def whole_growth_across_splits(base: pd.DataFrame, now: pd.DataFrame, prev: pd.DataFrame,
                               value: pd.Series, conversion: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Growth of a split kommune's part in a year where either year's figure is a share
    of the whole: the whole's growth. Shares that differ from year to year (Haram's of
    Ålesund 1507 moves from 14.2 % in 2020 to 13.9 % in 2023; before, 14.3 % in 2021 and
    13.8 % in 2022 made a 2.9 % fall) give a growth no one lived; the parts of the whole
    grow as the whole did, as far as the source can tell. The note says so ('whole:1507')."""
    codes = now["conversion"].fillna("").str.extract(SPLIT)[0].fillna(
        prev["conversion"].fillna("").str.extract(SPLIT)[0])
    if codes.isna().all():
        return value, conversion
    targets = base.assign(code=base["conversion"].fillna("").str.extract(SPLIT)[0]).dropna(subset=["code"])
    members = targets.groupby("code")["kommunenummer"].agg(lambda c: sorted(set(c)))
    value, conversion = value.copy(), conversion.copy()
    has_value = base["status"].isin(QUALITY_ORDER)
    for code, kommuner in members.items():
        rows = base[base["kommunenummer"].isin(kommuner) & has_value]
        counts = rows.groupby("year")["kommunenummer"].nunique()
        sums = rows.groupby("year")["value"].sum().where(counts == len(kommuner))
        for key in codes[codes == code].index:
            year = key[1]
            if year in sums.index and year - 1 in sums.index and sums[year - 1] > 0:
                value[key] = (sums[year] - sums[year - 1]) / sums[year - 1] * 100
            else:
                value[key] = np.nan
            conversion[key] = f"whole:{code}"
    return value, conversion


def add_rates(tidy: pd.DataFrame, common_inputs: dict[str, pd.DataFrame] | None = None,
              part_people: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """Add every derived indicator whose inputs are in `tidy` (inputs first).
    `common_inputs`: by indicator id, its inputs harmonised from `common_parts`, which
    its rate is made of instead of the published ones; `part_people`: by indicator id,
    the share of people its matched parts hold (`share_of_people`)."""
    present = set(tidy["indicator"].unique())
    derived_rows: list[pd.DataFrame] = []
    for ind in derived():
        inputs = {ind.numerator, *ind.denominator}
        if not inputs <= present:
            continue
        uses_derived = inputs - set(tidy["indicator"].unique())
        source = pd.concat([tidy, *derived_rows], ignore_index=True) if uses_derived else tidy
        source = (common_inputs or {}).get(ind.id, source)
        derived_rows.append(derive_rate(source, ind, (part_people or {}).get(ind.id)))
        present.add(ind.id)
    return pd.concat([tidy, *derived_rows], ignore_index=True)


def without_minor_parts(common_inputs: dict[str, pd.DataFrame], rates: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """`common_inputs` (by rate id) without the inputs of the kommune-years whose rate was
    not made for covering too small a part ('minor:'): a group sums its members' inputs,
    and says how many members it covers; a member without a rate of its own is not one
    of them (Indre Østfold 2013, one year after: Eidsberg's 5 of 5 are not Østfold's
    Indre Østfold)."""
    out = {}
    for rate, frame in common_inputs.items():
        minor = rates[(rates["indicator"] == rate) & rates["conversion"].str.contains(";minor:", regex=False)]
        keys = pd.MultiIndex.from_frame(minor[["kommunenummer", "year"]])
        hit = pd.MultiIndex.from_frame(frame[["kommunenummer", "year"]]).isin(keys)
        ind = INDICATORS[rate]
        hit &= frame["indicator"].isin([ind.numerator, *ind.denominator]).to_numpy()
        out[rate] = frame.assign(value=frame["value"].mask(hit), status=frame["status"].mask(hit, "missing"))
    return out


def settle_complete_splits(rows: pd.DataFrame, group_of: pd.Series) -> pd.Series:
    """Statuses of `rows` (one indicator) for summing within groups (`group_of`: kommune
    -> group). A group that holds every part of a split kommune holds the whole,
    measured figure, so those parts' 'estimated' status becomes 'ok' within it."""
    status = rows["status"].astype(object)
    conversion = rows["conversion"].astype(str)
    split = conversion.str.contains("split:", regex=False)
    if not split.any():
        return status
    parts = pd.DataFrame({
        "key": rows.loc[split, "year"].astype(str) + ":"
        + conversion[split].str.extract(r"split:(\d{4})", expand=False),
        "group": rows.loc[split, "kommunenummer"].astype(str).map(group_of),
    })
    by_key = parts.groupby("key")["group"]
    whole = (by_key.count() == by_key.size()) & (by_key.nunique() == 1)
    settled = parts.index[parts["key"].map(whole).to_numpy()]
    status[settled.intersection(status.index[status == "estimated"])] = "ok"
    return status


def _member_rows(tidy: pd.DataFrame, indicator: str, group_of: pd.Series) -> pd.DataFrame:
    rows = tidy[tidy["indicator"] == indicator]
    rows = rows.assign(status=settle_complete_splits(rows, group_of),
                       group=rows["kommunenummer"].astype(str).map(group_of))
    return rows[rows["group"].notna()]


def _group_status(frame: pd.DataFrame, sizes: pd.Series) -> pd.DataFrame:
    """Member rows (kommunenummer, group, year, value, status) -> per group and year:
    value (sum over members with a value), status, covered, and `partial`: the members
    whose own figure is an incomplete sum ('1103+1106'), which make the group's
    incomplete even when every member has a figure (KOSTRA group 12's staying in
    2014-2016, through Stavanger's), said in its note."""
    has = frame["status"].isin(QUALITY_ORDER)
    work = pd.DataFrame({
        "group": frame["group"], "year": frame["year"], "value": frame["value"].where(has),
        "has": has, "rank": frame["status"].map(_RANK).astype(float).where(has),
        "suppressed": frame["status"] == "suppressed",
        "partial": frame["kommunenummer"].astype(str).where(frame["status"] == "incomplete"),
    })
    g = work.groupby(["group", "year"])
    out = pd.DataFrame({
        "value": g["value"].sum(min_count=1), "covered": g["has"].sum().astype(int),
        "rank": g["rank"].max(), "suppressed": g["suppressed"].any(),
        "partial": g["partial"].agg(lambda codes: "+".join(sorted(codes.dropna()))),
    })
    size = out.index.get_level_values("group").map(sizes).to_numpy()
    rank = out["rank"].where(out["covered"].to_numpy() >= size,
                             np.maximum(out["rank"].fillna(0), _RANK["incomplete"]))
    out["status"] = np.where(
        out["covered"] > 0, rank.fillna(0).astype(int).map(dict(enumerate(QUALITY_ORDER))),
        np.where(out["suppressed"], "suppressed", "missing"))
    return out[["value", "status", "covered", "partial"]]


def aggregate_groups(tidy: pd.DataFrame, group_of: dict[str, str] | pd.Series, indicator: str,
                     extra_count_members: tuple[str, ...] = ()) -> pd.DataFrame:
    """Figures of several disjoint groups of kommuner at once (`group_of`: kommune ->
    group): columns group, year, value, status, covered, members, partial (the members whose
    own figure is an incomplete sum, see _group_status).

    `extra_count_members` (e.g. '9999', settled with unknown kommune) add to counts
    and to rate numerators of every group, never to denominators: use them for Norway."""
    ind = INDICATORS[indicator]
    group_of = pd.Series(group_of, dtype=object)
    sizes = group_of.value_counts()
    columns = ["group", "year", "value", "status", "covered", "members", "partial"]
    if ind.kind == "class":
        return pd.DataFrame(columns=[*columns, "inputs"])
    extras = tidy[(tidy["indicator"] == (ind.numerator if ind.is_rate else indicator))
                  & tidy["kommunenummer"].isin(extra_count_members)
                  & tidy["status"].isin(QUALITY_ORDER)].groupby("year")["value"].sum()

    def add_extras(values: pd.Series) -> pd.Series:
        years = values.index.get_level_values("year")
        return values + extras.reindex(years).fillna(0).to_numpy()

    if ind.kind == "growth":
        # Over the members with a figure in both years: Norway's 2019 population lacked
        # five kommuner that 2020's has, and a sum over 352 against one over 357 made
        # 1.8 % growth out of 0.6 %.
        rows = _member_rows(tidy, ind.numerator, group_of)
        before = rows.assign(year=rows["year"] + 1)[["kommunenummer", "year", "value", "status"]]
        pairs = rows.merge(before, on=["kommunenummer", "year"], suffixes=("", "_prev"))
        pairs["status"] = combined_status(pairs[["status", "status_prev"]])
        out = _group_status(pairs[["kommunenummer", "group", "year", "value", "status"]], sizes)
        has = pairs["status"].isin(QUALITY_ORDER)
        prev_sum = pairs[has].groupby(["group", "year"])["value_prev"].sum(min_count=1).reindex(out.index)
        usable = out["status"].isin(QUALITY_ORDER) & (prev_sum > 0)
        out["value"] = ((out["value"] - prev_sum) / prev_sum * 100).where(usable)
        out["status"] = out["status"].where(usable | ~out["status"].isin(QUALITY_ORDER), "missing")
        out = out.reset_index()
    elif not ind.is_rate:
        out = _group_status(_member_rows(tidy, indicator, group_of), sizes)
        out["value"] = add_extras(out["value"])
        out = out.reset_index()
    else:
        key = ["kommunenummer", "year"]
        num = _member_rows(tidy, ind.numerator, group_of).set_index(key)
        dens = [_member_rows(tidy, d, group_of).set_index(key) for d in ind.denominator]
        index = num.index
        for d in dens:
            index = index.intersection(d.index)
        num = num.reindex(index)
        dens = [d.reindex(index) for d in dens]
        den_value = sum(d["value"] for d in dens)
        # A member whose count or cohort is an incomplete sum is left out, as one without.
        status = without_mixed_sums(combined_status(pd.concat(
            [num["status"]] + [d["status"] for d in dens], axis=1)), [num, *dens])
        usable = status.isin(QUALITY_ORDER) & (den_value > 0)
        status = status.where(usable | ~status.isin(QUALITY_ORDER), "missing")
        pairs = pd.DataFrame({"kommunenummer": index.get_level_values("kommunenummer"),
                              "group": num["group"].to_numpy(),
                              "year": index.get_level_values("year"),
                              "value": num["value"].where(usable).to_numpy(),
                              "den": den_value.where(usable).to_numpy(),
                              "status": status.to_numpy()})
        out = _group_status(pairs, sizes)
        den_sum = pairs.groupby(["group", "year"])["den"].sum(min_count=1).reindex(out.index)
        num_sum = add_extras(out["value"])
        out["value"] = num_sum / den_sum * ind.scale
        if ind.small_cohort:  # the cohort beside a group's share is the one it is of
            out["inputs"] = [f"inputs:{n:.10g}/{d:.10g}" if pd.notna(v) else ""
                             for n, d, v in zip(num_sum, den_sum, out["value"])]
        out = out.reset_index()
    out["members"] = out["group"].map(sizes).astype(int)
    if "inputs" not in out:
        out["inputs"] = ""
    return out[[*columns, "inputs"]].sort_values(["group", "year"]).reset_index(drop=True)


def aggregate(tidy: pd.DataFrame, members: list[str], indicator: str,
              extra_count_members: tuple[str, ...] = ()) -> pd.DataFrame:
    """One group's figure per year: columns year, value, status, covered, members."""
    out = aggregate_groups(tidy, {m: "group" for m in members}, indicator, extra_count_members)
    return out.drop(columns="group")


# A share of those who stayed leaves out IMDi's "Uoppgitt" (whether settled here or moved
# here is not stated): from this part of everyone, the figure says how many it left out.
UNKNOWN_STAY_NOTED = 0.1
STAY_SHARES = {"refugees_stayed_share": "", "refugees_stayed_share_0_4y": "_0_4y",
               "refugees_stayed_share_5y_plus": "_5y_plus"}


def note_unknown_stay(values: pd.DataFrame) -> pd.DataFrame:
    """'unknown:12/27' on each kommune's stay share whose persons of unstated settlement
    are at least UNKNOWN_STAY_NOTED of everyone (settled here, moved here and unstated):
    Engerdal 2022 is 100 % of 15, with 12 of its 27 left out."""
    key = ["kommunenummer", "year"]
    out = values.copy()
    for share, suffix in STAY_SHARES.items():
        counts = [values[(values["indicator"] == f"{base}{suffix}") & values["status"].isin(QUALITY_ORDER)]
                  .set_index(key)["value"]
                  for base in ("refugees_settled_here", "refugees_moved_here", "refugees_stay_unknown")]
        # Kommuner' published figures only: a group's or an incomplete sum's persons of
        # unstated settlement may come from other members than its share's, and an
        # estimate's are a split's fractions of persons (Haram's "6 of 58").
        rows = out.index[(out["indicator"] == share) & (out["status"] == "ok")
                         & out["kommunenummer"].str.fullmatch(r"\d{4}")]
        at = pd.MultiIndex.from_frame(out.loc[rows, key])
        # No count of unstated settlement (suppressed, or not in the file): nothing to say.
        here, moved, unknown = (np.nan_to_num(c.reindex(at).to_numpy(dtype=float)) for c in counts)
        everyone = here + moved + unknown
        noted = (unknown > 0) & (unknown >= UNKNOWN_STAY_NOTED * everyone)
        for row, left_out, total in zip(rows[noted], unknown[noted], everyone[noted]):
            before = out.at[row, "conversion"]
            before = before if isinstance(before, str) else ""  # None or NaN: no note yet
            out.at[row, "conversion"] = ";".join(filter(None, [before, f"unknown:{left_out:.10g}/{total:.10g}"]))
    return out
