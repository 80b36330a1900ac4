"""The harmonised store built from the real files, and its CSV export."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from dashboard import map_view
from data_loaders import parse
from data_loaders.__main__ import main as cli
from data_loaders.build import RefreshFailed, refresh
from data_loaders.export import publishers
from data_loaders.settings import load_settings
from data_loaders.store import read_store
from tests.conftest import raw


def fig(store, code, indicator, year):
    v = store.values
    rows = v[(v["kommunenummer"] == code) & (v["indicator"] == indicator) & (v["year"] == year)]
    assert len(rows) == 1, (code, indicator, year, len(rows))
    return rows.iloc[0]


def test_every_kommune_every_year_and_indicator(built_store):
    v = built_store.values
    kommuner = v[v["kommunenummer"].isin(built_store.kommuner)]
    assert kommuner["kommunenummer"].nunique() == 357
    per_cell = kommuner.groupby(["indicator", "year"])["kommunenummer"].nunique()
    assert (per_cell == 357).all()
    assert not v.duplicated(["kommunenummer", "year", "indicator"]).any()


def test_same_kommune_figures_as_the_source(built_store):
    assert fig(built_store, "4601", "settled_refugees", 2022)["value"] == 718
    assert fig(built_store, "4601", "settled_refugees", 2019)["value"] == 196  # as 1201
    assert fig(built_store, "4601", "population", 2022)["value"] == 286930
    assert fig(built_store, "4601", "settled_per_1000", 2022)["value"] == pytest.approx(718 / 286930 * 1000)
    stayed = fig(built_store, "4601", "refugees_stayed_share", 2022)
    assert stayed["value"] == pytest.approx(8225 / (8225 + 3774) * 100)


def test_renumbered_kommune_baerum(built_store):
    for year, expected, old in [(2015, 165, "0219"), (2022, 277, "3024")]:
        row = fig(built_store, "3201", "settled_refugees", year)
        assert (row["value"], row["status"], row["conversion"]) == (expected, "ok", f"renumbered:{old}")


def test_merged_kommune_alesund_sums_its_parts(built_store):
    row = fig(built_store, "1508", "settled_refugees", 2015)
    assert row["value"] == 92 + 8 + 13 + 0  # 1504 + 1523 + 1529 + 1546
    assert row["status"] == "ok" and row["conversion"] == "merged:1504+1523+1529+1546"
    # 2019: Ørskog, Skodje and Sandøy are '.' in the source: the sum is incomplete.
    row = fig(built_store, "1508", "settled_refugees", 2019)
    assert (row["value"], row["status"]) == (39, "incomplete")


def test_split_alesund_haram_is_apportioned_by_population_and_marked(built_store):
    whole = 173  # 1507 Ålesund, 2022, in the source
    alesund = fig(built_store, "1508", "settled_refugees", 2022)
    haram = fig(built_store, "1580", "settled_refugees", 2022)
    assert alesund["status"] == haram["status"] == "estimated"
    assert alesund["value"] + haram["value"] == pytest.approx(whole)
    # Haram's share of 1 January (SSB 07459, 2024 boundaries) moves in a straight line
    # from 2019 (the last year both existed) to 2024 (the first again): 2022 is 3/5 of it.
    share_2019, share_2024 = 9383 / (56250 + 9383), 9357 / (58509 + 9357)
    share = share_2019 + 3 / 5 * (share_2024 - share_2019)
    assert haram["value"] == pytest.approx(whole * share)
    assert haram["conversion"] == f"renumbered:1507;split:1507:{share:.3f}"
    # Per 1,000 both get Ålesund 1507's rate; Haram's own population before 2020 is real.
    assert haram["value"] / fig(built_store, "1580", "population", 2022)["value"] == pytest.approx(
        alesund["value"] / fig(built_store, "1508", "population", 2022)["value"])
    assert fig(built_store, "1580", "settled_refugees", 2018)["value"] == 8  # as 1534
    assert fig(built_store, "1580", "settled_refugees", 2019)["status"] == "suppressed"
    # So the estimated population never jumps where the share would have changed.
    pops = [fig(built_store, "1580", "population", y)["value"] for y in range(2019, 2025)]
    steps = [b - a for a, b in zip(pops, pops[1:])]
    assert max(abs(s) for s in steps) < 40, steps  # was -278 from 2021 to 2022


def test_population_never_zero_for_split_kommuner(built_store):
    v = built_store.values
    pop = v[(v["indicator"] == "population") & v["kommunenummer"].isin(built_store.kommuner)]
    assert (pop["value"].dropna() > 0).all()
    narvik = fig(built_store, "1806", "population", 2015)  # 0 in SSB's file (Tysfjord split)
    assert narvik["status"] == "missing" and math.isnan(narvik["value"])
    assert fig(built_store, "1806", "settled_per_1000", 2015)["status"] == "missing"


def test_suppressed_and_missing_are_never_zero(built_store):
    v = built_store.values
    no_value = v[v["status"].isin(["missing", "suppressed"])]
    assert no_value["value"].isna().all()
    utsira = fig(built_store, "1151", "settled_refugees", 2020)
    assert utsira["status"] == "suppressed"
    assert fig(built_store, "1151", "settled_refugees", 2021)["value"] == 0  # a real zero


def test_2023_is_a_part_year(built_store):
    assert built_store.source("imdi_bosatt_anmodede")["retrieved"] == "2023-09"
    assert fig(built_store, "4601", "settled_refugees", 2023)["status"] == "partial-year"
    assert fig(built_store, "4601", "settled_refugees", 2022)["status"] == "ok"
    assert fig(built_store, "4601", "settled_per_1000", 2023)["status"] == "partial-year"


def test_national_totals_equal_the_sum_over_kommuner(built_store, mirror):
    v = built_store.values
    source = parse.imdi_settlement(raw(mirror, "imdi/k/bosatt_anmodede.csv"))
    for year in [2015, 2019, 2022]:
        kommuner = v[(v["indicator"] == "settled_refugees") & (v["year"] == year)
                     & v["kommunenummer"].isin(list(built_store.kommuner) + ["9999"])]
        national = fig(built_store, "0000", "settled_refugees", year)["value"]
        assert national == pytest.approx(kommuner["value"].sum())
        # ... and equals the source file's own sum over every code it lists.
        in_file = source[(source["indicator"] == "settled_refugees") & (source["year"] == year)
                         & ~source["code"].str.startswith(("21", "22"))]
        assert national == pytest.approx(in_file["value"].sum())
    assert fig(built_store, "0000", "settled_refugees", 2015)["value"] >= 74  # incl. 9999


def test_export_csv_matches_the_source(built_store, store_env, tmp_path, monkeypatch, mirror):
    for key, value in store_env.items():
        monkeypatch.setenv(key, value)
    out = tmp_path / "export.csv"
    assert cli(["export", "--out", str(out)]) == 0
    frame = pd.read_csv(out, dtype={"kommunenummer": str})
    assert list(frame.columns) == ["kommunenummer", "kommunenavn", "year", "indicator", "value",
                                   "unit", "status", "source", "conversion"]
    # Haram's 2023: a part year (the status) and an estimate, 13.8 % of 1507's (the note).
    source = parse.imdi_settlement(raw(mirror, "imdi/k/bosatt_anmodede.csv"))
    published = source[(source["code"] == "1507") & (source["year"] == 2023)
                       & (source["indicator"] == "settled_refugees")]["value"].iloc[0]
    haram = frame[(frame["kommunenummer"] == "1580") & (frame["year"] == 2023)
                  & (frame["indicator"] == "settled_refugees")].iloc[0]
    assert haram["conversion"].startswith("renumbered:1507;split:1507:")
    share = float(haram["conversion"].rsplit(":", 1)[1])
    assert haram["status"] == "partial-year" and haram["value"] == pytest.approx(published * share, abs=published * 0.0005)  # share to 3 places
    row = frame[(frame["kommunenummer"] == "4601") & (frame["year"] == 2022)
                & (frame["indicator"] == "settled_refugees")].iloc[0]
    assert (row["kommunenavn"], row["value"], row["unit"], row["status"]) == (
        "Bergen", 718, "personer", "ok")
    assert row["source"] == "IMDi bosatt_anmodede (hentet 2023-09)"
    # Figures read from IMDi's export of an SSB table say so; SSB's own file does not.
    share = frame[(frame["kommunenummer"] == "4601") & (frame["year"] == 2015)
                  & (frame["indicator"] == "immigrant_share")].iloc[0]
    assert share["source"].startswith("SSB 09817 via IMDi (speilkopi lest ")
    assert "; SSB 07459 (speilkopi lest " in share["source"]
    utsira = frame[(frame["kommunenummer"] == "1151") & (frame["year"] == 2020)
                   & (frame["indicator"] == "settled_refugees")].iloc[0]
    assert utsira["status"] == "suppressed" and pd.isna(utsira["value"])
    assert set(frame["status"]) <= {"ok", "estimated", "incomplete", "partial-year",
                                    "suppressed", "missing"}


def test_failed_refresh_keeps_the_last_good_store(built_store, mirror_settings, tmp_path):
    before = mirror_settings.store_path.read_bytes()
    empty_mirror = tmp_path / "empty"
    empty_mirror.mkdir()
    broken = load_settings({"DATA_MIRROR": str(empty_mirror),
                            "DATA_DIR": str(mirror_settings.data_dir)})
    with pytest.raises(RefreshFailed) as failure:
        refresh(broken)
    assert "KLASS" in failure.value.step and "fant ikke" in failure.value.reason
    assert mirror_settings.store_path.read_bytes() == before
    assert read_store(mirror_settings.store_path).values.shape == built_store.values.shape


def test_the_maps_credit_names_who_published_what_was_read(built_store):
    """The map's short credit follows the files read: the introduction programme came
    from IMDi's export of SSB's table, so "Kilde: SSB" alone named a file not read."""
    assert publishers(built_store, "settled_per_1000") == "IMDi, SSB"
    assert publishers(built_store, "intro_work_or_education_1y") == "SSB via IMDi"
    # 09817 read from IMDi's export, 07459 (the population) from SSB's own file.
    assert publishers(built_store, "immigrant_share") == "SSB (delvis via IMDi)"
    assert publishers(built_store, "immigrant_share", "en") == "SSB (partly via IMDi)"
    assert publishers(built_store, "population") == "SSB"


def test_corrupt_source_fails_clearly_and_keeps_data(built_store, mirror, mirror_settings, tmp_path):
    """A mirror whose IMDi file is HTML (an error page) stops the refresh by name."""
    fake = tmp_path / "mirror"
    for path in mirror.rglob("*"):
        if path.is_file():
            target = fake / path.relative_to(mirror)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    bad = fake / "imdi/k/bosatt_anmodede.csv"
    bad.unlink()
    bad.write_bytes(b"<html><body>502 Bad Gateway</body></html>")
    before = mirror_settings.store_path.read_bytes()
    with pytest.raises(RefreshFailed) as failure:
        refresh(load_settings({"DATA_MIRROR": str(fake), "DATA_DIR": str(mirror_settings.data_dir)}))
    assert failure.value.step == "IMDi bosatt_anmodede"
    assert mirror_settings.store_path.read_bytes() == before


def test_migration_over_a_merger(built_store):
    # Ålesund 1508 = 1504 + 1523 + 1529 + 1546 in 2013: gross flows include moves between
    # them (estimate); net migration is exact.
    gross = fig(built_store, "1508", "in_migration", 2013)
    net = fig(built_store, "1508", "net_migration", 2013)
    assert gross["status"] == "estimated" and net["status"] == "ok"
    assert fig(built_store, "4601", "in_migration_rest", 2013)["value"] == 9795 - 1657


def test_peer_group_rows_sum_their_members(built_store):
    v = built_store.values
    members = [c for c in built_store.kommuner if c.startswith("46")]
    rows = v[v["kommunenummer"].isin(members) & (v["indicator"] == "population") & (v["year"] == 2024)]
    assert fig(built_store, "F46", "population", 2024)["value"] == rows["value"].sum()
    assert len(built_store.fylker) == 15
    kostra = fig(built_store, "K12", "settled_refugees", 2022)
    assert kostra["status"] in ("ok", "incomplete")


def test_intro_share_from_counts(built_store):
    row = fig(built_store, "4601", "intro_work_or_education_1y", 2013)
    assert row["value"] == pytest.approx(115 / 192 * 100)
    no_cohort = fig(built_store, "1151", "intro_work_or_education_1y", 2013)
    assert no_cohort["status"] == "missing" and math.isnan(no_cohort["value"])


def test_a_sum_with_a_hidden_part_never_makes_a_rate_or_a_zero(built_store, mirror):
    # Bjørnafjorden 4624 = Fusa 1241 + Os 1243. In 2013 the source has Fusa 0 of 0 (read
    # as no figure: the file writes 0 where it has none) and Os ':' of 10 (in work or
    # education, one year after): the share is hidden, not 0 %.
    cohort = fig(built_store, "4624", "intro_cohort_1y", 2013)
    assert (cohort["value"], cohort["status"]) == (10, "incomplete")
    assert cohort["conversion"] == "merged:1241+1243;absent:1241"
    for indicator in ("intro_work_or_education_count_1y", "intro_work_or_education_1y"):
        row = fig(built_store, "4624", indicator, 2013)
        assert row["status"] == "suppressed" and math.isnan(row["value"]), indicator
    # Stavanger 2012: Rennesøy's count and cohort are both hidden, Finnøy's cohort is 0 (no
    # figure). A share over all three cohorts would be low; over the one with both
    # figures, it is marked as such.
    count, cohort, row = (fig(built_store, "1103", i, 2012) for i in (
        "intro_work_or_education_count_1y", "intro_cohort_1y", "intro_work_or_education_1y"))
    assert count["conversion"] == cohort["conversion"] == "merged:1103+1141+1142;hidden:1142;absent:1141"
    covers = people_share(mirror, ["1103"], ["1103", "1141", "1142"], 2012)  # the old Stavanger: 94 %
    assert row["status"] == "incomplete" and row["conversion"] == (
        f"{count['conversion']};inputs:{count['value']:g}/{cohort['value']:g};matched;covers:{covers}")
    assert row["value"] == pytest.approx(count["value"] / cohort["value"] * 100)
    v = built_store.values
    incomplete = v[(v["status"] == "incomplete") & v["kommunenummer"].isin(built_store.kommuner)]
    # A sum is never 0 over a hidden or missing part; a share over the parts its count
    # and denominator share may be (Hitra 2014, 5+ years in Norway: 0 of 7 stayed).
    sums = incomplete[~incomplete["conversion"].str.contains(";matched", regex=False)]
    assert len(sums) and (sums["value"] != 0).all()
    hitra = fig(built_store, "5056", "refugees_stayed_share_5y_plus", 2014)
    assert (hitra["value"], hitra["status"]) == (0, "incomplete") and ";inputs:0/7;matched" in hitra["conversion"]


def intro_2013(mirror, codes: list[str]) -> pd.DataFrame:
    """IMDi's 2011-2013 introduction file as published, one year after completing, 2013:
    the cohort ('alle') and those in work or education ('arbutd') by code, as text."""
    source = pd.read_csv(io.BytesIO(raw(mirror, "imdi/older/intro_status_arbutd-kommune-2011_2013.csv")),
                         sep=";", dtype=str, keep_default_na=False).set_index("kommune_nr")
    column = "avslutta.ettaar_kjonn.alle_avslutning.status.4.{}_aar.2013_enhet.personer"
    return pd.DataFrame({"cohort": source.loc[codes, column.format("alle")],
                         "count": source.loc[codes, column.format("arbutd")]})


def test_a_rate_over_a_merger_is_made_of_the_parts_with_both_figures(built_store, mirror):
    """Drammen 3301 = Drammen 0602 + Nedre Eiker 0625 + Svelvik 0711 (2020). In 2013 the
    source hides Svelvik's count (':') but publishes its cohort of 4: the share over the
    two others' counts and cohorts, marked incomplete, where a count without Svelvik over
    a cohort with it had made it no figure at all."""
    parts = intro_2013(mirror, ["602", "625", "711"])
    assert parts.loc["711"].tolist() == ["4", ":"]
    both = parts.drop("711").astype(int).sum()
    row = fig(built_store, "3301", "intro_work_or_education_1y", 2013)
    assert row["status"] == "incomplete"
    assert row["value"] == pytest.approx(both["count"] / both["cohort"] * 100)  # 40 / 61
    covers = people_share(mirror, ["0602", "0625"], ["0602", "0625", "0711"], 2013)
    assert row["conversion"] == (f"merged:0602+0625+0711;hidden:0711;"
                                 f"inputs:{both['count']}/{both['cohort']};matched;covers:{covers}")
    cohort = fig(built_store, "3301", "intro_cohort_1y", 2013)  # published whole: 46 + 15 + 4
    assert (cohort["value"], cohort["status"]) == (both["cohort"] + 4, "ok")
    # Every such rate is its recorded inputs' quotient, over no more than the published.
    v = built_store.values
    over = v[v["conversion"].str.contains("inputs:", regex=False) & v["kommunenummer"].isin(built_store.kommuner)]
    assert len(over) > 100 and over["status"].eq("incomplete").all()
    quotients = over["conversion"].str.extract(r"inputs:([\d.e+]+)/([\d.e+]+)").astype(float)
    intro = over["indicator"].str.startswith("intro_")
    assert intro.any() and over.loc[intro, "value"].to_numpy() == pytest.approx(
        (quotients[0] / quotients[1] * 100)[intro].to_numpy())


def test_a_part_the_source_leaves_out_makes_the_sum_incomplete(built_store, mirror):
    # Stavanger 1103 = Stavanger + Finnøy 1141 + Rennesøy 1142 (2020). IMDi's stay table
    # lists 1142 in 2014 and 2016 and 1141 from 2017, but neither in 2015: Stavanger's
    # 2015 figure is the old Stavanger's alone, not the whole, and says so.
    source = pd.read_csv(io.BytesIO(raw(mirror, "imdi/k/flyktning_botid_flytting.csv")), sep=";",
                         encoding="iso-8859-1", dtype=str)
    parts = source[source["Kommunenummer"].isin(["1103", "1141", "1142"])
                   & (source["Botid i Norge"] == "Alle")]
    listed = parts.groupby("År")["Kommunenummer"].agg(lambda c: sorted(set(c)))
    assert listed["2015"] == ["1103"] and listed["2016"] == ["1103", "1142"]
    assert listed["2017"] == ["1103", "1141", "1142"]
    own = parts[parts["År"] == "2015"].set_index("Sekundærflytting")["Antall"].astype(int)
    here, moved = (fig(built_store, "1103", i, 2015)
                   for i in ("refugees_settled_here", "refugees_moved_here"))
    assert (here["value"], moved["value"]) == (own["Bosatt her"], own["Flyttet hit"])
    for row in (here, moved):
        assert (row["status"], row["conversion"]) == ("incomplete", "merged:1103+1141+1142;absent:1141+1142")
    # The share: over the parts both counts have, marked incomplete (it used to say ok).
    share = fig(built_store, "1103", "refugees_stayed_share", 2015)
    covers = people_share(mirror, ["1103"], ["1103", "1141", "1142"], 2015)
    assert share["status"] == "incomplete" and share["conversion"].endswith(f";matched;covers:{covers}")
    assert share["value"] == pytest.approx(100 * own["Bosatt her"] / (own["Bosatt her"] + own["Flyttet hit"]))
    note = map_view.conversion_text(share["conversion"], map_view.FormerKommuner(built_store.meta), "nb")
    assert "1141 Finnøy, 1142 Rennesøy: mangler tall" in note
    assert ("Regnet ut over de tidligere kommunene som har tall i både teller og nevner; "
            "de andre er holdt utenfor begge") in note
    whole = fig(built_store, "1103", "refugees_settled_here", 2017)  # every part listed
    assert (whole["status"], whole["conversion"]) == ("ok", "merged:1103+1141+1142")


def test_a_count_with_a_hidden_part_is_a_lower_bound_but_makes_no_rate(built_store, mirror):
    # Trondheim 5001 = Trondheim 1601 + Klæbu 1662 (2020). In 2018 IMDi has 186 settled in
    # Trondheim and ':' for Klæbu: the count is a marked lower bound, but 186 per the
    # merged population would pass off a partial count as a rate (Indre Østfold 2017,
    # four of its five parts hidden, came out as 0.25 per 1,000).
    source = parse.imdi_settlement(raw(mirror, "imdi/k/bosatt_anmodede.csv"))
    settled = source[(source["indicator"] == "settled_refugees") & (source["year"] == 2018)]
    by_code = settled.set_index("code")
    assert by_code.loc["1601", "value"] == 186 and by_code.loc["1662", "status"] == "suppressed"
    count = fig(built_store, "5001", "settled_refugees", 2018)
    assert (count["value"], count["status"]) == (186, "incomplete")
    assert count["conversion"] == "merged:1601+1662;hidden:1662"
    for code, year in (("5001", 2018), ("3118", 2017)):
        rate = fig(built_store, code, "settled_per_1000", year)
        assert rate["status"] == "suppressed" and math.isnan(rate["value"]), (code, year)
        # ... and says why: the note a reader sees names the hidden part and the reason.
        assert rate["conversion"].endswith(";unmatched"), (code, year)
    note = map_view.conversion_text(fig(built_store, "5001", "settled_per_1000", 2018)["conversion"],
                                    map_view.FormerKommuner(built_store.meta), "nb")
    assert note == ("Sum av tidligere kommuner: 1601 Trondheim, 1662 Klæbu. 1662 Klæbu: skjult. "
                    "Ikke regnet ut: tallene det regnes ut fra, dekker ikke de samme tidligere kommunene")
    # A rate whose inputs are whole is not marked so.
    assert "unmatched" not in fig(built_store, "5001", "settled_per_1000", 2021)["conversion"]
    # ... and Trøndelag's rate leaves Trondheim out (numerators and populations alike).
    v = built_store.values
    members = v[(v["indicator"] == "settled_per_1000") & (v["year"] == 2018)
                & v["kommunenummer"].str.startswith("50") & v["status"].isin(["ok", "incomplete"])]
    assert "5001" not in set(members["kommunenummer"])
    covered = fig(built_store, "F50", "settled_per_1000", 2018)["conversion"]
    # ... and names its kommuner whose own rate is over an incomplete sum (Steinkjer's
    # lacks Verran: matched in count and population).
    partial = "+".join(sorted(members.loc[members["status"] == "incomplete", "kommunenummer"]))
    assert partial and covered == (f"covered:{len(members)}/{sum(c.startswith('50') for c in built_store.kommuner)}"
                                   f";partial_members:{partial}")


def test_a_year_filed_under_past_codes_counts_their_missing_siblings(built_store, mirror):
    # IMDi files Trøndelag's 2018-2019 under the codes of before 2018: Steinkjer 1702 has
    # 28 settled in 2018, Verran 1724 '.'. Today's Steinkjer 5006 is both: the sum lacks
    # Verran and says so (it used to pass as Steinkjer's whole figure). The same for
    # Orkland 5059: Orkdal 1638 has 22, Agdenes, Meldal and Snillfjord '.'.
    source = parse.imdi_settlement(raw(mirror, "imdi/k/bosatt_anmodede.csv"))
    settled = source[(source["indicator"] == "settled_refugees") & (source["year"] == 2018)]
    by_code = settled.set_index("code")
    assert by_code.loc["1702", "value"] == 28 and by_code.loc["1724", "status"] == "missing"
    assert not settled["code"].isin(["5004", "5039", "5006"]).any()  # no 2018-era codes
    steinkjer = fig(built_store, "5006", "settled_refugees", 2018)
    assert (steinkjer["value"], steinkjer["status"]) == (28, "incomplete")
    assert steinkjer["conversion"] == "merged:1702+1724;absent:1724"
    rate = fig(built_store, "5006", "settled_per_1000", 2018)  # a lower bound, marked
    population = fig(built_store, "5006", "population", 2018)["value"]
    assert rate["status"] == "incomplete" and rate["value"] == pytest.approx(28 / population * 1000)
    orkland = fig(built_store, "5059", "settled_refugees", 2018)
    assert (orkland["value"], orkland["status"]) == (22, "incomplete")
    assert orkland["conversion"].endswith(";absent:1613+1622+1636")
    # Still a placeholder where the source used the new code: Holmestrand 2018 (0715)
    # does not lack Hof 0714, which IMDi lists as '.' after its merger.
    assert "0714" not in fig(built_store, "3903", "settled_refugees", 2018)["conversion"]


def test_a_zero_in_a_source_that_lists_only_codes_in_use_is_a_count(built_store):
    # flyktning_botid_flytting files Trøndelag's 2018 under the pre-2018 codes and has no
    # placeholder rows: "Flyttet hit;5+ år;1644;;0" is Holtålen's real 0, so its five-year
    # share is 6 / (6 + 0) = 100 %, not missing.
    moved = fig(built_store, "5026", "refugees_moved_here_5y_plus", 2018)
    assert (moved["value"], moved["status"], moved["conversion"]) == (0, "ok", "renumbered:1644")
    share = fig(built_store, "5026", "refugees_stayed_share_5y_plus", 2018)
    assert (share["value"], share["status"]) == (100, "ok")
    leka = fig(built_store, "5052", "refugees_stayed_share", 2018)  # 0 settled here, 15 moved
    assert (leka["value"], leka["status"]) == (0, "ok")
    # IMDi's wide population files do write 0 for codes out of use: Vindafjord 2006 is
    # 1160 alone, not merged with the 0s listed under its former codes.
    assert fig(built_store, "1160", "immigrant_population", 2006)["conversion"] == ""


def test_moves_between_kommuner_are_estimates_over_a_merger_and_named_for_groups(built_store):
    # Drammen 2013 = 0602 Drammen + 0625 Nedre Eiker + 0711 Svelvik. Moves between the
    # three count as in-migration in the sum: an estimate. Moves from abroad do not.
    assert fig(built_store, "3301", "in_migration", 2013)["status"] == "estimated"
    immigration = fig(built_store, "3301", "immigration", 2013)
    assert (immigration["status"], immigration["conversion"]) == ("ok", "merged:0602+0625+0711")
    # Nordland's row is its kommuner's in-migration summed (8,182 in 2013; SSB's own fylke
    # figure is 4,284), and its note says so wherever it is shown.
    nordland = fig(built_store, "F18", "in_migration", 2013)
    assert nordland["value"] == 8182 and nordland["conversion"] == "member_sum:moves"
    text = map_view.conversion_text(nordland["conversion"], {}, "nb")
    assert text == ("Summen av kommunenes tall, med flyttinger mellom dem: mer enn gruppens "
                    "egen inn- eller utflytting")
    assert "member_sum" not in fig(built_store, "F18", "net_migration", 2013)["conversion"]


def test_a_count_lacking_a_part_without_a_figure_is_a_marked_lower_bound(built_store):
    # Stavanger 2014: IMDi lists Finnøy 1141 as '.' (no figure): the sum of Stavanger and
    # Rennesøy is shown, marked incomplete, and says what it lacks.
    settled = fig(built_store, "1103", "settled_refugees", 2014)
    rate = fig(built_store, "1103", "settled_per_1000", 2014)
    assert settled["status"] == rate["status"] == "incomplete"
    assert settled["conversion"] == rate["conversion"] == "merged:1103+1141+1142;absent:1141"
    population = fig(built_store, "1103", "population", 2014)["value"]
    assert rate["value"] == pytest.approx(settled["value"] / population * 1000)


def test_a_stay_share_over_matched_parts_keeps_a_published_zero_and_lacks_a_code_never_listed(
        built_store, mirror):
    """IMDi's stay table lists only the codes in use. Stad 4649 = Selje 1441 + Eid 1443
    (2020): in 2014 Eid has 41 settled here and 0 moved here, 0-4 years in Norway, and
    Selje no rows. The share over Eid is 41 of 41: a published 0 over the parts both
    counts share is a figure, not the "sum of 0 that tells nothing". Voss 4621 = Granvin
    1234 + Voss 1235: the table never lists Granvin, so Voss's 2014-2019 are the old
    Voss's, marked incomplete with Granvin named (they were 'ok')."""
    source = pd.read_csv(io.BytesIO(raw(mirror, "imdi/k/flyktning_botid_flytting.csv")), sep=";",
                         encoding="iso-8859-1", dtype=str)
    eid = source[(source["Kommunenummer"] == "1443") & (source["År"] == "2014")
                 & (source["Botid i Norge"] == "0-4 år")].set_index("Sekundærflytting")["Antall"]
    assert (eid["Bosatt her"], eid["Flyttet hit"]) == ("41", "0")
    assert not source["Kommunenummer"].isin(["1441"]).loc[source["År"] == "2014"].any()
    share = fig(built_store, "4649", "refugees_stayed_share_0_4y", 2014)
    covers = people_share(mirror, ["1443"], ["1441", "1443"], 2014)
    assert (share["value"], share["status"]) == (100.0, "incomplete")
    assert share["conversion"] == f"merged:1441+1443;absent:1441;inputs:41/0;matched;covers:{covers}"
    assert "1234" not in set(source["Kommunenummer"])
    voss = fig(built_store, "4621", "refugees_settled_here", 2016)
    own = source[(source["Kommunenummer"] == "1235") & (source["År"] == "2016")
                 & (source["Sekundærflytting"] == "Bosatt her") & (source["Botid i Norge"] == "Alle")]
    assert (voss["value"], voss["status"]) == (int(own["Antall"].iloc[0]), "incomplete")
    assert voss["conversion"] == "merged:1234+1235;absent:1234"
    note = map_view.conversion_text(voss["conversion"], map_view.FormerKommuner(built_store.meta), "nb")
    assert "1234 Granvin: mangler tall" in note


