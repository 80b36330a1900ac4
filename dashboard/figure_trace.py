"""How one figure was made: a kommune's value of an indicator in a year, with the
inputs it was computed from, each with its status, source table and retrieval date and
the note on any kommune reform behind it. Pure: store in, plain strings out (the page
escapes them). The about page shows it for the view a reader came from."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from data_loaders.catalogue import INDICATORS, Indicator
from data_loaders.derive import combined_status, lacking_parts, recorded_inputs
from data_loaders.export import source_line
from data_loaders.harmonise import conversion_pieces
from data_loaders.store import Store

from . import i18n
from .map_view import FormerKommuner, conversion_text
from .profile import has_value


@dataclass(frozen=True)
class TraceRow:
    """One figure: the result or one of its inputs."""
    label: str
    year: int
    value: str  # formatted; "–" where there is no figure (the status says why)
    status: str  # the status in words ("" for ok)
    source: str
    note: str  # plain text: which former kommuner make up today's figure
    has_figure: bool


@dataclass(frozen=True)
class FigureTrace:
    kommune: str  # "Haram (1580)"
    indicator: Indicator
    year: int
    rows: list[TraceRow]  # the figure first, then its inputs
    formula: str  # "7,1 / 9 531,4 × 1 000 = 0,75"; "" for a count or when an input lacks a figure
    statuses: list[str]  # the statuses met other than ok (their explanations go beside)


def inputs_of(ind: Indicator, year: int) -> list[tuple[str, int]]:
    """(indicator, year) of each input, in the order the formula names them."""
    if ind.kind == "growth":
        return [(ind.numerator, year - 1), (ind.numerator, year)]
    if ind.kind in ("rate", "difference"):
        return list(dict.fromkeys([(ind.numerator, year), *((d, year) for d in ind.denominator)]))
    return []


def _number(value: float, decimals: int, lang: str, is_input: bool) -> str:
    """A figure as the map shows it (its indicator's decimals); an input that is not a
    whole number (a count apportioned over a split) gets one place more: '7,1', not a
    '7' that does not add up to the rate beside it."""
    if is_input and decimals == 0 and not float(value).is_integer():
        decimals = 1
    return i18n.format_number(float(value), decimals, lang)


def _figure(store: Store, code: str, indicator: str, year: int) -> pd.Series | None:
    rows = store.of(code, indicator)
    rows = rows[rows["year"] == year]
    return None if rows.empty else rows.iloc[0]


def _row(store: Store, code: str, indicator: str, year: int, lang: str,
         former: FormerKommuner, is_input: bool = True) -> tuple[TraceRow, str]:
    ind = INDICATORS[indicator]
    found = _figure(store, code, indicator, year)
    status = "missing" if found is None else str(found["status"])
    has_figure = has_value(status) and not pd.isna(found["value"])
    value = _number(found["value"], ind.decimals, lang, is_input) if has_figure else "–"
    conversion = "" if found is None else str(found["conversion"] or "")
    note = html.unescape(conversion_text(conversion, former, lang))  # escaped again on the page
    # How that year's figure was made, where the catalogue says (the stay counts of 2014
    # are sums of two rows).
    caveats = ind.year_caveats(year, lang)
    if caveats:
        note = " ".join(filter(None, [note + "." if note else "", *caveats]))
    status = i18n.shown_status(status, conversion)
    return TraceRow(ind.label(lang), year, value, i18n.status_text(status, lang),
                    source_line(store, indicator, lang), note, has_figure), status


def formula(ind: Indicator, inputs: list[str], texts: list[str], result: str, lang: str) -> str:
    """'7,1 / 9 531,4 × 1 000 = 0,75' from the inputs (ids, texts, in `inputs_of` order)."""
    if ind.kind == "rate":
        below = [text for text, i in zip(texts, inputs) if i in ind.denominator]
        denominator = below[0] if len(below) == 1 else "(" + " + ".join(below) + ")"
        return f"{texts[0]} / {denominator} × {i18n.format_number(ind.scale, 0, lang)} = {result}"
    if ind.kind == "difference":
        return f"{texts[0]} − {texts[1]} = {result}"
    if ind.kind == "growth":
        return f"({texts[1]} − {texts[0]}) / {texts[0]} × 100 = {result}"
    return ""


def trace(store: Store, code: str, indicator: str, year: int, lang: str) -> FigureTrace:
    """The figure and what it was made of. A figure or input the store lacks is shown by
    its status ('no figure', 'suppressed'), never as 0; then no formula is given."""
    ind = INDICATORS[indicator]
    former = FormerKommuner(store.meta)
    result, result_status = _row(store, code, indicator, year, lang, former, is_input=False)
    needed = inputs_of(ind, year)
    whole = _whole_of(store, code, indicator, year)
    if whole and ind.kind == "growth":  # the whole's growth: its inputs are the whole's
        inputs = [_whole_row(store, whole, i, y, lang) for i, y in needed]
    else:
        inputs = [_row(store, code, i, y, lang, former) for i, y in needed]
        inputs = _over_matched_parts(ind, needed, inputs, _figure(store, code, indicator, year), former, lang)
    complete = result.has_figure and inputs and all(r.has_figure for r, _ in inputs)
    return FigureTrace(
        kommune=f"{store.kommuner.get(code, code)} ({code})", indicator=ind, year=year,
        rows=[result, *(r for r, _ in inputs)],
        formula=formula(ind, [i for i, _ in needed], [r.value for r, _ in inputs], result.value, lang)
        if complete else "",
        statuses=list(dict.fromkeys(s for s in [result_status, *(s for _, s in inputs)] if s != "ok")))


def _over_matched_parts(ind: Indicator, needed: list[tuple[str, int]], inputs: list[tuple[TraceRow, str]],
                        result: pd.Series | None, former: FormerKommuner,
                        lang: str) -> list[tuple[TraceRow, str]]:
    """A rate over the former kommuner with figures in both count and denominator
    (derive.common_parts) was made of inputs without the others: those inputs, as its
    note records them ('inputs:40/61'), each beside the figure published for the
    kommune (Drammen 2013: its cohort of 61 without Svelvik's 4, not the 65 published)."""
    recorded = recorded_inputs(None if result is None else result["conversion"], ind)
    if not recorded:
        return inputs
    lacking = lacking_parts(result["conversion"])
    names = ", ".join(f"{c} {former.get(c, '')}".strip() for c in sorted(lacking))
    without = f"without {names}" if lang == "en" else f"uten {names}"
    note = html.unescape(conversion_text(result["conversion"], former, lang))
    out = []
    for (row, _), (input_id, _) in zip(inputs, needed):
        value = _number(recorded[input_id], 0, lang, True)
        status = f" ({row.status})" if row.status else ""  # a published sum may lack parts too
        published = (f"{row.label} as published for the kommune: {row.value}{status}" if lang == "en" else
                     f"{row.label} slik det er publisert for kommunen: {row.value}{status}"
                     ) if value != row.value else ""
        out.append((TraceRow(f"{row.label}, {without}", row.year, value,
                             i18n.status_text("incomplete", lang), row.source,
                             ". ".join(filter(None, [note, published])), True), "incomplete"))
    return out


def _whole_of(store: Store, code: str, indicator: str, year: int) -> list[str]:
    """The kommuner that together hold the split kommune a figure is the whole of
    ('whole:1507' -> ['1508', '1580']), or []."""
    found = _figure(store, code, indicator, year)
    whole = conversion_pieces(None if found is None else found["conversion"]).get("whole", "")
    split = store.meta.get("splits", {}).get(whole)
    return sorted(split["into"]) if split else []


def _whole_row(store: Store, kommuner: list[str], indicator: str, year: int,
               lang: str) -> tuple[TraceRow, str]:
    """An input summed over the parts of a split kommune: 'Folkemengde 1. januar (1508 + 1580)'."""
    ind = INDICATORS[indicator]
    parts = [_figure(store, code, indicator, year) for code in kommuner]
    statuses = ["missing" if p is None else str(p["status"]) for p in parts]
    status = combined_status(pd.DataFrame([statuses])).iloc[0]
    has_figure = has_value(status)
    value = _number(sum(p["value"] for p in parts), ind.decimals, lang, True) if has_figure else "–"
    label = f"{ind.label(lang)} ({' + '.join(kommuner)})"
    return TraceRow(label, year, value, i18n.status_text(status, lang),
                    source_line(store, indicator, lang), "", has_figure), status
