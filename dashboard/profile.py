"""Data for the kommune profile and the compare view: pure functions from the store to
tidy frames, tables and the generated summary. No Streamlit here."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from data_loaders.catalogue import INDICATORS, MIGRATION_FLOWS as FLOW_TEXT
from data_loaders.derive import QUALITY_ORDER
from data_loaders.harmonise import conversion_pieces
from data_loaders.store import Store

from . import i18n, tables
from .map_view import FormerKommuner, conversion_text
from .peers import PeerGroup

# The NIBR-rapport 2012:5 ("Derfor blir vi her") framework: the factors that make
# refugees stay in, move to or leave a kommune, and the indicators we have for each.
FACTORS = [
    ("work", ("Arbeid", "Work"), ["employment_rate_immigrants", "intro_work_or_education_1y"]),
    ("housing", ("Bolig", "Housing"), []),
    ("networks", ("Sosiale nettverk", "Social networks"), ["immigrant_share"]),
    ("services", ("Tjenester og avstand", "Services and distance"), ["centrality_class"]),
    ("staying", ("Å bli boende", "Staying"), ["refugees_stayed_share", "net_migration_per_1000"]),
]


def has_value(status) -> bool:
    return status in QUALITY_ORDER


def rows(store: Store, codes: list[str], indicator: str) -> pd.DataFrame:
    parts = [store.of(code, indicator) for code in codes]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def label_values(frame: pd.DataFrame, indicator: str, lang: str, suffix: str = "") -> pd.DataFrame:
    """Add `label` (value for the locale, `suffix` after it, or the status word),
    `status_text`, and `cell` (for a table: the label, with the status beside a figure
    that is not plain, "0,5 (anslag)", as the chart's point shape says it)."""
    ind = INDICATORS[indicator]
    labels, status_texts, cells = [], [], []
    conversions = frame["conversion"] if "conversion" in frame else [None] * len(frame)
    for value, status, conversion in zip(frame["value"], frame["status"], conversions):
        text = i18n.status_text(status, lang, conversion)
        label = i18n.format_number(value, ind.decimals, lang) + suffix if has_value(status) else text
        labels.append(label)
        status_texts.append(text)
        cells.append(f"{label} ({text})" if has_value(status) and status != "ok" else label)
    return frame.assign(label=labels, status_text=status_texts, cell=cells)


def _series(store: Store, code: str, groups: list[PeerGroup]) -> list[tuple[str, str]]:
    """(code, name) of the kommune, then of each of its groups: the series of its charts."""
    return [(code, store.kommuner[code])] + [(g.code, g.label) for g in groups]


def comparison(store: Store, code: str, indicator: str, groups: list[PeerGroup],
               lang: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """The kommune and its groups over years: series, year, value, label, status_text."""
    frame = pd.concat([rows(store, [series_code], indicator).assign(series=series_name)
                       for series_code, series_name in _series(store, code, groups)],
                      ignore_index=True)
    if years:
        frame = frame[(frame["year"] >= years[0]) & (frame["year"] <= years[1])]
    frame = frame.assign(value=frame["value"].where(frame["status"].map(has_value)))
    return label_values(frame, indicator, lang)


def with_cohort(frame: pd.DataFrame, store: Store, indicator: str) -> pd.DataFrame:
    """`frame` (rows of `indicator`: a kommune's, its groups', several kommuner's) with
    each share's cohort beside it, `cohort` and `cohort_status` (tables.share_cohorts:
    the cohort the share is of): in a file, a share without its cohort cannot be
    weighed. Unchanged for an indicator that is not a share of a cohort."""
    if not INDICATORS[indicator].small_cohort:
        return frame
    return frame.merge(tables.share_cohorts(store, indicator, frame), on=["kommunenummer", "year"], how="left")


def trim_years(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop leading and trailing years in which no series has a figure."""
    with_value = frame.loc[frame["value"].notna(), "year"]
    if with_value.empty:
        return frame.iloc[0:0]
    return frame[(frame["year"] >= with_value.min()) & (frame["year"] <= with_value.max())]


def indicator_series(store: Store, code: str, series: list[tuple[str, tuple[str, str]]],
                     lang: str, column: str = "series") -> pd.DataFrame:
    """One kommune, several indicators as named series: `series` is [(indicator,
    (bokmål name, English name))]; the name goes in `column`. No figure -> NaN value."""
    parts = []
    for indicator, label in series:
        part = label_values(rows(store, [code], indicator), indicator, lang)
        parts.append(part.assign(**{column: label[lang == "en"]}))
    frame = pd.concat(parts, ignore_index=True)
    return frame.assign(value=frame["value"].where(frame["status"].map(has_value)))


SETTLEMENT_MEASURES = [("settlement_requested", ("Anmodet", "Requested")),
                       ("settlement_decided", ("Vedtatt", "Decided")),
                       ("settled_refugees", ("Bosatt", "Settled"))]


def settlement_funnel(store: Store, code: str, lang: str) -> pd.DataFrame:
    """Requested -> decided -> settled per year (from 2012, when settlement is published)."""
    frame = indicator_series(store, code, SETTLEMENT_MEASURES, lang, column="measure")
    frame = frame.assign(x=frame["year"])
    return frame[frame["year"] >= 2012]


STAY_SERIES = [("refugees_stayed_share", ("Alle", "All")),
               ("refugees_stayed_share_0_4y", ("0–4 år i Norge", "0–4 years in Norway")),
               ("refugees_stayed_share_5y_plus", ("5+ år i Norge", "5+ years in Norway"))]


def stay(store: Store, code: str, lang: str) -> pd.DataFrame:
    return indicator_series(store, code, STAY_SERIES, lang)


def stay_notes(store: Store, code: str, lang: str) -> list[str]:
    """The notes behind the stay chart's series: the whole share's, then those of a
    series by time in Norway that differ from them, named by their series (Engerdal
    2022: 12 of 27 left out in all, 12 of 16 at 0-4 years)."""
    (first, _), *others = STAY_SERIES
    notes = notes_for(store, code, [first], lang)
    said = {note.partition(": ")[2] for note in notes}  # the text, whatever its years
    for indicator, label in others:
        notes += [f"{label[lang == 'en']}, {note}" for note in notes_for(store, code, [indicator], lang)
                  if note.partition(": ")[2] not in said]
    return notes


MIGRATION_FLOWS = [("in_migration", ("Innflytting", "In-migration")),
                   ("out_migration", ("Utflytting", "Out-migration")),
                   ("net_migration", ("Netto innenlands", "Net domestic")),
                   ("immigration", ("Innvandring", "Immigration")),
                   ("emigration", ("Utvandring", "Emigration"))]
MIGRATION_GROUPS = [("_immigrants", ("Innvandrere", "Immigrants")),
                    ("_rest", ("Befolkningen ellers", "Rest of the population"))]


def migration_definition(lang: str) -> str:
    """What the bars of the migration chart count: each flow once, from the catalogue."""
    parts = [f"{label[lang == 'en']}: {FLOW_TEXT[flow][3 if lang == 'en' else 2]}"
             for flow, label in MIGRATION_FLOWS]
    return " ".join(parts) + (
        " Immigrants (SSB): born abroad to two foreign-born parents and four foreign-born "
        "grandparents." if lang == "en" else
        " Innvandrere (SSB): født i utlandet av to utenlandsfødte foreldre og fire "
        "utenlandsfødte besteforeldre.")


def migration(store: Store, code: str, year: int, lang: str) -> pd.DataFrame:
    parts = []
    for flow, flow_label in MIGRATION_FLOWS:
        for suffix, group_label in MIGRATION_GROUPS:
            indicator = flow + suffix
            part = label_values(rows(store, [code], indicator), indicator, lang)
            part = part[part["year"] == year]
            parts.append(part.assign(x=flow_label[lang == "en"], measure=group_label[lang == "en"]))
    frame = pd.concat(parts, ignore_index=True)
    return frame.assign(value=frame["value"].where(frame["status"].map(has_value)))


def latest(store: Store, code: str, indicator: str) -> pd.Series | None:
    """The most recent row with a figure (a full year rather than a part year), or None."""
    frame = rows(store, [code], indicator)
    frame = frame[frame["status"].map(has_value)]
    full = frame[frame["status"] != "partial-year"]
    frame = full if not full.empty else frame
    return None if frame.empty else frame.iloc[-1]


def previous(store: Store, code: str, indicator: str, before: int) -> pd.Series | None:
    frame = rows(store, [code], indicator)
    frame = frame[frame["status"].map(has_value) & (frame["year"] < before)]
    return None if frame.empty else frame.iloc[-1]


def rank_in_group(store: Store, code: str, indicator: str, year: int,
                  group: PeerGroup) -> tuple[int, int, bool] | None:
    """(rank, of how many, shared) among the group's members with a figure that year;
    1 = highest. Equal figures share the best rank (1, 1, 3, ...), whatever their order
    in the store, and `shared` says so."""
    v = store.values
    frame = v[(v["indicator"] == indicator) & (v["year"] == year)
              & v["kommunenummer"].isin(group.members) & v["status"].isin(QUALITY_ORDER)]
    values = frame.set_index(frame["kommunenummer"].astype(str))["value"].round(9)  # no float noise
    if code not in values.index:
        return None
    mine = values[code]
    return int((values > mine).sum()) + 1, len(values), bool((values == mine).sum() > 1)


@dataclass
class FactorRow:
    factor: str
    indicator: str
    value: str
    year: str
    rank: str
    trend: str


def factor_table(store: Store, code: str, group: PeerGroup, lang: str) -> list[FactorRow]:
    en = lang == "en"
    out = []
    for _key, label, indicators in FACTORS:
        if not indicators:
            out.append(FactorRow(label[en], "–", "No indicator in the data yet" if en else
                                 "Ingen indikator i datagrunnlaget ennå", "", "", ""))
            continue
        for indicator in indicators:
            ind = INDICATORS[indicator]
            row = latest(store, code, indicator)
            if row is None:
                out.append(FactorRow(label[en], ind.label(lang), "No figure" if en else "Ingen tall",
                                     "", "", ""))
                continue
            if ind.kind == "class" and indicator == "centrality_class":
                value = (f"{int(row['value'])} of 6 (1 = most central)" if en else
                         f"{int(row['value'])} av 6 (1 = mest sentral)")
            else:
                value = f"{i18n.format_number(row['value'], ind.decimals, lang)} {ind.unit(lang)}"
                if row["status"] != "ok":
                    value += f" ({i18n.status_text(row['status'], lang)})"
            ranked = rank_in_group(store, code, indicator, int(row["year"]), group) \
                if ind.kind != "class" else None
            rank = (f"{ranked[0]} {'of' if en else 'av'} {ranked[1]}"
                    + ((" (tied)" if en else " (delt)") if ranked[2] else "") if ranked else "–")
            cohorts = dict(small_cohorts(store, code, indicator))
            small = cohorts.get(int(row["year"]))
            if small is not None:  # a share of a handful of persons: say so where it is ranked
                value += (f" – cohort of {int(small)}, very uncertain" if en else
                          f" – kull på {int(small)}, svært usikker")
                rank += " (uncertain)" if en else " (usikker)"
            before = previous(store, code, indicator, int(row["year"]))
            if before is None or ind.kind == "class":
                trend = "–"
            else:
                # The change between the figures as shown: 66 % after 49 % is 17 points,
                # though 65.6 and 49.3 differ by 16.3.
                delta = (i18n.round_as_shown(row["value"], ind.decimals)
                         - i18n.round_as_shown(before["value"], ind.decimals))
                step = 10 ** -ind.decimals / 2
                arrow = "↗" if delta > step else "↘" if delta < -step else "→"
                sign = "+" if delta > step else ""
                # A change in a share is in percentage points, not per cent.
                unit = ind.unit(lang)
                unit = ("points" if en else "prosentpoeng") if unit.startswith("%") else unit
                trend = (f"{arrow} {sign}{i18n.format_number(delta, ind.decimals, lang)} {unit} "
                         f"{'since' if en else 'siden'} {int(before['year'])}")
                # A change from or to a share of a handful of persons is mostly chance.
                tiny = [int(n) for n in (cohorts.get(int(before["year"])), small) if n is not None]
                if tiny:
                    trend += (f" (uncertain: a cohort of {min(tiny)})" if en else
                              f" (usikker: kull på {min(tiny)})")
            out.append(FactorRow(label[en], ind.label(lang), value, str(int(row["year"])), rank, trend))
    return out


def group_row(store: Store, group_code: str, indicator: str, year: int) -> pd.Series | None:
    """A group's figure for one year (value and status), or None."""
    frame = rows(store, [group_code], indicator)
    frame = frame[(frame["year"] == year) & frame["status"].map(has_value)]
    return None if frame.empty else frame.iloc[0]


def summary(store: Store, code: str, group: PeerGroup, lang: str) -> str:
    """Two or three plain sentences built from the figures only."""
    en = lang == "en"
    name = store.kommuner[code]
    fmt = lambda v, ind: i18n.format_number(v, INDICATORS[ind].decimals, lang)  # noqa: E731

    def flag(row) -> str:
        """' (anslag)', ' (delår)', ...: a figure that is not a plain count says so."""
        word = i18n.status_text(row["status"], lang)
        return f" ({word})" if word else ""

    sentences = []
    settled = latest(store, code, "settled_per_1000")
    if settled is not None:
        year = int(settled["year"])
        peer = group_row(store, group.code, "settled_per_1000", year)
        text = (f"In {year}, {name} settled {fmt(settled['value'], 'settled_per_1000')}"
                f"{flag(settled)} refugees per 1,000 inhabitants" if en else
                f"I {year} bosatte {name} {fmt(settled['value'], 'settled_per_1000')}{flag(settled)} "
                f"flyktninger per 1 000 innbyggere")
        if peer is not None:
            text += (f", against {fmt(peer['value'], 'settled_per_1000')}{flag(peer)} in {group.in_sentence()}"
                     if en else
                     f", mot {fmt(peer['value'], 'settled_per_1000')}{flag(peer)} i {group.in_sentence()}")
        sentences.append(text + ".")
    stayed = latest(store, code, "refugees_stayed_share")
    if stayed is not None:
        year = int(stayed["year"])
        peer = group_row(store, group.code, "refugees_stayed_share", year)
        text = (f"Of the people with refugee background living there in {year}, "
                f"{fmt(stayed['value'], 'refugees_stayed_share')} %{flag(stayed)} had been settled there"
                if en else
                f"Av personer med flyktningbakgrunn som bodde der i {year}, var "
                f"{fmt(stayed['value'], 'refugees_stayed_share')} %{flag(stayed)} bosatt der")
        if peer is not None:  # "(Vestland: 71,6 %, ufullstendig sum)", no brackets in brackets
            word = i18n.status_text(peer["status"], lang)
            text += (f" ({group.label}: {fmt(peer['value'], 'refugees_stayed_share')} %"
                     f"{', ' + word if word else ''})")
        sentences.append(text + ".")
    employed = latest(store, code, "employment_rate_immigrants")
    if employed is not None:
        year = int(employed["year"])
        ranked = rank_in_group(store, code, "employment_rate_immigrants", year, group)
        text = (f"{fmt(employed['value'], 'employment_rate_immigrants')} %{flag(employed)} of "
                f"immigrants aged 15–74 were employed in {year}" if en else
                f"{fmt(employed['value'], 'employment_rate_immigrants')} %{flag(employed)} av "
                f"innvandrerne 15–74 år var sysselsatt i {year}")
        if ranked:
            text += (f", number {ranked[0]} of {ranked[1]} in {group.in_sentence()}" if en else
                     f", nummer {ranked[0]} av {ranked[1]} i {group.in_sentence()}")
        sentences.append(text + ".")
    if not sentences:
        return ("There are no figures for this kommune in the data yet." if en else
                "Det finnes ingen tall for denne kommunen i datagrunnlaget ennå.")
    return " ".join(sentences[:3])


def notes_for(store: Store, code: str, indicators: list[str], lang: str) -> list[str]:
    """Distinct notes on conversions (reforms, splits) behind a kommune's figures, each
    with the years it applies to: '2012–2019: Sum av tidligere kommuner: ...'."""
    former = FormerKommuner(store.meta)
    years_of: dict[str, set[int]] = {}
    no_population = {indicator: years_without_population(store, code, indicator) for indicator in indicators}
    for indicator in indicators:
        frame = rows(store, [code], indicator)
        # A year without a figure needs no note, unless a part of the sum is why (Trondheim
        # 2018 per 1,000: hidden because Klæbu's count is): the ':' would go unexplained.
        # But not where there is no population to divide by: that note says why, and the
        # count's conversion only told how estimates were made for years shown as none
        # (Narvik per 1,000, 2014-2019).
        explained = (frame["conversion"].str.contains("hidden:|absent:", regex=True)
                     & ~frame["year"].astype(int).isin(no_population[indicator]))
        frame = frame[frame["status"].map(has_value) | explained]
        for conversion, year in zip(frame["conversion"], frame["year"]):
            text = conversion_text(conversion, former, lang)
            if text:
                years_of.setdefault(text, set()).add(int(year))
    for indicator, years in no_population.items():
        if years:
            years_of.setdefault(no_population_text(lang, indicator), set()).update(years)
    return [f"{_year_span(sorted(years))}: {text}" for text, years in years_of.items()]


MAX_NAMED = 8  # kommuner named in a group's note beside a chart; the CSV names all


def group_coverage_notes(frame: pd.DataFrame, kommune: str, lang: str,
                         names: dict[str, str]) -> list[str]:
    """For each group series of a comparison (`frame`: series, year, conversion), how many
    of its kommuner its sums cover, where they do not cover all: a share for Norway over
    93 of 357 kommuner (the rest suppressed) must say so beside the chart, not only in
    the file. 'Norge: summen dekker 75–93 av 357 kommuner (2011–2014); ...'. And which
    of its kommuner have an incomplete sum of their own, which makes the group's
    incomplete though every kommune has a figure (`names`: kommune names)."""
    out = []
    for series, part in frame[frame["series"] != kommune].groupby("series", sort=False):
        covered, partial = {}, {}
        for year, conversion in zip(part["year"], part["conversion"]):
            pieces = conversion_pieces(conversion)
            if share := pieces.get("covered"):
                covered[int(year)] = tuple(int(n) for n in share.split("/"))
            for code in filter(None, pieces.get("partial_members", "").split("+")):
                partial.setdefault(code, []).append(int(year))
        if covered:
            counts = sorted(c for c, _ in covered.values())
            members = max(m for _, m in covered.values())
            span = (f"{counts[0]}" if counts[0] == counts[-1] else f"{counts[0]}–{counts[-1]}")
            years = _year_span(sorted(covered))
            out.append(f"{series}: the sum covers {span} of {members} kommuner ({years}); the rest are "
                       "suppressed, have no figure or were not computed" if lang == "en" else
                       f"{series}: summen dekker {span} av {members} kommuner ({years}); resten er "
                       "skjult, mangler tall eller er ikke regnet ut")
        if partial:
            # At most eight: Norway's ran to 39 names, 9 lines at 1280 px.
            named, rest = i18n.at_most([f"{names.get(code, code)} ({_year_span(sorted(years))})"
                                        for code, years in partial.items()], MAX_NAMED, lang)
            if rest:
                named.append(rest + (" (all in the CSV file)" if lang == "en" else " (alle i CSV-fila)"))
            listed = i18n.join_words(named, lang)
            out.append(f"{series}: incomplete sums among its kommuner: {listed}" if lang == "en" else
                       f"{series}: ufullstendige summer blant kommunene: {listed}")
    return out


def same_figures_notes(frame: pd.DataFrame, lang: str) -> list[str]:
    """Series of a comparison (`frame`: series, year, value) with the same figure every
    year: their lines lie on each other and only the last drawn shows (Oslo is a fylke
    of its own: two series, one line). 'Oslo - Oslove og Oslo har samme tall alle år;
    linjene ligger oppå hverandre.'"""
    figures: dict[tuple, list[str]] = {}
    for series, part in frame.groupby("series", sort=False):
        if part["value"].notna().any():
            key = tuple(sorted((int(y), None if pd.isna(v) else float(v))
                               for y, v in zip(part["year"], part["value"])))
            figures.setdefault(key, []).append(str(series))
    out = []
    for names in figures.values():
        if len(names) > 1:
            listed = i18n.join_words(names, lang)
            out.append(f"{listed} have the same figure every year; their lines lie on each other."
                       if lang == "en" else
                       f"{listed} har samme tall alle år; linjene ligger oppå hverandre.")
    return out


def years_without_population(store: Store, code: str, indicator: str) -> list[int]:
    """Years in which a rate per inhabitant has no figure although its count has one:
    SSB's population on today's boundaries has none for a kommune made partly from a
    split one (Narvik, Hamarøy, Heim, Hitra, Orkland before 2020)."""
    ind = INDICATORS[indicator]
    if ind.denominator != ("population",) or not ind.numerator:
        return []
    counted = rows(store, [code], ind.numerator)
    counted = set(counted.loc[counted["status"].map(has_value), "year"].astype(int))
    population = rows(store, [code], "population")
    return sorted(int(y) for y in population.loc[~population["status"].map(has_value), "year"]
                  if int(y) in counted)


def no_population_text(lang: str, indicator: str) -> str:
    """Why such a year has no rate, so a gap in the line is not read as a zero. In the
    indicator's own unit: Hamarøy's immigrant share (%) was said to have no figure
    "per 1 000 innbyggere"."""
    unit = INDICATORS[indicator].unit(lang)
    return (f"No figure ({unit}), not a zero: SSB publishes no population for "
            "the kommune within today's boundaries in those years (part of it comes from a "
            "former kommune that was split)."
            if lang == "en" else
            f"Ingen tall ({unit}), ikke null: SSB har ikke folketall for kommunen "
            "innenfor dagens grenser disse årene (en del av den kommer fra en tidligere "
            "kommune som ble delt).")


def _year_span(years: list[int]) -> str:
    """[2012, 2013, 2014, 2018] -> '2012–2014, 2018'."""
    spans, start = [], years[0]
    for previous_year, year in zip(years, years[1:] + [None]):
        if year is None or year != previous_year + 1:  # a gap, or the end
            spans.append(str(start) if start == previous_year else f"{start}–{previous_year}")
            start = year
    return ", ".join(spans)


def small_cohorts(store: Store, code: str, indicator: str) -> list[tuple[int, int]]:
    """Years in which the share of one kommune rests on fewer than 10 persons, and the
    cohort's size (see tables.small_cohorts)."""
    return sorted((year, n) for (_, year), n
                  in tables.small_cohorts(store, indicator, rows(store, [code], indicator)).items())


def small_cohort_warnings(store: Store, code: str, indicator: str, lang: str,
                          name: str = "") -> tuple[str, ...]:
    """"2012: kullet var 8 personer; andelen er svært usikker." for each small cohort of
    one kommune (`name` before the year where several kommuner share a chart)."""
    who = f"{name}, " if name else ""
    return tuple(
        (f"{who}{year}: the cohort was {int(n)} persons; the share is very uncertain." if lang == "en" else
         f"{who}{year}: kullet var {int(n)} personer; andelen er svært usikker.")
        for year, n in small_cohorts(store, code, indicator))


def _cohort_cell(row: pd.Series, lang: str) -> str:
    """The cohort beside a share (with_cohort's columns): its size, with its status where
    that is not plain ("18 (ufullstendig sum)"), or its status."""
    if pd.isna(row["cohort_status"]):
        return "–"
    if not has_value(row["cohort_status"]):
        return i18n.status_text(row["cohort_status"], lang)
    status = i18n.status_text(row["cohort_status"], lang)
    return i18n.format_number(row["cohort"], 0, lang) + (f" ({status})" if status else "")


def cohort_table(store: Store, code: str, groups: list[PeerGroup], lang: str) -> pd.DataFrame:
    """Share in work or education one year after, with the cohort beside every share."""
    en = lang == "en"
    indicator = "intro_work_or_education_1y"
    out = []
    for series_code, series_name in _series(store, code, groups):
        shares = label_values(with_cohort(rows(store, [series_code], indicator), store, indicator),
                              indicator, lang, suffix=" %")
        for _, share in shares.iterrows():
            out.append({
                ("Series" if en else "Serie"): series_name,
                ("Year" if en else "År"): int(share["year"]),
                ("Share in work/education" if en else "Andel i arbeid/utdanning"): share["cell"],
                ("Cohort (persons)" if en else "Kull (personer)"): _cohort_cell(share, lang),
            })
    return pd.DataFrame(out)


def _why_no_share(every: pd.DataFrame, lang: str) -> str:
    """Why a kommune has no share in any year of `every` (its rows of one indicator):
    each status with its years ("mangler tall 2011–2013; skjult (få personer) 2014"), or
    one status "alle år"."""
    years_of: dict[str, list[int]] = {}
    for year, status, conversion in sorted(zip(every["year"], every["status"], every["conversion"])):
        years_of.setdefault(i18n.status_text(status, lang, conversion), []).append(int(year))
    if len(years_of) == 1:
        return f"{next(iter(years_of))}, every year" if lang == "en" else f"{next(iter(years_of))}, alle år"
    return "; ".join(f"{text} {_year_span(years)}" for text, years in years_of.items())


def later_outcome_table(store: Store, code: str, lang: str) -> pd.DataFrame:
    """Two to five years after the programme: per span, the latest year with a share,
    and the cohort of that same year (never of another), flagged when under 10. A span
    without a share in any year says so, and why, year by year (Haram, three and four
    years after: no figure 2011-2013, hidden 2014), not left out.
    `attrs["trace_years"]`: the year each row's trace shows (the latest, where no year
    has a share)."""
    en = lang == "en"
    out, trace_years = [], []
    headings = (("Years after", "Year", "Share", "Cohort (persons)") if en else
                ("År etter", "År", "Andel", "Kull (personer)"))
    for n in range(2, 6):
        indicator = f"intro_work_or_education_{n}y"
        share = latest(store, code, indicator)
        if share is None:
            every = rows(store, [code], indicator)
            if every.empty:
                continue
            first, last = int(every["year"].min()), int(every["year"].max())
            out.append(dict(zip(headings, (n, f"{first}–{last}", _why_no_share(every, lang), "–"))))
            trace_years.append(last)
            continue
        year = int(share["year"])
        shares = label_values(with_cohort(rows(store, [code], indicator), store, indicator),
                              indicator, lang, suffix=" %")
        row = shares[shares["year"] == year].iloc[0]
        size = _cohort_cell(row, lang)
        if has_value(row["cohort_status"]) and row["cohort"] < 10:
            size += " (under 10: very uncertain)" if en else " (under 10: svært usikkert)"
        out.append(dict(zip(headings, (n, year, row["cell"], size))))
        trace_years.append(year)
    table = pd.DataFrame(out)
    table.attrs["trace_years"] = trace_years
    return table


def is_nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