def people_share(mirror, codes: list[str], whole: list[str], year: int) -> int:
    """The percent (rounded down) of the people 1 January `year` of the former kommuner
    `whole` (today's kommune) that those of `codes` held, from IMDi's export of SSB's
    population on that year's codes."""
    path = f"imdi/older/befolkning_hovedgruppe/01-befolkning_hovedgruppe-kommune-{year}.csv"
    grid = pd.read_csv(io.BytesIO(raw(mirror, path)), sep=";", header=None, dtype=str,
                       encoding="iso-8859-1", keep_default_na=False)
    assert grid.iloc[:3, 1].tolist() == ["innvkat_5.alle", "kjonn.alle", "enhet.personer"]
    people = grid.iloc[3:].set_index(grid.iloc[3:, 0].str[:4])[1].astype(int)
    return math.floor(100 * people[codes].sum() / people[whole].sum())


def test_a_rate_over_too_small_a_part_is_not_computed(built_store, mirror):
    """Indre Østfold 3118 = Trøgstad 0122 + Spydeberg 0123 + Askim 0124 + Eidsberg 0125 +
    Hobøl 0138 (2020). One year after, 2013, only Eidsberg has both figures: 5 of 5. A
    share over Eidsberg's cohort alone is Eidsberg's, 26 % of today's Indre Østfold's
    people, not Indre Østfold's. It is not made, and says why; Stavanger's 2012, over
    the old Stavanger alone with 94 % of the people, is (above)."""
    assert intro_2013(mirror, ["125"]).loc["125"].tolist() == ["5", "5"]
    whole = ["0122", "0123", "0124", "0125", "0138"]
    eidsberg = people_share(mirror, ["0125"], whole, 2013)
    assert eidsberg == 26
    row = fig(built_store, "3118", "intro_work_or_education_1y", 2013)
    assert row["status"] == "missing" and math.isnan(row["value"])
    assert row["conversion"].startswith("merged:0122+0123+0124+0125+0138;")
    assert row["conversion"].endswith(f";minor:{eidsberg}")
    note = map_view.conversion_text(row["conversion"], map_view.FormerKommuner(built_store.meta), "nb")
    assert note.endswith("Ikke regnet ut: de tidligere kommunene med tall i både teller og nevner "
                         "(0125 Eidsberg) hadde bare 26 % av kommunens innbyggere, under halvparten")
    # Every rate over matched parts says how much of the people it covers, at least half.
    v = built_store.values
    kommuner = v[v["kommunenummer"].isin(built_store.kommuner)]
    matched = kommuner[kommuner["conversion"].str.contains(";matched", regex=False)]
    covers = matched["conversion"].str.extract(r";covers:(\d+)")[0].astype(float)
    assert len(matched) > 400 and covers.between(50, 100).all()
    minor = kommuner[kommuner["conversion"].str.contains(";minor:", regex=False)]
    assert len(minor) > 20 and minor["status"].eq("missing").all() and minor["value"].isna().all()


