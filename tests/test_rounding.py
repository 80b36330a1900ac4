"""Figures are rounded as their publishers round them: half away from zero."""

from __future__ import annotations

from dashboard.i18n import format_number
from tests.conftest import raw

PERCENT_2013 = "avslutta.ettaar_kjonn.alle_avslutning.status.4.arbutd_aar.2013_enhet.prosent"


def test_halves_round_away_from_zero_not_to_even():
    assert [format_number(v, 0, "nb") for v in (62.5, 37.5, 12.5, -2.5, -0.4)] == ["63", "38", "13", "\u22123", "0"]
    assert format_number(2.35, 1, "en") == "2.4"  # stored as 2.34999…: still a tie
    assert format_number(1234567.25, 1, "nb") == "1\u202f234\u202f567,3"


def test_shares_after_the_programme_read_as_the_publisher_prints_them(built_store, mirror):
    """Every kommune of 2013 that is today's kommune under the same or a new number: the
    share the app shows (10 of 16 = 62.5 for Haram) equals the whole percent in IMDi's
    file (63), which Python's own rounding made 62."""
    lines = raw(mirror, "imdi/older/intro_status_arbutd-kommune-2011_2013.csv").decode("latin-1").splitlines()
    column = lines[0].split(";").index(PERCENT_2013)
    published = {f[0].zfill(4): f[column] for f in (line.split(";") for line in lines[1:])
                 if f[column].isdigit()}
    v = built_store.values
    rows = v[(v["indicator"] == "intro_work_or_education_1y") & (v["year"] == 2013) & (v["status"] == "ok")]
    today_of = {}  # code in 2013 -> today's code, for kommuner neither merged nor split
    for code, conversion in zip(rows["kommunenummer"], rows["conversion"].fillna("")):
        if conversion == "":
            today_of[code] = code
        elif conversion.startswith("renumbered:") and ";" not in conversion:
            today_of[conversion.split(":")[1]] = code
    shown = dict(zip(rows["kommunenummer"], rows["value"]))
    compared = {old: (published[old], format_number(shown[new], 0, "nb"))
                for old, new in today_of.items() if old in published}
    assert compared["1534"] == ("63", "63")  # Haram, 10 of 16
    assert len(compared) >= 70
    assert [old for old, (theirs, ours) in compared.items() if theirs != ours] == []
