"""URL parameters checked once (dashboard/param_rules.py) for links and scene files,
against the real store built from the mirror."""

from __future__ import annotations

import pytest

from dashboard import param_rules, scenes

GOOD = {"indikator": "settled_per_1000", "aar": "2022", "kommune": "4601", "fylke": "46",
        "zoom": "kommune", "skala": "alle", "palett": "kontrast", "kommuner": "4601,1151",
        "skalaer": "egne"}


def test_a_good_view_passes(built_store):
    assert param_rules.invalid(GOOD, built_store) == []
    assert param_rules.invalid({"kommuner": "4601,1103,5001,", "gruppe": "kostra"}, built_store) == []


@pytest.mark.parametrize("key, value", [
    ("indikator", "nope"), ("indikator", "immigrant_population"),  # a count the map does not show
    ("aar", "1890"), ("aar", "2022 "), ("aar", "20x2"),
    ("kommune", "1507"),  # Ålesund before the 2024 split: not one of today's 357
    ("kommune", "<script>"), ("fylke", "14"),  # Sogn og Fjordane, merged into Vestland
    ("kommuner", "4601,4601"), ("kommuner", "4601,9999"), ("kommuner", ","), ("kommuner", ""),
    ("kommuner", "4601,1103,5001,0301,1151,1580"),  # six: more than the compare page holds
    ("zoom", "fylke"), ("skala", "1"), ("skalaer", "alle"), ("palett", "rosa"), ("gruppe", "naboer"), ("fane", "x" * 61), ("fane", "Foo"),
])
def test_each_bad_value_is_named_and_a_scene_with_it_is_refused(built_store, key, value):
    params = {**GOOD, key: value}
    assert param_rules.invalid(params, built_store) == [key]
    page = "sammenlign" if key in ("kommuner", "skalaer") else "profil" if key in ("gruppe", "fane") else "kart"
    scene_params = {k: v for k, v in params.items() if k in scenes.PAGE_PARAMS[page]}
    with pytest.raises(scenes.SceneError) as refused:
        scenes.from_dict({"format": scenes.FORMAT, "version": scenes.VERSION,
                          "scenes": [{"page": page, "params": scene_params}]}, built_store)
    assert refused.value.nb.startswith("Scene 1: ")


def test_a_year_is_checked_against_the_indicator_shown(built_store):
    every_year = {int(y) for y in built_store.values["year"].unique()}
    settled = set(built_store.years("settled_per_1000"))
    outside = sorted(every_year - settled)
    assert outside, "the store should hold years the settlement figures do not cover"
    year = str(outside[-1])
    assert param_rules.invalid({"aar": year}, built_store) == []  # some indicator has it
    assert param_rules.invalid({"aar": year}, built_store, "settled_per_1000") == ["aar"]
    assert param_rules.invalid({"aar": year, "indikator": "settled_per_1000"}, built_store) == ["aar"]
    # A bad indicator in the link: the year is checked against the one shown instead.
    assert param_rules.invalid({"aar": "2022", "indikator": "nope"}, built_store,
                               "settled_per_1000") == ["indikator"]


def test_a_traced_figure_is_any_indicator_in_a_year_it_has(built_store):
    """?tall= on Om dataene: the profile's figures that are not on the map (shares two
    to five years after the programme) can be traced too."""
    assert param_rules.traced_figure("intro_work_or_education_5y-2014", built_store) == (
        "intro_work_or_education_5y", 2014)
    assert param_rules.invalid({"tall": "intro_work_or_education_5y-2014"}, built_store) == []
    last = max(built_store.years("intro_work_or_education_5y"))
    for bad in (f"intro_work_or_education_5y-{last + 1}", "nope-2014", "intro_work_or_education_5y",
                "intro_work_or_education_5y-20x4", "-2014", ""):
        assert param_rules.traced_figure(bad, built_store) is None, bad
        assert param_rules.invalid({"tall": bad}, built_store) == ["tall"], bad


def test_a_shared_link_keeps_its_list_of_kommuner_readable(monkeypatch):
    """The link in an export of the compare page lists its kommuner as typed in a URL
    ("3301,4601"); the page and the other parameters are encoded as before."""
    from dashboard import view_state

    monkeypatch.setenv("PUBLIC_URL", "https://kart.example.no/integrering/")
    assert view_state.absolute_url("sammenlign", {"kommuner": "3301,4601", "skalaer": "egne"}) == \
        "https://kart.example.no/integrering/sammenlign?kommuner=3301,4601&skalaer=egne"
    assert view_state.absolute_url("kart", {"tall": "a b&c"}) == \
        "https://kart.example.no/integrering/?tall=a+b%26c"