def ssb_population(mirror) -> pd.DataFrame:
    """The mirror's population on 2024 boundaries, as published (kom2024, aar, befolkning)."""
    return pd.read_csv(io.BytesIO(raw(mirror, "ssb/07459-folkemengde-2024grenser-1986-2026.csv")),
                       dtype={"kom2024": str})


def test_growth_of_a_group_compares_the_same_kommuner_in_both_years(built_store, mirror):
    # SSB's extract has no 2019 figure for five kommuner that 2020 has (it could not place
    # a split kommune's population). Summed over 352 against 357, Norway grew 1.8 %.
    source = ssb_population(mirror)
    assert (source[source["aar"] == 2019]["befolkning"] > 0).sum() == 352
    v = built_store.values
    population = v[(v["indicator"] == "population") & v["kommunenummer"].isin(built_store.kommuner)
                   & v["status"].isin(["ok", "estimated"])].set_index(["year", "kommunenummer"])["value"]
    before, after = population[2019], population[2020]
    both = before.index.intersection(after.index)
    assert len(before) == 352 and len(after) == 357
    expected = (after[both].sum() / before[both].sum() - 1) * 100
    norway = fig(built_store, "0000", "population_growth", 2020)
    assert norway["value"] == pytest.approx(expected) and 0.6 < norway["value"] < 0.8
    assert norway["status"] == "incomplete"


