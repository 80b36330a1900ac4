"""Parsers on the real published files (exact figures) and on small fixtures written in
the sources' exact formats."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from data_loaders import parse
from tests.conftest import FIXTURES, raw


def one(frame: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= frame[column].to_numpy() == value
    rows = frame[mask]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return rows.iloc[0]


# -- IMDi bosatt_anmodede (real file) ------------------------------------------------------
@pytest.fixture(scope="module")
def settlement(mirror):
    return parse.imdi_settlement(raw(mirror, "imdi/k/bosatt_anmodede.csv"))


def test_settlement_exact_figures(settlement):
    bergen = dict(code="4601", year=2022)
    assert one(settlement, indicator="settled_refugees", **bergen)["value"] == 718
    assert one(settlement, indicator="settlement_requested", **bergen)["value"] == 1000
    assert one(settlement, indicator="settlement_decided", **bergen)["value"] == 1000
    assert one(settlement, code="0219", year=2015, indicator="settled_refugees")["value"] == 165
    assert one(settlement, code="3024", year=2023, indicator="settled_refugees")["value"] == 180


def test_settlement_status_symbols_are_never_zero(settlement):
    utsira_2020 = settlement[(settlement["code"] == "1151") & (settlement["year"] == 2020)]
    assert set(utsira_2020["status"]) == {"suppressed"}
    assert utsira_2020["value"].isna().all()
    # '.' before 2012: actual settlement was not published then.
    early = settlement[(settlement["indicator"] == "settled_refugees") & (settlement["year"] < 2012)]
    assert set(early["status"]) == {"missing"} and early["value"].isna().all()
    # A real published zero stays a zero.
    assert one(settlement, code="1151", year=2021, indicator="settled_refugees")["value"] == 0


def test_settlement_keeps_persons_only_and_known_measures(settlement):
    assert set(settlement["indicator"]) == {"settled_refugees", "settlement_requested",
                                            "settlement_decided"}
    # 'Opprinnelig anmodning' and the Prosent rows (with 'Inf') are not in the result.
    assert settlement["value"].dropna().apply(np.isfinite).all()


def test_imdi_csv_is_read_as_iso_8859_1(mirror):
    frame = parse.read_imdi_csv(raw(mirror, "imdi/k/bosatt_anmodede.csv"))
    assert "Ålesund (f.o.m. 2020)" in set(frame["Kommune"])
    assert list(frame.columns) == ["Enhet", "År", "Kommunenummer", "Kommune", "Bosetting", "Antall"]
    # Old codes carry empty names in the real file; the parser does not need them.
    assert (frame[frame["Kommunenummer"] == "0101"]["Kommune"] == "").all()


def test_inf_in_percentage_rows_of_the_real_file(mirror):
    frame = parse.read_imdi_csv(raw(mirror, "imdi/k/bosatt_anmodede.csv"))
    inf_rows = frame[frame["Antall"] == "Inf"]
    assert len(inf_rows) == 24 and set(inf_rows["Enhet"]) == {"Prosent"}
    value, status = parse.parse_amounts(inf_rows["Antall"])
    assert value.isna().all() and set(status) == {"missing"}


# -- IMDi flyktning_botid_flytting (real file) --------------------------------------------
def test_refugee_stay_figures_and_unpadded_codes(mirror):
    stay = parse.imdi_refugee_stay(raw(mirror, "imdi/k/flyktning_botid_flytting.csv"))
    assert one(stay, code="4601", year=2022, indicator="refugees_settled_here")["value"] == 8225
    assert one(stay, code="4601", year=2022, indicator="refugees_moved_here")["value"] == 3774
    assert one(stay, code="4601", year=2022, indicator="refugees_moved_here_0_4y")["value"] == 251
    # The file writes '914' for 0914 Tvedestrand.
    assert one(stay, code="0914", year=2018, indicator="refugees_settled_here")["value"] == 148
    assert stay["code"].str.fullmatch(r"\d{4}").all()


# -- SSB population extract and IMDi population exports (real files) -----------------------
def test_population_extract_zero_means_missing(mirror):
    pop = parse.ssb_population_extract(raw(mirror, "ssb/07459-folkemengde-2024grenser-1986-2026.csv"))
    assert one(pop, code="4601", year=2022)["value"] == 286930
    haram = one(pop, code="1580", year=2021)  # 0 in the file: Haram was part of Ålesund
    assert haram["status"] == "missing" and np.isnan(haram["value"])
    assert one(pop, code="1580", year=2024)["value"] == 9357


def test_population_main_groups(mirror):
    files = {p.name: p.read_bytes() for p in
             (mirror / "imdi/older/befolkning_hovedgruppe").glob("*-2015.csv")}
    frame = parse.imdi_population_main_groups(files)
    # Halden 2015: 3,096 immigrants + 812 Norwegian-born to immigrant parents.
    immigrants = frame[frame["indicator"] == "immigrant_population"]
    assert one(immigrants, code="0101", year=2015)["value"] == 3096 + 812
    assert one(immigrants, code="1151", year=2015)["value"] == 16 + 2
    # ... of 30,328 people: each former kommune's size (derive.with_part_sizes). A code not
    # in use that year is listed with 0: no size (Sarpsborg 0102, until 1991).
    people = frame[frame["indicator"] == parse.FORMER_POPULATION]
    assert one(people, code="0101", year=2015)["value"] == 30328
    sarpsborg = one(people, code="0102", year=2015)
    assert sarpsborg["status"] == "missing" and np.isnan(sarpsborg["value"])


def test_stay_totals_for_2014_are_the_sum_of_the_two_durations(mirror):
    data = raw(mirror, "imdi/k/flyktning_botid_flytting.csv")
    frame = parse.imdi_refugee_stay(data)
    # Bergen (1201) 2014: the file has only "Bosatt her;0-4 år;1201;;1592" and
    # "Bosatt her;5+ år;1201;;3780" (and 140 + 1813 moved here), no "Alle" row.
    assert one(frame, code="1201", year=2014, indicator="refugees_settled_here")["value"] == 1592 + 3780
    assert one(frame, code="1201", year=2014, indicator="refugees_moved_here")["value"] == 140 + 1813
    # The caveat's claim: where IMDi publishes the total (2015-2022), it is that sum.
    rows = parse.read_imdi_csv(data)
    rows = rows[rows["Sekundærflytting"].isin(["Bosatt her", "Flyttet hit"])
                & rows["Antall"].str.fullmatch(r"\d+")]
    wide = rows.assign(n=rows["Antall"].astype(int)).pivot_table(
        index=["Kommunenummer", "År", "Sekundærflytting"], columns="Botid i Norge", values="n")
    both = wide[["Alle", "0-4 år", "5+ år"]].dropna()
    assert len(both) > 5_000  # 5,844 kommune-years and groups
    assert (both["Alle"] == both["0-4 år"] + both["5+ år"]).all()


def test_population_main_groups_negative_count_is_missing(mirror):
    # 1999: "1264 Austrheim;...;27;...;-1;..." -- 27 immigrants and -1 Norwegian-born to
    # immigrant parents. No count of persons is negative: the figure is missing, not 26.
    files = {p.name: p.read_bytes() for p in
             (mirror / "imdi/older/befolkning_hovedgruppe").glob("*-1999.csv")}
    frame = parse.imdi_population_main_groups(files)
    frame = frame[frame["indicator"] == "immigrant_population"]
    austrheim = one(frame, code="1264", year=1999)
    assert austrheim["status"] == "missing" and np.isnan(austrheim["value"])
    assert one(frame, code="1263", year=1999)["status"] == "ok"  # Lindås beside it


# -- fixtures in the sources' exact formats ------------------------------------------------
def test_imdi_fixture_quirks():
    frame = parse.imdi_settlement((FIXTURES / "imdi_bosatt_anmodede_small.csv").read_bytes())
    assert one(frame, code="1534", year=2019)["status"] == "suppressed"
    assert one(frame, code="1546", year=2019)["status"] == "missing"
    assert one(frame, code="9999", year=2022)["status"] == "missing"  # empty cell
    assert one(frame, code="1507", year=2022)["value"] == 173
    assert len(frame) == 7  # Prosent and 'Opprinnelig anmodning' rows dropped


def test_jsonstat_without_category_index_decodes():
    """pyjstat 2.4 raises KeyError on a dimension without category.index (allowed by
    JSON-stat 2.0); the loader normalises first."""
    data = (FIXTURES / "ssb_07459_small.json").read_bytes()
    doc = json.loads(data)
    assert "index" not in doc["dimension"]["ContentsCode"]["category"]
    from pyjstat import pyjstat
    with pytest.raises(KeyError):
        pyjstat.Dataset.read(json.dumps(doc)).write("dataframe", naming="id")
    pop = parse.jsonstat2_population(data)
    assert one(pop, code="0301", year=2024)["value"] == 717710
    assert one(pop, code="1151", year=2023)["status"] == "suppressed"
    assert one(pop, code="1151", year=2024)["status"] == "missing"  # '..'
    assert one(pop, code="1580", year=2022)["status"] == "missing"  # 0 inhabitants: not placeable
    assert pop["value"].notna().sum() == 5


def test_jsonstat_sparse_values_and_categories_summed():
    data = (FIXTURES / "ssb_09817_small.json").read_bytes()
    frame = parse.jsonstat2_immigrants(data)
    assert one(frame, code="0301", year=2023)["value"] == 188532 + 55318
    assert one(frame, code="0301", year=2024)["value"] == 194871 + 57280
    assert one(frame, code="1151", year=2023)["value"] == 20 + 3
    # Utsira 2024: immigrants (B) are suppressed, so the sum is suppressed, not 2.
    utsira = one(frame, code="1151", year=2024)
    assert utsira["status"] == "suppressed" and np.isnan(utsira["value"])


@pytest.mark.parametrize("payload", [b"<html>Service Unavailable</html>", b"{\"error\": 1}"])
def test_bad_responses_give_clear_errors(payload):
    with pytest.raises(parse.SourceFormatError):
        parse.imdi_settlement(payload)
    with pytest.raises(parse.SourceFormatError):
        parse.jsonstat2_population(payload)
