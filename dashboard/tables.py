"""Pure table builders for the pages: ranking, the CSV of what the map shows, and the
comparison figures for a selected kommune."""

from __future__ import annotations

import html
import re
from typing import NamedTuple

import pandas as pd

from data_loaders.catalogue import INDICATORS
from data_loaders.derive import QUALITY_ORDER, recorded_denominator
from data_loaders.export import export_frame
from data_loaders.store import Store

from . import i18n
from .map_view import FormerKommuner, conversion_text


def map_rows(store: Store, indicator: str, year: int, fylke: str | None) -> pd.DataFrame:
    """The store's rows drawn on the map: every kommune (of the fylke) for one year."""
    v = store.values
    rows = v[(v["indicator"] == indicator) & (v["year"] == year)
             & v["kommunenummer"].isin(store.kommuner.keys())]
    if fylke:
        rows = rows[rows["kommunenummer"].str.startswith(fylke)]
    return rows


def all_years(store: Store, indicator: str) -> pd.DataFrame:
    """Every year's rows of an indicator for today's kommuner (a colour scale shared by
    all years)."""
    v = store.values
    return v[(v["indicator"] == indicator) & v["kommunenummer"].isin(store.kommuner.keys())]


SMALL_COHORT = 10  # a share of fewer persons than this is flagged as very uncertain


def share_cohorts(store: Store, indicator: str, shares: pd.DataFrame) -> pd.DataFrame:
    """The cohort of each share in `shares` (rows of `indicator`: kommunenummer, year,
    status, conversion): kommunenummer, year, cohort, cohort_status. The cohort is the
    one the share is of: where a share over a merger (or a group's) leaves out the parts
    without both figures, its note records the cohort it was computed from (Drammen
    2013: 61, not the 65 published with Svelvik's 4), with the share's status; else the
    published cohort. Empty for an indicator that is not a share of a cohort."""
    ind = INDICATORS[indicator]
    columns = ["kommunenummer", "year", "cohort", "cohort_status"]
    if not ind.small_cohort or shares.empty:
        return pd.DataFrame(columns=columns)
    v = store.values
    published = v[(v["indicator"] == ind.small_cohort) & v["kommunenummer"].isin(shares["kommunenummer"])]
    out = shares[["kommunenummer", "year", "status", "conversion"]].merge(
        published[["kommunenummer", "year", "value", "status"]], on=["kommunenummer", "year"],
        how="left", suffixes=("_share", ""))
    recorded = out["conversion"].map(lambda c: recorded_denominator(c, ind)).astype(float)
    own = recorded.notna()
    return out.assign(cohort=recorded.where(own, out["value"]),
                      cohort_status=out["status_share"].where(own, out["status"]))[columns]


def small_cohorts(store: Store, indicator: str, shown: pd.DataFrame) -> dict[tuple[str, int], int]:
    """(kommune, year) -> persons in the cohort, for the shares in `shown` (rows of
    `indicator`) that have a figure but rest on fewer than 10 persons (the cohort the
    share is of: `share_cohorts`). A suppressed share gets no warning: there is no
    figure to doubt."""
    shown = shown[shown["status"].isin(QUALITY_ORDER)]
    sizes = share_cohorts(store, indicator, shown)
    if sizes.empty:
        return {}
    sizes = sizes[sizes["cohort_status"].isin(QUALITY_ORDER)
                  & (sizes["cohort"] > 0) & (sizes["cohort"] < SMALL_COHORT)]
    return {(code, int(year)): int(n) for code, year, n
            in zip(sizes["kommunenummer"], sizes["year"], sizes["cohort"])}


def value_heading(indicator: str, lang: str) -> str:
    """The heading of a ranking's figures: their unit ('Per 1 000 innb.', 'Personer'),
    as a bare "Verdi" left the reader to look for it in the legend."""
    unit = INDICATORS[indicator].unit(lang)
    return unit[:1].upper() + unit[1:]


class Ranking(NamedTuple):
    top: pd.DataFrame
    bottom: pd.DataFrame
    top_note: str | None  # see tie_note
    bottom_note: str | None