def test_a_split_kommunes_parts_grow_as_the_whole_did(built_store):
    # Haram's and Ålesund's 2020-2023 populations are shares of Ålesund 1507's, taken from
    # the population of 2019 (14.3 %) or 2024 (13.8 %). Growth across the change of share
    # made Haram lose 2.9 % in 2022; it is the whole's growth, and says so.
    whole = {y: sum(fig(built_store, c, "population", y)["value"] for c in ("1508", "1580"))
             for y in (2021, 2022)}
    for code in ("1508", "1580"):
        growth = fig(built_store, code, "population_growth", 2022)
        assert growth["value"] == pytest.approx((whole[2022] / whole[2021] - 1) * 100)
        assert (growth["status"], growth["conversion"]) == ("estimated", "whole:1507")
    # A rate of two shares by the same share is 1507's own rate: the note says so.
    rate = fig(built_store, "1580", "settled_per_1000", 2021)
    assert rate["value"] == pytest.approx(fig(built_store, "1508", "settled_per_1000", 2021)["value"])
    note = map_view.conversion_text(rate["conversion"], map_view.FormerKommuner(built_store.meta), "nb")
    assert note == "Anslag: tallet for hele Ålesund (1507), som ble delt i to i 2024"
    # Narvik's sum holds half of Tysfjord among whole kommuner: not Tysfjord's rate.
    assert "whole:" not in fig(built_store, "1806", "settled_per_1000", 2013)["conversion"]


