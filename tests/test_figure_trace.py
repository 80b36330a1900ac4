"""dashboard.figure_trace: a figure traced to its inputs, on the real store; the
expected figures are read straight from the mirror's raw IMDi files."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard import figure_trace, i18n
from tests.conftest import raw


def imdi(mirror, table: str) -> pd.DataFrame:
    """A raw IMDi CSV as published (ISO-8859-1, ';'), every cell kept as text."""
    return pd.read_csv(io.BytesIO(raw(mirror, f"imdi/k/{table}.csv")), sep=";",
                       encoding="iso-8859-1", dtype=str)


def settled(frame: pd.DataFrame, code: str, year: int) -> str:
    rows = frame[(frame["Enhet"] == "Personer") & (frame["År"] == str(year))
                 & (frame["Kommunenummer"] == code) & (frame["Bosetting"] == "Faktisk bosetting")]
    assert len(rows) == 1
    return rows.iloc[0]["Antall"]


def number(text: str) -> float:
    return float(text.replace("\u202f", "").replace(",", "."))


def test_a_rate_shows_its_counts_and_the_calculation(built_store, mirror):
    source = imdi(mirror, "flyktning_botid_flytting")
    bergen = source[(source["År"] == "2022") & (source["Kommunenummer"] == "4601")
                    & (source["Botid i Norge"] == "Alle")].set_index("Sekundærflytting")["Antall"]
    here, moved = int(bergen["Bosatt her"]), int(bergen["Flyttet hit"])  # 8225 and 3774
    trace = figure_trace.trace(built_store, "4601", "refugees_stayed_share", 2022, "nb")
    assert trace.kommune == "Bergen (4601)" and trace.statuses == []
    assert [r.value for r in trace.rows] == [
        f"{100 * here / (here + moved):.1f}".replace(".", ","),
        f"{here:,}".replace(",", "\u202f"), f"{moved:,}".replace(",", "\u202f")]
    assert trace.formula == (f"{trace.rows[1].value} / ({trace.rows[1].value} + {trace.rows[2].value})"
                             f" × 100 = {trace.rows[0].value}")
    assert all(r.source.startswith("IMDi flyktning_botid_flytting") for r in trace.rows)


def test_a_suppressed_part_gives_no_rate_and_no_calculation_never_a_zero(built_store, mirror):
    """Ålesund (1508) in 2018 = 1504 + 1523 + 1529 + 1546: two parts ':' and one '.'."""
    source = imdi(mirror, "bosatt_anmodede")
    parts = {code: settled(source, code, 2018) for code in ("1504", "1523", "1529", "1546")}
    assert parts == {"1504": "53", "1523": ":", "1529": ":", "1546": "."}
    trace = figure_trace.trace(built_store, "1508", "settled_per_1000", 2018, "en")
    rate, count, _population = trace.rows
    # Not computed, as count and population cover different parts: not "few persons".
    assert (rate.value, rate.status) == ("–", "not computed")
    assert (count.value, count.status) == (parts["1504"], "incomplete sum")
    assert trace.formula == "" and trace.statuses == ["unmatched", "incomplete"]
    assert "1523 Ørskog, 1529 Skodje: suppressed" in count.note and "1546 Sandøy: no figure" in count.note


def test_a_split_kommunes_estimates_add_up_to_the_published_figure(built_store, mirror):
    """Ålesund 1507 (2020–2023) was split into 1508 Ålesund and 1580 Haram in 2024."""
    published = int(settled(imdi(mirror, "bosatt_anmodede"), "1507", 2021))  # 50
    haram, alesund = (figure_trace.trace(built_store, code, "settled_per_1000", 2021, "nb")
                      for code in ("1580", "1508"))
    assert number(haram.rows[1].value) + number(alesund.rows[1].value) == pytest.approx(published, abs=0.1)
    assert haram.statuses == ["estimated"] and haram.rows[1].status == "anslag"
    assert "Anslag: " in haram.rows[1].note and "Ålesund (1507)" in haram.rows[1].note
    assert haram.formula.startswith(f"{haram.rows[1].value} / {haram.rows[2].value} × 1\u202f000 = ")


def test_a_count_has_no_inputs_and_a_missing_figure_is_a_dash(built_store):
    utsira = figure_trace.trace(built_store, "1151", "settled_refugees", 2016, "nb")
    assert len(utsira.rows) == 1 and utsira.formula == ""
    assert figure_trace.trace(built_store, "1151", "settled_refugees", 1990, "nb").rows[0].value == "–"


def test_growth_compares_with_the_year_before(built_store):
    trace = figure_trace.trace(built_store, "0301", "population_growth", 2022, "en")
    assert [r.year for r in trace.rows] == [2022, 2021, 2022]
    before, now = (number(r.value.replace(",", "")) for r in trace.rows[1:])
    assert trace.formula.startswith(f"({trace.rows[2].value} − {trace.rows[1].value}) / ")
    assert number(trace.rows[0].value) == pytest.approx(100 * (now - before) / before, abs=0.05)


def test_a_split_kommunes_growth_is_traced_to_the_whole(built_store):
    """Haram's 2022 growth is all of Ålesund 1507's: the calculation shown is over the
    whole (1508 + 1580), so it adds up; over Haram's own shares it read −2,9 = 0,7."""
    trace = figure_trace.trace(built_store, "1580", "population_growth", 2022, "nb")
    assert [r.label for r in trace.rows[1:]] == ["Folkemengde 1. januar (1508 + 1580)"] * 2
    whole = {y: sum(built_store.values.set_index(["kommunenummer", "indicator", "year"])["value"][
        (c, "population", y)] for c in ("1508", "1580")) for y in (2021, 2022)}
    before, now = (number(r.value) for r in trace.rows[1:])
    assert (before, now) == (pytest.approx(whole[2021], abs=0.5), pytest.approx(whole[2022], abs=0.5))
    assert number(trace.rows[0].value) == pytest.approx((now / before - 1) * 100, abs=0.05)
    assert trace.rows[0].note == "Anslag: tallet for hele Ålesund (1507), som ble delt i to i 2024"


