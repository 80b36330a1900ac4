"""Every one of the 357 kommuner gets a profile: the summary and the factor table are
built from its figures or say plainly that there are none."""

from __future__ import annotations

from dashboard import profile
from dashboard.peers import peer_group


def test_every_kommune_gets_a_summary_and_factor_table(built_store):
    for code, name in built_store.kommuner.items():
        group = peer_group(built_store, code, "kostra") or peer_group(built_store, code, "fylke")
        summary = profile.summary(built_store, code, group, "nb")
        assert name in summary or summary.startswith("Det finnes ingen tall"), code
        rows = profile.factor_table(built_store, code, group, "nb")
        assert [r.factor for r in rows] == ["Arbeid", "Arbeid", "Bolig", "Sosiale nettverk",
                                            "Tjenester og avstand", "Å bli boende", "Å bli boende"]
        assert rows[2].value == "Ingen indikator i datagrunnlaget ennå"
        for row in rows:
            assert row.value, (code, row)
            assert "nan" not in row.value.lower() and "nan" not in row.rank.lower(), (code, row)


def test_ranks_and_trends_come_from_the_figures(built_store):
    group = peer_group(built_store, "4601", "kostra")
    assert group.code == "K12" and "4601" in group.members
    rows = {r.indicator: r for r in profile.factor_table(built_store, "4601", group, "nb")}
    work = rows["Sysselsatte innvandrere (andel)"]
    v = built_store.values
    rates = v[(v["indicator"] == "employment_rate_immigrants") & (v["year"] == 2014)
              & v["kommunenummer"].isin(group.members)
              & v["status"].isin(["ok", "estimated", "incomplete", "partial-year"])]
    bergen = rates[rates["kommunenummer"] == "4601"]["value"].iloc[0]
    higher, ties = (rates["value"] > bergen).sum(), (rates["value"] == bergen).sum()
    rank, of = work.rank.removesuffix(" (delt)").split(" av ")
    assert int(of) == len(rates) and int(rank) == higher + 1
    assert work.rank.endswith(" (delt)") == (ties > 1)


def test_later_outcomes_pair_each_share_with_the_cohort_of_its_own_year(built_store):
    """Haram (1534 before 2020, 1580 today), two years after: the latest share is 2013,
    4 of 8 (intro_status_arbutd-kommune-2011_2013.csv); 2014's cohort of 16 has its
    share suppressed and must not stand beside the 2013 share."""
    table = profile.later_outcome_table(built_store, "1580", "nb")
    rows = table.to_dict("records")
    assert rows[0] == {"År etter": 2, "År": 2013, "Andel": "50 %",
                       "Kull (personer)": "8 (under 10: svært usikkert)"}
    # 3 and 4 years after: no share in any year, each year's reason said (2011-2013: the
    # file's rows out of line from Ålesund on; 2014 hidden), not left out; the trace
    # shows the latest year's.
    assert [r["År etter"] for r in rows] == [2, 3, 4, 5]
    for row in rows[1:3]:
        assert row == {"År etter": row["År etter"], "År": "2011–2014",
                       "Andel": "mangler tall 2011–2013; skjult (få personer) 2014", "Kull (personer)": "–"}
    assert table.attrs["trace_years"] == [2013, 2014, 2014, 2014]
    bergen = profile.later_outcome_table(built_store, "4601", "en").to_dict("records")
    assert bergen[0] == {"Years after": 2, "Year": 2014, "Share": "57 %", "Cohort (persons)": "188"}


def test_the_summary_flags_the_groups_figures_too(built_store):
    """Karasjok's KOSTRA group sums 32 of its 33 kommuner for staying in 2022; Haram's
    group holds Haram's own estimated share of Ålesund."""
    from dashboard.peers import peer_group

    karasjok = profile.summary(built_store, "5610", peer_group(built_store, "5610", "kostra"), "nb")
    assert "(KOSTRA-gruppe 5: 80,5 %, ufullstendig sum)" in karasjok  # no brackets in brackets
    assert karasjok.startswith("I 2022 bosatte Kárášjohka - Karasjok 5,8 flyktninger")
    haram = profile.summary(built_store, "1580", peer_group(built_store, "1580", "kostra"), "en")
    assert "against 7.9 (estimate) in KOSTRA-gruppe 1" in haram


def test_a_conversion_note_names_a_renumbering_only_when_nothing_else_explains_the_figure():
    from dashboard.map_view import conversion_text

    former = {"1504": "Ålesund", "1523": "Ørskog", "0219": "Bærum"}
    assert conversion_text("renumbered:0219", former, "nb") == "Publisert under tidligere nummer 0219 Bærum"
    assert conversion_text("merged:1504+1523;renumbered:1504", former, "nb") == (
        "Sum av tidligere kommuner: 1504 Ålesund, 1523 Ørskog")
    assert conversion_text("covered:355/357", {}, "en") == (
        "The sum covers 355 of 357 kommuner; the rest have no figure or are suppressed")