def test_the_growth_caveat_quotes_the_figures_of_2020(built_store):
    """The caveat names two boundary adjustments by their 2020 growth: those must be the
    figures the map shows."""
    from data_loaders.catalogue import INDICATORS

    caveat = INDICATORS["population_growth"].caveats_nb[0]
    for name, code in (("Stad", "4649"), ("Midt-Telemark", "4020")):
        value = fig(built_store, code, "population_growth", 2020)["value"]
        quoted = f"{name} {'+' if value > 0 else '−'}{abs(value):.1f} %".replace(".", ",")
        assert quoted in caveat, quoted


def test_years_offered_are_the_years_the_source_has_figures_for(built_store, mirror):
    """A year is offered for an indicator when some kommune has a value that year: for
    IMDi's counts, the years in which the file gives a figure rather than '.' (actual
    settlement from 2012, requests from 1995), the part year 2023 included."""
    source = pd.read_csv(io.BytesIO(raw(mirror, "imdi/k/bosatt_anmodede.csv")), sep=";",
                         encoding="iso-8859-1", dtype=str)
    with_figures = source[~source["Antall"].isin([".", ":"])]
    for indicator, label in (("settled_refugees", "Faktisk bosetting"),
                             ("settlement_requested", "Anmodning om bosetting"),
                             ("settlement_decided", "Vedtak om bosetting")):
        expected = sorted(int(y) for y in with_figures.loc[with_figures["Bosetting"] == label, "År"].unique())
        assert built_store.years(indicator) == expected, indicator
    assert built_store.years("settled_refugees")[0] == 2012
    assert built_store.years("settled_refugees")[-1] == 2023
    assert built_store.years("no_such_indicator") == []
    years = built_store.years("population")
    years.append(1900)  # a caller's list is its own
    assert 1900 not in built_store.years("population")


