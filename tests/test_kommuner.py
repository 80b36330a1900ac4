"""The crosswalk from every code since 1995 to today's 357 kommuner."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from data_loaders import kommuner, parse
from data_loaders.harmonise import harmonise
from tests.conftest import FIXTURES, raw


@pytest.fixture(scope="module")
def current(mirror):
    return kommuner.current_kommuner(parse.klass_codes_csv(raw(mirror, "klass/kommuner-131-2026.csv")))


@pytest.fixture(scope="module")
def crosswalk(mirror, current):
    return kommuner.crosswalk_from_fhi(raw(mirror, "klass/kommune-endringer-2018-2024.xlsx"),
                                       raw(mirror, "klass/kommunenummer-historisk-til-2024.csv"),
                                       current)


def targets(crosswalk, code):
    rows = crosswalk[crosswalk["code"] == code]
    return {r.target: round(r.weight, 3) for r in rows.itertuples()}


def test_today_has_357_kommuner_and_utoppgitt_is_not_one(current):
    assert len(current) == 357
    assert "9999" not in current and current["4601"] == "Bergen"


def test_every_target_is_a_kommune_of_today(crosswalk, current):
    assert set(crosswalk["target"]) <= set(current)


def test_reform_codes(crosswalk):
    assert targets(crosswalk, "0219") == {"3201": 1.0}  # Bærum 2020 -> 3024 -> 3201 (2024)
    assert targets(crosswalk, "3024") == {"3201": 1.0}
    assert targets(crosswalk, "1201") == {"4601": 1.0}  # Bergen
    assert targets(crosswalk, "1601") == {"5001": 1.0}  # Trondheim (2018)


def test_split_of_alesund_and_the_parts_that_merged_into_it(crosswalk):
    assert targets(crosswalk, "1507") == {"1508": 0.5, "1580": 0.5}  # weights replaced later
    assert set(crosswalk[crosswalk["code"] == "1507"]["split_of"]) == {"1507"}
    # Parts of the 2020 merger go whole to the 2024 kommune they belong to.
    assert targets(crosswalk, "1534") == {"1580": 1.0}  # Haram -> Haram
    assert targets(crosswalk, "1504") == {"1508": 1.0}
    assert targets(crosswalk, "1546") == {"1508": 1.0}  # Sandøy -> Ålesund (not Molde)


def test_renumbering_carries_a_later_split(crosswalk):
    assert targets(crosswalk, "1613") == {"5055": 0.35, "5056": 0.35, "5059": 0.3}
    assert targets(crosswalk, "1850") == {"1806": 0.5, "1875": 0.5}


def test_corrected_historic_codes(crosswalk):
    assert targets(crosswalk, "0718") == {"3905": 1.0}  # Ramnes -> Re -> Tønsberg
    assert targets(crosswalk, "1842") == {"1804": 1.0}  # Skjerstad -> Bodø


@pytest.mark.parametrize("year", [1995, 2001, 2005, 2013, 2015])
def test_crosswalk_reproduces_ssb_population_on_2024_boundaries(mirror, crosswalk, current, year):
    """Population by the kommuner of `year` (IMDi's export of SSB figures), summed with the
    crosswalk, equals SSB's population on 2024 boundaries for every kommune that no split
    touches (those are 0 in SSB's file)."""
    path = f"imdi/older/befolkning_hovedgruppe/01-befolkning_hovedgruppe-kommune-{year}.csv"
    grid = pd.read_csv(io.StringIO(raw(mirror, path).decode("iso-8859-1")), sep=";",
                       header=None, skiprows=3, dtype=str)
    old = pd.DataFrame({"code": grid[0].str[:4], "year": year, "indicator": "population",
                        "value": grid[1].astype(float), "status": "ok"})
    ours = harmonise(old, crosswalk, sorted(current)).set_index("kommunenummer")["value"]
    ssb = parse.ssb_population_extract(raw(mirror, "ssb/07459-folkemengde-2024grenser-1986-2026.csv"))
    ssb = ssb[(ssb["year"] == year) & (ssb["status"] == "ok")].set_index("code")["value"]
    compared = ssb.index
    assert len(compared) >= 350
    difference = (ours[compared] - ssb).abs()
    assert difference.max() < 0.5, difference[difference >= 0.5].to_dict()


def test_klass_changes_json_gives_the_same_answers(current):
    cw = kommuner.crosswalk_from_klass_changes(
        (FIXTURES / "klass_131_changes_small.json").read_bytes(), current)
    assert targets(cw, "0219") == {"3201": 1.0}
    assert targets(cw, "1534") == {"1580": 1.0}
    assert targets(cw, "1504") == {"1508": 1.0}
    assert targets(cw, "1546") == {"1508": 1.0}
    assert set(targets(cw, "1507")) == {"1508", "1580"}
    assert targets(cw, "1613") == {"5055": 0.333, "5056": 0.333, "5059": 0.333}
    validity = cw.drop_duplicates("code").set_index("code")[["valid_from", "valid_to"]]
    assert tuple(validity.loc["3024"]) == (2020, 2023)


def test_sami_names_the_latin1_klass_file_cannot_carry_come_from_kartverket(mirror, current, built_store):
    import json

    # The KLASS file (ISO-8859-1) has lost letters: "?" for š, "n" for ŋ.
    assert current["5610"] == "Kárá?johka - Karasjok" and current["1853"] == "Evenes - Evená??i"
    assert current["5622"] == "Porsanger - Porsángu - Porsanki"
    boundary_doc = json.loads(raw(mirror, "geo/Kommuner-S.geojson"))
    names, notes = kommuner.with_full_names(current, boundary_doc)
    assert names["5610"] == "Kárášjohka - Karasjok" and names["1853"] == "Evenes - Evenášši"
    assert names["5622"] == "Porsanger - Porsáŋgu - Porsanki"
    assert names["4601"] == current["4601"] == "Bergen"  # others stay KLASS's
    assert len(notes) == 3 and all("Kartverket" in n for n in notes)
    # In the store every one of the 357 names is whole.
    assert not [n for n in built_store.kommuner.values() if "?" in n]
    assert built_store.kommuner["5610"] == "Kárášjohka - Karasjok"


def test_a_kartverket_name_that_latin1_could_carry_does_not_replace_klass():
    doc = {"features": [{"properties": {"kommunenummer": "0301", "kommunenavn": "Oslo kommune"}},
                        {"properties": {"kommunenummer": "5610", "kommunenavn": "Kárášjohka - Karasjok"}}]}
    names, notes = kommuner.with_full_names({"0301": "Oslo", "5610": "Kárá?johka - Karasjok"}, doc)
    assert names == {"0301": "Oslo", "5610": "Kárášjohka - Karasjok"} and len(notes) == 1
    # A boundary file naming the code as another kommune does not rename it.
    other = {"features": [{"properties": {"kommunenummer": "5610", "kommunenavn": "Unjárga - Nesseby ŋ"}}]}
    assert kommuner.with_full_names({"5610": "Kárá?johka - Karasjok"}, other)[0] == {
        "5610": "Kárá?johka - Karasjok"}


def test_split_weights_move_in_a_straight_line_between_known_years():
    """A kommune split in three: its parts' shares of 1 January between the last year
    they had their own figures (2019) and the first again (2024), each year's shares
    summing to 1; with known years on one side only, the nearest's."""
    from data_loaders.harmonise import population_split_weights

    crosswalk = pd.DataFrame({"code": ["9001"] * 3, "target": ["9101", "9102", "9103"],
                              "split_of": ["9001"] * 3, "valid_from": [2020] * 3, "valid_to": [2023] * 3,
                              "weight": [1 / 3] * 3})
    people = {2019: (500, 300, 200), 2024: (400, 400, 200)}
    population = pd.DataFrame([{"kommunenummer": t, "year": y, "value": n, "status": "ok"}
                               for y, counts in people.items() for t, n in zip(["9101", "9102", "9103"], counts)])
    weights = population_split_weights(crosswalk, population, range(2015, 2027))
    assert {y for _, _, y in weights} == {2020, 2021, 2022, 2023}  # the split's own years only
    for year in range(2020, 2024):
        along = (year - 2019) / 5
        expected = [0.5 + along * (0.4 - 0.5), 0.3 + along * (0.4 - 0.3), 0.2]
        assert [weights[("9001", t, year)] for t in ("9101", "9102", "9103")] == pytest.approx(expected)
        assert sum(weights[("9001", t, year)] for t in ("9101", "9102", "9103")) == pytest.approx(1)
    only_after = population[population["year"] == 2024]
    weights = population_split_weights(crosswalk, only_after, range(2020, 2024))
    assert weights[("9001", "9101", 2020)] == pytest.approx(0.4)