def test_a_conversion_note_names_the_parts_an_incomplete_sum_lacks():
    from dashboard.map_view import conversion_text

    former = {"1241": "Fusa", "1243": "Os", "1103": "Stavanger", "1141": "Finnøy", "1142": "Rennesøy"}
    assert conversion_text("merged:1241+1243;hidden:1243", former, "nb") == (
        "Sum av tidligere kommuner: 1241 Fusa, 1243 Os. 1243 Os: skjult")
    assert conversion_text("merged:1103+1141+1142;absent:1141+1142", former, "en") == (
        "Sum of former kommuner: 1103 Stavanger, 1141 Finnøy, 1142 Rennesøy. "
        "1141 Finnøy, 1142 Rennesøy: no figure")


def test_the_overview_warns_where_a_ranked_share_rests_on_a_handful_of_persons(built_store):
    """Vinje (0834 before 2020, 4036 today): its latest share one year after the
    introduction programme (2013) is of a cohort of 4, and the overview says so beside the
    value and the rank, as the programme's own chart does."""
    code = next(c for c, n in built_store.kommuner.items() if n == "Vinje")
    group = peer_group(built_store, code, "kostra")
    for lang, words in (("nb", ("kull på 4, svært usikker", "(usikker)")),
                        ("en", ("cohort of 4, very uncertain", "(uncertain)"))):
        row = next(r for r in profile.factor_table(built_store, code, group, lang)
                   if r.indicator.startswith(("I arbeid eller utdanning", "In work or education")))
        assert row.year == "2013" and row.value.endswith(words[0]) and row.rank.endswith(words[1])
        # Three of KOSTRA group 6's four ranked kommuner have 100 %: they share rank 1.
        assert row.rank.startswith(("1 av 4 (delt)", "1 of 4 (tied)")), row.rank
    # Never on a cohort of 10 or more: Bergen's overview has no such warning.
    bergen = profile.factor_table(built_store, "4601", peer_group(built_store, "4601", "kostra"), "nb")
    assert not any("usikker" in r.value or "usikker" in r.rank for r in bergen)


def test_the_overviews_trend_from_a_handful_of_persons_says_it_is_uncertain(built_store):
    """Haram's share one year after the programme rose 13 points from 2012 to 2013, from
    a cohort of 8: mostly chance, and the overview's arrow now says so (the chart below
    warned; the arrow did not)."""
    cohorts = dict(profile.small_cohorts(built_store, "1580", "intro_work_or_education_1y"))
    assert cohorts.get(2012) == 8 and 2013 not in cohorts
    group = peer_group(built_store, "1580", "kostra")
    for lang, words in (("nb", "siden 2012 (usikker: kull på 8)"), ("en", "since 2012 (uncertain: a cohort of 8)")):
        row = next(r for r in profile.factor_table(built_store, "1580", group, lang)
                   if r.indicator.startswith(("I arbeid eller utdanning", "In work or education")))
        assert row.year == "2013" and row.trend.startswith("↗ +13 ") and row.trend.endswith(words)
        assert "usikker" not in row.rank and "uncertain" not in row.rank  # 2013's own cohort is not small
    bergen = profile.factor_table(built_store, "4601", peer_group(built_store, "4601", "kostra"), "nb")
    assert not any("usikker" in r.trend for r in bergen)


def test_no_small_cohort_warning_on_a_share_that_is_suppressed_anyway(built_store):
    """Haram's cohorts one year after the programme: 7 (2011), 8 (2012), 16 (2013), 8
    (2014); the shares of 2011 and 2014 are suppressed, so only 2012's is warned about."""
    v = built_store.values.set_index(["kommunenummer", "indicator", "year"])
    cohort = {y: v.loc[("1580", "intro_cohort_1y", y), "value"] for y in (2011, 2012, 2014)}
    shares = {y: v.loc[("1580", "intro_work_or_education_1y", y), "status"] for y in (2011, 2012, 2014)}
    assert cohort == {2011: 7, 2012: 8, 2014: 8}
    assert shares == {2011: "suppressed", 2012: "ok", 2014: "suppressed"}
    assert profile.small_cohorts(built_store, "1580", "intro_work_or_education_1y") == [(2012, 8.0)]