def test_a_stay_share_says_how_many_of_unstated_settlement_it_leaves_out(built_store, mirror):
    """IMDi's third group, "Uoppgitt", is neither settled here nor moved here: Engerdal
    2022 is 100 % (15 settled here, 0 moved here) with 12 of its 27 persons left out."""
    source = pd.read_csv(io.BytesIO(raw(mirror, "imdi/k/flyktning_botid_flytting.csv")), sep=";",
                         encoding="iso-8859-1", dtype=str)

    def published(code: str, year: str) -> dict[str, int]:
        rows = source[(source["Kommunenummer"] == code) & (source["År"] == year)
                      & (source["Botid i Norge"] == "Alle")]
        return rows.set_index("Sekundærflytting")["Antall"].astype(int).to_dict()

    engerdal = published("3425", "2022")
    assert (engerdal["Bosatt her"], engerdal["Flyttet hit"], engerdal["Uoppgitt"], engerdal["alle"]) == (15, 0, 12, 27)
    assert fig(built_store, "3425", "refugees_stay_unknown", 2022)["value"] == 12
    share = fig(built_store, "3425", "refugees_stayed_share", 2022)
    assert share["value"] == 100 and share["conversion"] == "unknown:12/27"
    former = map_view.FormerKommuner(built_store.meta)
    assert map_view.conversion_text(share["conversion"], former, "nb") == (
        "12 av 27 personer med uoppgitt bosetting er holdt utenfor")
    assert map_view.conversion_text(share["conversion"], former, "en") == (
        "12 of 27 persons of unstated settlement are left out")
    # 2014 has no "Uoppgitt" rows: everyone less the other two (Bergen, then 1201: 9560
    # persons, 5372 settled here and 1953 moved here, from 0-4 and 5+ years' rows).
    bergen_2014 = source[(source["Kommunenummer"] == "1201") & (source["År"] == "2014")]
    assert "Uoppgitt" not in set(bergen_2014["Sekundærflytting"])
    everyone = int(bergen_2014[(bergen_2014["Sekundærflytting"] == "alle")
                               & (bergen_2014["Botid i Norge"] == "Alle")]["Antall"].iloc[0])
    counted = bergen_2014[bergen_2014["Sekundærflytting"].isin(["Bosatt her", "Flyttet hit"])
                          & (bergen_2014["Botid i Norge"] != "Alle")]["Antall"].astype(int).sum()
    unknown_2014 = fig(built_store, "4601", "refugees_stay_unknown", 2014)
    assert unknown_2014["value"] == everyone - counted == 2235
    assert fig(built_store, "4601", "refugees_stayed_share", 2014)["conversion"].endswith(
        f"unknown:2235/{everyone}")
    # Under a tenth left out, no word: Bergen 2022.
    bergen = published("4601", "2022")
    assert 0 < bergen["Uoppgitt"] < 0.1 * bergen["alle"]
    assert "unknown:" not in (fig(built_store, "4601", "refugees_stayed_share", 2022)["conversion"] or "")


def test_the_store_reads_back_as_written_with_sorted_categories(built_store, mirror_settings):
    """Read as categories straight from the file, the table equals the strings converted
    after reading (sorted categories: sorting by kommunenummer follows the codes)."""
    import pyarrow.parquet as pq

    plain = pq.read_table(mirror_settings.store_path).to_pandas()
    plain["year"] = plain["year"].astype(int)
    for column in ("kommunenummer", "indicator", "status", "conversion"):
        plain[column] = plain[column].astype("category")
    read = read_store(mirror_settings.store_path).values
    pd.testing.assert_frame_equal(read, plain)
    assert list(read["kommunenummer"].cat.categories) == sorted(read["kommunenummer"].unique())