def test_a_rate_over_the_parts_with_both_figures_shows_those_parts(built_store, mirror):
    """Drammen 2013: Svelvik's count hidden, its cohort of 4 published. The share is the
    other parts' count over their cohort; the trace shows that cohort (61), not the 65
    published for all of today's Drammen, which it names beside it (with its status where
    that sum lacks parts too: Drammen 2011, Svelvik's cohort hidden as well)."""
    from tests.test_store import intro_2013

    both = intro_2013(mirror, ["602", "625"]).astype(int).sum()
    trace = figure_trace.trace(built_store, "3301", "intro_work_or_education_1y", 2013, "nb")
    share, count, cohort = trace.rows
    assert trace.formula == (f"{both['count']} / {both['cohort']} × 100 = "
                             f"{round(both['count'] / both['cohort'] * 100)}")
    assert count.label.endswith(", uten 0711 Svelvik") and cohort.label.endswith(", uten 0711 Svelvik")
    assert (count.status, cohort.status) == ("ufullstendig sum", "ufullstendig sum")
    assert "0711 Svelvik: skjult" in cohort.note
    assert f"slik det er publisert for kommunen: {both['cohort'] + 4}" in cohort.note  # a whole sum: no status
    assert "publisert for kommunen" not in count.note  # the published count is the same 40
    assert trace.statuses == ["incomplete"]

    earlier = figure_trace.trace(built_store, "3301", "intro_work_or_education_1y", 2011, "nb")
    assert earlier.rows[2].note.endswith(f"slik det er publisert for kommunen: {earlier_published(built_store)} "
                                         "(ufullstendig sum)")


def earlier_published(store) -> str:
    row = store.of("3301", "intro_cohort_1y").set_index("year").loc[2011]
    assert row["status"] == "incomplete"
    return f"{row['value']:.0f}"


def test_a_trace_of_2014s_stay_says_its_counts_are_sums_of_two_rows(built_store):
    """IMDi's stay table has no all-durations row for 2014: the counts are the sums of the
    0–4 and 5+ years rows (Bergen: 1,592 + 3,780 settled here). The trace says so, on
    every row of that year, and not on 2015's (published whole)."""
    trace = figure_trace.trace(built_store, "4601", "refugees_stayed_share", 2014, "nb")
    here = trace.rows[1]
    assert here.value == i18n.format_number(1592 + 3780, 0, "nb")
    said = "2014: IMDi oppgir ikke tallet for all botid dette året; det er summen av 0–4 og 5 år"
    assert all(said in row.note for row in trace.rows)
    later = figure_trace.trace(built_store, "4601", "refugees_stayed_share", 2015, "nb")
    assert not any("summen av 0–4" in row.note for row in later.rows)
