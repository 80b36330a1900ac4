"""IMDi's exports of older SSB statistics and the small reference tables (real files)."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from data_loaders import parse_older
from tests.conftest import FIXTURES, raw
from tests.test_parse import one


@pytest.fixture(scope="module")
def migration(mirror):
    return parse_older.imdi_migration({
        "2013": raw(mirror, "imdi/older/befolkning_flytting-2013.csv"),
        "2014": raw(mirror, "imdi/older/befolkning_flytting-kommune-2014.csv")})


def test_migration_both_layouts(migration):
    # befolkning_flytting-2013.csv, Bergen (1201): 9 795 in, 9 899 out, net -104.
    assert one(migration, code="1201", year=2013, indicator="in_migration")["value"] == 9795
    assert one(migration, code="1201", year=2013, indicator="out_migration")["value"] == 9899
    assert one(migration, code="1201", year=2013, indicator="net_migration")["value"] == -104
    assert one(migration, code="1201", year=2013, indicator="in_migration_immigrants")["value"] == 1657
    # befolkning_flytting-kommune-2014.csv: 4 503 immigrations, 3 987 of them immigrants.
    assert one(migration, code="1201", year=2014, indicator="immigration")["value"] == 4503
    assert one(migration, code="1201", year=2014, indicator="immigration_immigrants")["value"] == 3987
    assert set(migration["year"]) == {2013, 2014}
    assert migration.groupby("year")["code"].nunique().to_dict() == {2013: 428, 2014: 428}


def test_employment_counts_and_derived_denominators(mirror):
    frame = parse_older.imdi_employment(raw(mirror, "imdi/older/sysselsatte_innvkat-kommune-2006_2014.csv"))
    # Bergen 2014: 22 839 employed immigrants at 66 %.
    assert one(frame, code="1201", year=2014, indicator="employed_immigrants")["value"] == 22839
    denominator = one(frame, code="1201", year=2014, indicator="population_15_74_immigrants")["value"]
    assert denominator == pytest.approx(22839 / 0.66)
    assert "0000" not in set(frame["code"])  # Norway is computed from the kommuner


def test_intro_status_wide_files(mirror):
    frame = parse_older.imdi_intro_status({
        "a": raw(mirror, "imdi/older/intro_status_arbutd-kommune-2011_2013.csv"),
        "b": raw(mirror, "imdi/older/intro_status_arbutd-kommune-2014.csv")})
    assert one(frame, code="1201", year=2013, indicator="intro_cohort_1y")["value"] == 192
    assert one(frame, code="1201", year=2013, indicator="intro_work_or_education_count_1y")["value"] == 115
    assert one(frame, code="1201", year=2014, indicator="intro_cohort_1y")["value"] == 203
    # The 2011-2013 file writes 101 for 0101 Halden; the 2014 file 0101.
    assert one(frame, code="0101", year=2013, indicator="intro_cohort_1y")["value"] == 8
    suppressed = one(frame, code="0101", year=2013, indicator="intro_work_or_education_count_1y")
    assert suppressed["status"] == "suppressed" and math.isnan(suppressed["value"])
    assert set(frame["year"]) == {2011, 2012, 2013, 2014}


def test_a_zero_cohort_in_the_intro_files_is_no_figure(mirror):
    """The files write 0 where they have no figure: Lardal 0728's cohort one year after
    is 0 in 2011-2013 (Larvik's 0709 beside it has 24, 28, ...)."""
    frame = parse_older.imdi_intro_status({
        "a": raw(mirror, "imdi/older/intro_status_arbutd-kommune-2011_2013.csv"),
        "b": raw(mirror, "imdi/older/intro_status_arbutd-kommune-2014.csv")})
    wide = intro_wide(mirror, "intro_status_arbutd-kommune-2011_2013.csv").set_index("kommune_nr")
    assert wide.loc["728", "avslutta.ettaar_kjonn.alle_avslutning.status.4.alle_aar.2011_enhet.personer"] == "0"
    for indicator in ("intro_cohort_1y", "intro_work_or_education_count_1y"):
        row = one(frame, code="0728", year=2011, indicator=indicator)
        assert row["status"] == "missing" and math.isnan(row["value"]), indicator
    assert one(frame, code="0709", year=2011, indicator="intro_cohort_1y")["value"] == 24
    assert one(frame, code="1601", year=2014, indicator="intro_cohort_3y")["value"] == 139
    # Five years after in 2011: no kommune has a figure.
    five = frame[(frame["year"] == 2011) & (frame["indicator"] == "intro_cohort_5y")]
    assert not (five["value"] == 0).any()
    # A count of 0 in a cohort that has people is a count: kept.
    zero_count = frame[(frame["indicator"].str.startswith("intro_work_or_education_count_"))
                       & (frame["value"] == 0)]
    assert len(zero_count) > 0


def intro_wide(mirror, name: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(raw(mirror, f"imdi/older/{name}")), sep=";", dtype=str,
                       keep_default_na=False, encoding="iso-8859-1")


def test_columns_out_of_line_with_the_codes_are_no_figure(mirror):
    """In the 2011-2013 file the cohort followed from one year to the next (n-1 years
    after, then n) stands one row lower three years after, from Ålesund 1504 on, and four
    and five years after follow: Trondheim's 128 two years after in 2012 is 125 three
    years after in 2013 on Hemne 1612's row, with 0 on Trondheim's; Snillfjord 1613 (980
    people) has 87 four years after. Those columns are no figure from that row on; the
    2014 file, and one and two years after, are in line."""
    wide = intro_wide(mirror, "intro_status_arbutd-kommune-2011_2013.csv")
    column = "avslutta.{}_kjonn.alle_avslutning.status.4.alle_aar.{}_enhet.personer"
    at = wide.set_index("kommune_nr")
    assert at.loc["1601", column.format("toaar", 2012)] == "128"
    assert at.loc[["1601", "1612"], column.format("treaar", 2013)].tolist() == ["0", "125"]
    assert at.loc["1613", column.format("fireaar", 2013)] == "87"
    breaks = parse_older.out_of_line_rows(wide)
    first = wide.index[wide["kommune_nr"] == "1504"][0]
    assert breaks == {3: first, 4: first, 5: first} and wide["kommune_nr"][first - 1] == "1502"
    assert parse_older.out_of_line_rows(intro_wide(mirror, "intro_status_arbutd-kommune-2014.csv")) == {}
    frame = parse_older.imdi_intro_status({"a": raw(mirror, "imdi/older/intro_status_arbutd-kommune-2011_2013.csv")})
    for code in ("1504", "1601", "1612", "1613", "2030"):
        for n in (3, 4, 5):
            row = one(frame, code=code, year=2013, indicator=f"intro_cohort_{n}y")
            assert row["status"] == "missing" and math.isnan(row["value"]), (code, n)
    assert one(frame, code="1601", year=2013, indicator="intro_cohort_2y")["value"] == 139  # in line
    assert one(frame, code="0602", year=2013, indicator="intro_cohort_3y")["value"] == 37  # before Ålesund


def test_a_column_out_of_line_is_found_where_it_leaves_the_line():
    """The rule on a small frame: two years after in 2013 is one row low from the fourth
    row on; in line, nothing is found."""
    before = [20, 0, 40, 50, 60, 70, 30, 0]
    now = [19, 0, 40, 0, 49, 58, 69, 0]
    column = "avslutta.{}_kjonn.alle_avslutning.status.4.alle_aar.{}_enhet.personer"
    frame = pd.DataFrame({"kommune_nr": [str(101 + i) for i in range(8)],
                          column.format("ettaar", 2012): [str(v) for v in before],
                          column.format("toaar", 2013): [str(v) for v in now]})
    assert parse_older.out_of_line_rows(frame) == {2: 3, 3: 3, 4: 3, 5: 3}
    frame[column.format("toaar", 2013)] = [str(v) for v in before]
    assert parse_older.out_of_line_rows(frame) == {}


def test_the_count_of_a_hidden_cohort_is_hidden_not_zero(mirror):
    """Bjerkreim 1114, 2014, one year after: the file has ':' for the cohort and 0 for
    those in work or education. Beside a hidden cohort the files give the count as ':'
    or 0, never more: that 0 is no count of none, and is never shown as one."""
    data = raw(mirror, "imdi/older/intro_status_arbutd-kommune-2014.csv")
    header, *rows = data.decode("latin-1").splitlines()
    cells = dict(zip(header.split(";"), next(r for r in rows if r.startswith("1114;")).split(";")))
    column = "avslutta.ettaar_kjonn.alle_avslutning.status.4.{}_aar.2014_enhet.personer"
    assert (cells[column.format("alle")], cells[column.format("arbutd")]) == (":", "0")
    frame = parse_older.imdi_intro_status({"b": data})
    count = one(frame, code="1114", year=2014, indicator="intro_work_or_education_count_1y")
    assert count["status"] == "suppressed" and math.isnan(count["value"])
    # Every count of a hidden cohort, in both files.
    frame = parse_older.imdi_intro_status({
        "a": raw(mirror, "imdi/older/intro_status_arbutd-kommune-2011_2013.csv"), "b": data})
    cohorts = frame[frame["indicator"].str.startswith("intro_cohort_")]
    hidden_cohorts = cohorts[cohorts["status"] == "suppressed"]
    hidden = set(zip(hidden_cohorts["code"], hidden_cohorts["year"], hidden_cohorts["indicator"].str[-2:]))
    counts = frame[frame["indicator"].str.startswith("intro_work_or_education_count_")]
    of_hidden = counts[[k in hidden for k in zip(counts["code"], counts["year"], counts["indicator"].str[-2:])]]
    assert len(of_hidden) > 300 and set(of_hidden["status"]) == {"suppressed"}


def test_centrality_and_kostra(mirror):
    data = raw(mirror, "klass/sentralitet-kostragruppe-2024.csv")
    centrality = parse_older.class_csv(data, "centrality_class")
    kostra = parse_older.class_csv(data, "kostra_group")
    assert one(centrality, code="0301")["value"] == 1
    assert one(kostra, code="0301")["value"] == 13  # EKG13
    assert centrality["code"].nunique() == kostra["code"].nunique() == 357


def test_klass_correspondence_fixture():
    frame = parse_older.klass_correspondence(
        (FIXTURES / "klass_131_to_112_small.json").read_bytes(), "kostra_group")
    assert one(frame, code="0301")["value"] == 13 and one(frame, code="1151")["value"] == 16
    assert set(frame["year"]) == {2024}


def test_fylke_references(mirror):
    fylker = {"11": "Rogaland", "03": "Oslo", "15": "Møre og Romsdal", "18": "Nordland",
              "31": "Østfold", "32": "Akershus", "33": "Buskerud", "34": "Innlandet",
              "39": "Vestfold", "40": "Telemark", "42": "Agder", "46": "Vestland",
              "50": "Trøndelag", "55": "Troms", "56": "Finnmark"}
    stay = parse_older.fylke_stay_share(raw(mirror, "imdi/extra/bofasthet_fylke.csv"), fylker)
    assert stay == {**stay, "11": 90.0, "31": 93.0, "39": 81.0} and len(stay) == 15
    intro = parse_older.fylke_intro_share(raw(mirror, "imdi/extra/intro_arbeid_utdanning_fylke.csv"))
    assert intro["Norge"] == 67.0 and intro["Viken"] == 67.0
