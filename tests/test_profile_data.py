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
    rank, of = work.rank.split(" av ")
    assert int(of) == len(rates) and higher + 1 <= int(rank) <= higher + ties