def test_series_with_the_same_figure_every_year_are_named_together():
    import pandas as pd

    frame = pd.DataFrame({
        "series": ["Oslo", "Oslo", "Gruppe", "Gruppe", "Fylke", "Fylke", "Norge", "Norge", "Tom", "Tom"],
        "year": [2013, 2014] * 5,
        "value": [61.0, None, 61.0, None, 61.0, None, 61.0, 62.0, None, None],
    })
    assert profile.same_figures_notes(frame, "nb") == [
        "Oslo, Gruppe og Fylke har samme tall alle år; linjene ligger oppå hverandre."]
    assert profile.same_figures_notes(frame, "en") == [
        "Oslo, Gruppe and Fylke have the same figure every year; their lines lie on each other."]
    # A series without figures draws no line: nothing lies on it.
    assert profile.same_figures_notes(frame[frame["series"].isin(["Tom", "Norge"])], "nb") == []


def test_a_shares_cohort_is_the_one_it_is_of(built_store, mirror):
    """A share over the former kommuners with both figures is of their cohort, not the
    published one: Drammen 2013 is 40 of 61 (Svelvik's cohort of 4 left out with its
    hidden count). Indre Østfold 2013 would be 5 of 5, Eidsberg's alone (18 published),
    but Eidsberg held a quarter of its people: no share, so nothing to flag. A group's
    share is of its members' cohorts that count in it (Vestfold 2011: Larvik's 24 of the
    fylke's published 90); in 2013 only Holmestrand had one, over 39 % of its people,
    so neither has a share."""
    from dashboard import tables
    from tests.test_store import intro_2013

    indicator = "intro_work_or_education_1y"
    both = intro_2013(mirror, ["602", "625"]).astype(int).sum()
    drammen = profile.with_cohort(profile.rows(built_store, ["3301"], indicator), built_store, indicator)
    row = drammen.set_index("year").loc[2013]
    assert (row["cohort"], row["cohort_status"]) == (both["cohort"], "incomplete")
    published = built_store.of("3301", "intro_cohort_1y").set_index("year").loc[2013, "value"]
    assert published == both["cohort"] + 4
    eidsberg = intro_2013(mirror, ["125"]).loc["125"]
    assert eidsberg.tolist() == ["5", "5"]
    shown = built_store.values[(built_store.values["indicator"] == indicator)
                               & (built_store.values["year"] == 2013)
                               & built_store.values["kommunenummer"].isin(built_store.kommuner)]
    small = tables.small_cohorts(built_store, indicator, shown)
    assert small and ("3118", 2013) not in small
    indre_ostfold = built_store.of("3118", indicator).set_index("year").loc[2013]
    assert indre_ostfold["status"] == "missing" and ";minor:" in indre_ostfold["conversion"]
    # The profile's table says it as the map does, beside the published (incomplete) cohort.
    table = profile.cohort_table(built_store, "3118", [], "nb").set_index(["Serie", "År"])
    assert table.loc[(built_store.kommuner["3118"], 2013)].tolist() == ["ikke regnet ut", "18 (ufullstendig sum)"]
    assert built_store.of("3118", "intro_cohort_1y").set_index("year").loc[2013, "value"] >= 10
    vestfold = profile.with_cohort(profile.rows(built_store, ["F39"], indicator), built_store, indicator)
    row = vestfold.set_index("year").loc[2011]
    assert row["cohort"] == 24 and round(row["value"]) == 58
    assert built_store.of("F39", "intro_cohort_1y").set_index("year").loc[2011, "value"] == 90
    assert vestfold.set_index("year").loc[2013, "status"] == "suppressed"


def test_a_rate_without_population_is_noted_for_why_not_for_its_count(built_store):
    """Narvik per 1,000, 2012-2019: no population on today's boundaries, so no rate. The
    count's note (how Tysfjord's half was estimated) told of estimates for years then
    said to have no figure; a part hidden from a rate that has its population still
    explains the rate's ':' (Trondheim 2018, Klæbu's count)."""
    assert profile.notes_for(built_store, "1806", ["settled_per_1000"], "nb") == [
        "2012–2019: Ingen tall (per 1 000 innb.), ikke null: SSB har ikke folketall for kommunen "
        "innenfor dagens grenser disse årene (en del av den kommer fra en tidligere kommune som ble delt)."]
    trondheim = profile.notes_for(built_store, "5001", ["settled_per_1000"], "nb")
    assert any(n.startswith("2018: ") and "1662 Klæbu: skjult" in n for n in trondheim)


def test_the_stay_chart_notes_each_series_own_persons_left_out(built_store):
    """Engerdal 2022: 12 of its 27 persons of unstated settlement are left out of the
    whole share, and 12 of 16 of the share at 0-4 years in Norway, a series on the same
    chart; a note the whole share has already made is not said again."""
    notes = profile.stay_notes(built_store, "3425", "nb")
    assert any(n.startswith("2022: 12 av 27 personer med uoppgitt bosetting") for n in notes)
    assert any(n.startswith("0–4 år i Norge, 2022: 12 av 16 personer") for n in notes)
    assert not any(n.endswith(": Publisert under tidligere nummer 0434 Engerdal") and n.startswith("5+")
                   for n in notes)