def ranking(rows: pd.DataFrame, store: Store, indicator: str, lang: str, n: int = 10,
            small: dict[tuple[str, int], int] | None = None) -> Ranking:
    """Top and bottom `n` kommuner of `rows` (one year). A share of a handful of
    persons (100 % of 4) is left out (`small`: small_cohorts of these rows, where the
    caller has them): in 2014's introduction ranking such shares took the whole top and
    bottom, 100 % and 0 % of 4 to 8 persons, a lottery in front of an audience. The map
    still shows them, with a warning. The status column is left out of a table where no
    row has one. Each table comes with its tie_note."""
    ind = INDICATORS[indicator]
    small = small_cohorts(store, indicator, rows) if small is None else small
    ranked = ranked_rows(rows, small)

    def table(part: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame({
            i18n.t("kommune", lang): part["kommunenummer"].map(store.kommuner),
            value_heading(indicator, lang): [i18n.format_number(x, ind.decimals, lang) for x in part["value"]],
            i18n.t("status", lang): [i18n.status_text(s, lang, c)  # "" for ok
                                     for s, c in zip(part["status"], part["conversion"])],
        }).reset_index(drop=True)
        return without_empty_status(out, lang)

    shown = [i18n.format_number(v, ind.decimals, lang) for v in ranked["value"]]
    # Lowest first, ties by kommune number as at the top (the tail turned round had
    # taken the highest numbers among the tied, last first).
    lowest = ranked.sort_values(["value", "kommunenummer"], ascending=[True, True]).head(n)
    return Ranking(table(ranked.head(n)), table(lowest),
                   tie_note(shown, ind.unit(lang), lang, n), tie_note(shown, ind.unit(lang), lang, n, bottom=True))


def without_empty_status(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`table` without its status column where no row has a status: such a column only
    costs width (the ranking ran past the side column at 1024 px; the map's table lost
    its notes' room at 720p)."""
    column = i18n.t("status", lang)
    return table if table[column].any() else table.drop(columns=column)


def ranked_rows(rows: pd.DataFrame, small: dict[tuple[str, int], int] | None = None) -> pd.DataFrame:
    """The rows with a figure, highest first (ties by kommune number), without the
    shares of a handful of persons in `small`."""
    ranked = rows[rows["status"].isin(QUALITY_ORDER)].sort_values(
        ["value", "kommunenummer"], ascending=[False, True])
    if small:
        ranked = ranked[[(c, int(y)) not in small for c, y in zip(ranked["kommunenummer"], ranked["year"])]]
    return ranked


def tie_note(shown: list[str], unit: str, lang: str, n: int, bottom: bool = False) -> str | None:
    """Where the ranking's last row shares its figure (as shown: `shown`, the ranked
    figures as text) with kommuner left out: how many have it, and how the table chose
    among them. "Lavest" in 2021 listed ten Finnmark kommuner at 0,0 as if they were the
    ten lowest."""
    if len(shown) <= n:
        return None
    part = shown[-n:] if bottom else shown[:n]
    edge = part[0] if bottom else part[-1]
    count = shown.count(edge)
    if count <= part.count(edge):
        return None
    return i18n.t("rank_ties", lang, count=count, value=edge, unit=unit, shown=part.count(edge))


def html_table(frame: pd.DataFrame, right: tuple[str, ...] = ()) -> str:
    """A small table as one HTML element (st.html), every cell escaped. The browser
    draws it far faster than st.table, which renders each cell as a Markdown element
    of its own (66 for the two ranking tables on the map's first paint); and unlike a
    Markdown table, nothing in a cell can become a link, an icon or a typographic
    substitution. `right`: the columns whose figures are aligned right (a note such as
    "No figure" in them stays left). Styled by the app's `.ik-table` rule (app.py)."""
    def cell(tag: str, value, column) -> str:
        text = "" if value is None or value != value else str(value)  # None, NaN: empty
        figure = tag == "th" or text == "–" or re.match(r"[−+-]?\d", text)
        align = ' class="num"' if column in right and figure else ""
        return f"<{tag}{align}>{html.escape(text)}</{tag}>"

    head = "".join(cell("th", c, c) for c in frame.columns)
    body = "".join("<tr>" + "".join(cell("td", v, c) for v, c in zip(row, frame.columns)) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<table class="ik-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def accessible_table(rows: pd.DataFrame, store: Store, indicator: str, lang: str,
                     small: dict[tuple[str, int], int] | None = None) -> pd.DataFrame:
    """The map as a table (its accessible alternative): every kommune shown, highest value
    first, kommuner without a figure last and named as such, never as zero. The figures
    are headed by their unit, as in the ranking (the heading above the table names the
    indicator; the full label made the column run past the map's width, and the status
    out of sight). A share of a handful of persons (`small`) says so, as in the tooltip.
    No status column where no row has one."""
    ind = INDICATORS[indicator]
    small = small_cohorts(store, indicator, rows) if small is None else small
    ordered = pd.concat([ranked_rows(rows),
                         rows[~rows["status"].isin(QUALITY_ORDER)].sort_values("kommunenummer")])

    def status(code: str, year: int, status: str, conversion: str) -> str:
        words = [i18n.status_text(status, lang, conversion)]
        if (code, year) in small:
            words.append(i18n.t("small_cohort", lang, n=small[code, year]))
        return ", ".join(w for w in words if w)

    return without_empty_status(pd.DataFrame({
        "#": [str(i + 1) if ok else "" for i, ok in enumerate(ordered["status"].isin(QUALITY_ORDER))],
        i18n.t("kommune", lang): [f"{store.kommuner[c]} ({c})" for c in ordered["kommunenummer"]],
        value_heading(indicator, lang): [
            i18n.format_number(v, ind.decimals, lang) if ok else "–"
            for v, ok in zip(ordered["value"], ordered["status"].isin(QUALITY_ORDER))],
        i18n.t("status", lang): [status(c, int(y), s, n) for c, y, s, n
                                 in zip(ordered["kommunenummer"], ordered["year"], ordered["status"],
                                        ordered["conversion"])],
        i18n.t("note", lang): plain_notes(ordered["conversion"], store, lang),
    }), lang)


def plain_notes(conversions, store: Store, lang: str) -> list[str]:
    """Each figure's conversion note as plain text (tables and files, not HTML)."""
    former = FormerKommuner(store.meta)
    return [html.unescape(conversion_text(c, former, lang)) for c in conversions]


def download_frame(rows: pd.DataFrame, store: Store, lang: str) -> pd.DataFrame:
    """Exactly what the map shows, in the export's columns plus the notes: on conversions,
    and on a share of a cohort under 10 persons (the ranking says "kull på 5"; a file
    without it showed a clean 100 %)."""
    rows = rows.sort_values("kommunenummer")
    out = export_frame(store, rows, lang)
    small = small_cohorts(store, str(rows["indicator"].iloc[0]), rows) if len(rows) else {}

    def noted(conversion_note: str, code: str, year) -> str:
        persons = small.get((code, int(year)))
        cohort_note = i18n.t("small_cohort_tip", lang, n=persons) if persons else ""
        return "; ".join(note for note in (conversion_note, cohort_note) if note)

    out["note"] = [noted(note, code, year) for note, code, year
                   in zip(plain_notes(rows["conversion"], store, lang), rows["kommunenummer"], rows["year"])]
    return out


def group_figure(store: Store, indicator: str, year: int, group_code: str) -> dict | None:
    """Value and status of a group ('0000' Norway, 'F46' a fylke, ...) for one year."""
    v = store.values
    rows = v[(v["kommunenummer"] == group_code) & (v["indicator"] == indicator) & (v["year"] == year)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {"value": row["value"], "status": row["status"], "conversion": row["conversion"]}


def coverage(store: Store, indicator: str) -> tuple[list[int], int, dict[str, int]]:
    """(years with a figure, kommuner with a figure, count of cells by status within those
    years). Years before a table begins or after it ends are outside its coverage, not
    missing figures, so they are not counted."""
    values = store.values
    rows = values[(values["indicator"] == indicator) & values["kommunenummer"].isin(store.kommuner)]
    with_value = rows[rows["status"].isin(QUALITY_ORDER)]  # the statuses that carry a figure
    years = sorted(int(y) for y in with_value["year"].unique())
    if not years:
        return [], 0, {}
    within = rows[rows["year"].between(years[0], years[-1])]
    counts = within["status"].value_counts()
    return years, with_value["kommunenummer"].nunique(), {s: int(n) for s, n in counts.items() if n}
