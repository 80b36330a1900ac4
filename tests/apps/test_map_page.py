"""The map page driven through URL query parameters (Streamlit AppTest), asserting on
what the page shows."""

from __future__ import annotations

import re

import pytest

from tests.apps.conftest import html_tables, info_notes, page_text, ranking

from dashboard import map_view
from dashboard.i18n import format_number
from data_loaders.derive import QUALITY_ORDER


@pytest.fixture()
def app(open_page):
    return lambda **params: open_page(None, **params)


texts = page_text


def test_default_view(app):
    at = app()
    assert at.selectbox(key="w_indikator").value == "settled_per_1000"
    assert at.select_slider(key="w_aar").value == 2022  # the last full year; 2023 is a part year
    assert at.select_slider(key="w_aar").options[-1] == "2023"
    assert "Bosatte flyktninger per 1 000 innbyggere" in at.selectbox(key="w_indikator").format_func(
        "settled_per_1000")
    assert "Klikk på en kommune" in texts(at)
    assert len(at.info) == 0


def test_url_restores_kommune_indicator_and_year(app, built_store):
    at = app(kommune="4601", indikator="settled_refugees", aar="2022")
    assert at.selectbox(key="w_indikator").value == "settled_refugees"
    assert at.select_slider(key="w_aar").value == 2022
    metric = at.metric[0]
    assert metric.label == "Bergen 2022 (personer)" and metric.value == "718"
    v = built_store.values
    vestland = v[v["kommunenummer"].astype(str).str.startswith("46")
                 & (v["indicator"] == "settled_refugees") & (v["year"] == 2022)]
    assert set(vestland["status"]) == {"ok"} and len(vestland) == 43
    expected = vestland["value"].sum()
    assert f"Vestland: {format_number(expected, 0, 'nb')} personer" in texts(at)
    assert "Norge: 31\u202f253 personer (ufullstendig sum)" in texts(at)
    # How incomplete: two kommuner are suppressed in 2022 (Vestland's sum is whole).
    suppressed = v[v["kommunenummer"].isin(built_store.kommuner) & (v["indicator"] == "settled_refugees")
                   & (v["year"] == 2022) & (v["status"] == "suppressed")]
    assert len(suppressed) == 2
    assert [c.value for c in at.caption if c.value.startswith("Summen dekker")] == [
        "Summen dekker 355 av 357 kommuner; resten mangler tall eller er skjult"]
    assert at.query_params["kommune"] == "4601"


def test_split_kommune_shows_its_note(app):
    at = app(kommune="1580", indikator="settled_refugees", aar="2022")
    page = texts(at)
    assert "Anslag: 14 % av tallet for Ålesund (1507), som ble delt i to i 2024" in page
    assert at.metric[0].value == "24"  # 23.85 rounded: a share of 1507's 173
    # The year and the number of parts come from the change table, per split kommune.
    for code, year, note in (("1806", "2016", "av tallet for Tysfjord (1850), som ble delt i to i 2020"),
                             ("5059", "2016", "av tallet for Snillfjord (5012), som ble delt i tre i 2020")):
        assert note in texts(app(kommune=code, indikator="settled_refugees", aar=year)), code


def test_a_chosen_kommunes_figure_links_to_how_it_was_made(app):
    at = app(kommune="1580", indikator="settled_refugees", aar="2022")
    links = [e.proto for e in at.get("page_link")]
    trace_link = next(link for link in links if link.label == "Slik er tallet laget")
    assert (trace_link.page, trace_link.query_string) == (
        "om-dataene", "kommune=1580&indikator=settled_refugees&aar=2022")
    at.switch_page("pages/om_dataene.py").run()
    assert at.subheader[0].value == "Slik er tallet laget: Bosatte flyktninger, Haram (1580), 2022"
    row = html_tables(at)[0].iloc[0]
    assert (row["Verdi"], row["Status"]) == ("24", "anslag")  # as the map's metric shows it


def test_suppressed_value_is_a_dash_not_zero(app):
    at = app(kommune="1151", indikator="settled_refugees", aar="2020")
    assert at.metric[0].value == "–"
    assert "Skjult (få personer)" in texts(at)


def test_unknown_or_malicious_url_values_give_a_note_and_the_default(app):
    at = app(kommune="<script>alert(1)</script>", indikator="drop table", aar="1066", fylke="99")
    assert info_notes(at) == [
        "Kommunenummeret «…» i lenken finnes ikke i dag; ingen kommune er valgt.",
        "Indikatoren «…» i lenken finnes ikke på kartet; viser bosatte flyktninger per 1 000 innbyggere.",
        "Året «1066» i lenken har ingen tall for bosatte flyktninger per 1 000 innbyggere; viser 2022.",
        "Fylkesnummeret «99» i lenken finnes ikke i dag; viser hele landet."]
    assert at.selectbox(key="w_indikator").value == "settled_per_1000"
    assert at.select_slider(key="w_aar").value == 2022
    assert "kommune" not in at.query_params


def test_a_linked_year_before_the_table_opens_at_its_first_year(app, built_store):
    first = built_store.years("settled_per_1000")[0]
    assert first > 2005
    at = app(indikator="settled_per_1000", aar="2005")
    assert at.select_slider(key="w_aar").value == first
    assert info_notes(at) == [f"Året «2005» i lenken har ingen tall for bosatte flyktninger per 1 000 "
                              f"innbyggere; viser {first}."]


def test_unknown_language_view_or_group_in_a_link_get_a_note(app):
    at = app(lang="xx", present="yes", gruppe="foo")
    assert info_notes(at) == [
        "Sammenligningsgruppen «foo» i lenken finnes ikke; sammenligner med KOSTRA-gruppe.",
        "Verdien «xx» for «lang» i lenken er ukjent og ble oversett.",
        "Verdien «yes» for «present» i lenken er ukjent og ble oversett."]
    assert "lang" not in at.query_params and "present" not in at.query_params


def test_in_the_presentation_view_the_chosen_kommune_is_named_on_the_map(built_store):
    """No side column there: a click drew an outline and named nothing. The map's title
    now says the kommune and its figure (escaped), or its status where it has none."""
    from dashboard import map_view, tables

    rows = tables.map_rows(built_store, "settled_per_1000", 2022, None)

    def title(selected, presenting=True, names=built_store.kommuner):
        view = map_view.MapView("settled_per_1000", 2022, "nb", selected, None, presenting=presenting)
        return map_view.map_payload(rows, view, names, {}, "Kilde", "", None)["title_html"]

    bergen = format_number(718 / 286930 * 1000, 1, "nb")
    assert f'<span class="ik-chosen">Bergen: {bergen} per 1 000 innb.</span>' in title("4601")
    assert "ik-chosen" not in title("4601", presenting=False)  # the side column says it
    assert "ik-chosen" not in title(None)
    hidden = rows[rows["status"] == "suppressed"]["kommunenummer"].iloc[0]
    assert f"{built_store.kommuner[hidden]}: skjult (få personer)" in title(hidden)
    odd = {**built_store.kommuner, "4601": "<b>Bergen</b>"}
    assert "&lt;b&gt;Bergen&lt;/b&gt;:" in title("4601", names=odd)


def test_link_notes_stand_beside_the_map_not_above_it(app):
    """Above the page, a note pushed the map's legend and zoom below a 720p screen
    (browser test): it now heads the side column, above the chosen kommune."""
    at = app(aar="1800")
    note = "Året «1800» i lenken har ingen tall for bosatte flyktninger per 1 000 innbyggere; viser 2022."
    assert info_notes(at) == [note]
    side = next(column for column in at.columns
                if any(h.value == "Valgt kommune" for h in column.subheader))
    assert [box.value for box in side.info] == [note]
    at.run()
    assert info_notes(at) == []  # said once


def test_in_the_presentation_view_link_notes_float_over_the_page(app):
    """A box above the controls pushed the presented map's legend and zoom below the
    screen (browser test at 1280x720): there the notes come as toasts, each its own."""
    at = app(present="1", aar="1990", fylke="99")
    assert info_notes(at) == []
    assert [t.value for t in at.toast] == [
        "Året «1990» i lenken har ingen tall for bosatte flyktninger per 1 000 innbyggere; viser 2022.",
        "Fylkesnummeret «99» i lenken finnes ikke i dag; viser hele landet."]
    assert at.select_slider(key="w_aar").value == 2022
    at.run()
    assert not at.toast  # said once


def test_year_snaps_when_the_indicator_lacks_it(app):
    at = app(indikator="immigrant_share", aar="2022")  # immigrant share ends 2015 in the mirror
    assert at.select_slider(key="w_aar").value == 2015
    assert info_notes(at) == [
        "Året «2022» i lenken har ingen tall for innvandrere og norskfødte med innvandrerforeldre; "
        "viser 2015."]


def test_english(app):
    at = app(lang="en", kommune="4601", aar="2022")
    assert at.metric[0].label == "Bergen 2022 (per 1,000 inhabitants)"
    assert at.metric[0].value == "2.5"
    assert "Click a kommune" not in texts(at)


def test_fylke_filter_ranks_only_its_kommuner(app, built_store):
    at = app(fylke="46", aar="2022", indikator="settled_refugees")
    top = ranking(at)
    assert top.iloc[0, 0] == "Bergen"  # Vestland's largest in 2022 (718)
    assert list(top.columns) == ["Kommune", "Personer"]  # the figures' unit, not "Verdi"
    assert list(ranking(app(aar="2022", lang="en")).columns[:2]) == ["Kommune", "Per 1,000 inhabitants"]
    assert set(top.iloc[:, 0]) <= {built_store.kommuner[c] for c in built_store.kommuner
                                    if c.startswith("46")}


def test_a_former_kommune_code_in_a_link_points_to_todays_kommuner(app):
    at = app(kommune="1507", aar="2022")  # Ålesund before it was split in 2024
    assert info_notes(at) == [
        "«1507» var nummeret til Ålesund før en kommune- eller fylkesreform; i dag: 1508 Ålesund, 1580 Haram. "
        "Velg en av dem."]
    assert "kommune" not in at.query_params
    at = app(kommune="0219", aar="2022", lang="en")  # Bærum before 2020
    assert info_notes(at) == [  # one: no choice, it is shown
        "«0219» was the code of Bærum before a kommune or county reform; today: 3201 Bærum, shown here."]
    assert at.query_params["kommune"] == "3201"
    assert "Bærum 2022" in " ".join(m.label for m in at.metric)


def test_bottom_ranking_lists_the_lowest_figures(app, built_store):
    at = app(aar="2022", indikator="population")
    bottom = ranking(at, bottom=True)
    assert bottom.iloc[0, 0] == "Utsira"  # Norway's smallest kommune (SSB 07459, 1 January 2022)
    assert len(bottom) == 10


def test_a_ranking_that_ends_in_a_tie_says_how_many_share_it(app, built_store):
    """2021, settled per 1,000: many kommuner settled no one. "Lavest" listed ten of them
    at 0,0 as if they were the ten lowest."""
    v = built_store.values
    rows = v[(v["indicator"] == "settled_per_1000") & (v["year"] == 2021)
             & v["kommunenummer"].isin(built_store.kommuner) & v["status"].isin(QUALITY_ORDER)]
    zeros = int((rows["value"].round(1) == 0).sum())
    assert zeros > 10
    at = app(aar="2021", indikator="settled_per_1000")
    bottom = ranking(at, bottom=True)
    assert set(bottom.iloc[:, 1]) == {"0,0"}
    # Lowest first and, among true zeros, the lowest kommune numbers first, as the note
    # says (the top table turned round had listed the highest numbers, last first).
    true_zeros = sorted(rows.loc[rows["value"] == 0, "kommunenummer"])
    assert len(true_zeros) >= 10
    assert list(bottom.iloc[:, 0]) == [built_store.kommuner[c] for c in true_zeros[:10]]
    captions = [c.value for c in at.caption]
    assert f"{zeros} kommuner har 0,0 per 1 000 innb.; tabellen viser 10 av dem (etter tallet før avrunding, deretter kommunenummer)." in captions
    # Figures that tie only once rounded keep their order before rounding, and the note
    # says so: 2019's top ten ends with Rennebu (3.998) and Fjaler (3.971) at 4,0, ahead
    # of Aurland (3.968), which a kommune-number order would have shown instead.
    at = app(aar="2019", indikator="settled_per_1000")
    top = ranking(at)
    assert list(top.iloc[-2:, 0]) == ["Rennebu", "Fjaler"]
    assert "Aurland" not in set(top.iloc[:, 0])
    assert ("3 kommuner har 4,0 per 1 000 innb.; tabellen viser 2 av dem (etter tallet før avrunding, "
            "deretter kommunenummer).") in [c.value for c in at.caption]
    # A ranking that ends on no tie says nothing.
    at = app(aar="2022", indikator="population")
    assert not any("tabellen viser" in c.value for c in at.caption)


def test_unknown_map_settings_in_a_link_are_named_and_ignored(app):
    at = app(aar="2022", zoom="fylke", skala="1", palett="rosa")
    assert info_notes(at) == [
        "Verdien «fylke» for «zoom» i lenken er ukjent og ble oversett.",
        "Verdien «1» for «skala» i lenken er ukjent og ble oversett.",
        "Verdien «rosa» for «palett» i lenken er ukjent og ble oversett."]
    assert at.toggle(key="w_skala").value is False
    assert not {"zoom", "skala"} & set(at.query_params)


def test_unknown_and_repeated_link_parameters_are_named_and_tidied(app):
    at = app(foo="bar", **{"år": "2020"}, aar=["2019", "2021"], indikator="settled_refugees")
    assert info_notes(at) == [
        "Lenken har en innstilling appen ikke kjenner, «foo»; den ble oversett.",
        "Lenken har en innstilling appen ikke kjenner, «år»; den ble oversett.",
        "«aar» står flere ganger i lenken; den siste verdien, «2021», er brukt."]
    assert at.select_slider(key="w_aar").value == 2021
    assert at.query_params["aar"] == "2021"  # one value now, not a list
    assert not {"foo", "år"} & set(at.query_params)
    at.run()
    assert len(at.info) == 0  # said once


def test_a_new_indicator_without_the_year_says_which_year_it_shows(app, built_store):
    at = app(aar="2022", indikator="settled_per_1000")
    years = built_store.years("immigrant_share")
    assert 2022 not in years
    nearest = min(years, key=lambda y: (abs(y - 2022), -y))
    at.selectbox(key="w_indikator").set_value("immigrant_share").run()
    assert [t.value for t in at.toast] == [f"Ingen tall for 2022 her; viser {nearest}, nærmeste år med tall."]
    assert at.query_params["aar"] == str(nearest)
    at.run()
    assert not at.toast  # said once


@pytest.mark.parametrize("start", ["2022", "2023"])
def test_play_from_the_last_full_year_starts_the_years_over(app, built_store, start):
    """From the default year (2022, the last full one) or the part year after it, the
    animation's first step was the part year 2023, then a jump back to 2012."""
    at = app(aar=start, indikator="settled_per_1000")
    next(b for b in at.button if b.label == "Spill av").click().run()
    first = built_store.years("settled_per_1000")[0]
    assert at.session_state["view"]["aar"] == first == 2012


def test_play_from_an_earlier_year_goes_on_from_there(app):
    at = app(aar="2015", indikator="settled_per_1000")
    play = next(b for b in at.button if b.label == "Spill av")
    assert play.help  # what the button does, before it is pressed ...
    play.click().run()
    assert at.session_state["view"]["aar"] == 2016
    assert not next(b for b in at.button if b.label == "Pause").help  # ... not over the map
    # The ranking rests while the map plays, and says which year it shows.
    ranked_year = next(h.value for h in at.subheader if h.value.startswith("Rangering ")).split()[-1]
    assert f"Kartet spiller av årene; rangeringen viser {ranked_year} til du stopper." in page_text(at)
    next(b for b in at.button if b.label == "Pause").click().run()
    assert "Kartet spiller av årene" not in page_text(at)


def test_while_playing_the_slider_and_the_ranking_show_one_year(app, built_store):
    """Playing from the last full year starts the map at the first year: the resting
    slider showed that first year, the ranking the year chosen, the map a third (three
    years on screen for an audience). The slider now rests on the ranking's year."""
    at = app(aar="2022", indikator="settled_per_1000")
    next(b for b in at.button if b.label == "Spill av").click().run()
    assert at.session_state["view"]["aar"] == built_store.years("settled_per_1000")[0]  # the map's
    ranked_year = next(h.value for h in at.subheader if h.value.startswith("Rangering ")).split()[-1]
    assert ranked_year == "2022"
    slider = at.select_slider(key="w_aar")
    assert slider.value == 2022 and slider.disabled
    next(b for b in at.button if b.label == "Pause").click().run()
    shown = at.session_state["view"]["aar"]
    assert at.select_slider(key="w_aar").value == shown
    assert next(h.value for h in at.subheader if h.value.startswith("Rangering ")) == f"Rangering {shown}"


def test_pause_keeps_the_year_the_map_last_drew(app):
    """A step the Pause click interrupts has moved the year on before its map was
    sent: the map then jumped to a year the audience never saw playing."""
    at = app(aar="2015", indikator="settled_per_1000")
    next(b for b in at.button if b.label == "Spill av").click().run()
    assert at.session_state["view"]["aar"] == 2016  # drawn
    at.session_state["view"]["aar"] = 2017  # the next step began, and was cut off
    next(b for b in at.button if b.label == "Pause").click().run()
    assert at.session_state["view"]["aar"] == 2016
    assert at.select_slider(key="w_aar").value == 2016 and at.query_params["aar"] == "2016"


def test_leaving_the_presentation_while_playing_also_keeps_the_year_drawn(app):
    at = app(aar="2015", indikator="settled_per_1000", present="1")
    next(b for b in at.button if b.label == "Spill av").click().run()
    at.session_state["view"]["aar"] = 2017  # the next step began, and was cut off
    next(b for b in at.button if b.label == "Avslutt").click().run()
    assert not at.session_state["playing"] and at.session_state["view"]["aar"] == 2016


def test_a_rerun_that_brings_an_older_address_keeps_the_year_just_chosen(app):
    # Keys pressed quickly on the year slider: the browser sends the next press with the
    # address it has, which can still be the one of the press before the last.
    at = app(kommune="4601", indikator="settled_refugees", aar="2022")
    at.select_slider(key="w_aar").set_value(2021).run()
    assert at.query_params["aar"] == "2021"
    at.query_params["aar"] = "2022"  # not yet applied in the browser
    at.select_slider(key="w_aar").set_value(2020).run()
    assert not at.exception
    assert at.query_params["aar"] == "2020" and at.select_slider(key="w_aar").value == 2020
    assert at.metric[0].label == "Bergen 2020 (personer)"
    # The slider is not sent back with a value: that would replace a press the browser
    # has made since.
    assert not at.select_slider(key="w_aar").proto.set_value
    # A link opened in the same session still wins (no widget moved).
    at.query_params["aar"] = "2018"
    at.run()
    assert at.select_slider(key="w_aar").value == 2018 and at.metric[0].label == "Bergen 2018 (personer)"
    assert at.select_slider(key="w_aar").proto.set_value  # here the browser must follow


def test_a_link_to_another_page_is_read_even_when_a_control_moved_the_view(open_page):
    # The kommune changed on the profile, and at once the link to the compare page
    # (made for the kommune before) was clicked: that page's address names what to show.
    at = open_page("pages/profil.py", kommune="4601")
    at.selectbox(key="w_profil_kommune").set_value("5001")
    at.switch_page("pages/sammenlign.py")
    at.query_params.clear()
    at.query_params["kommuner"] = "4601"
    at.run()
    assert not at.exception
    assert at.multiselect(key="w_kommuner").value == ["4601"]


def test_a_share_of_a_handful_is_not_ranked_and_says_so_in_the_tooltip(app, built_store, mirror):
    """2014, in work or education one year after the programme: the top of the ranking
    was 100 % of 4 to 8 persons (IMDi's 2014 file: Giske (1532) 5 of 5, Gjerdrum (0234)
    4 of 4), the bottom 0 % of 4. Such shares are left out of the ranking, which says how
    many; the tooltip names the cohort; Bergen (203 persons) says nothing."""
    from dashboard import map_view, tables
    from tests.conftest import raw

    source = raw(mirror, "imdi/older/intro_status_arbutd-kommune-2014.csv").decode("latin-1")
    cohort = {line.split(";")[0]: line.split(";")[1] for line in source.splitlines()[1:]}
    assert (cohort["1532"], cohort["0234"], cohort["1201"]) == ("5", "4", "203")
    at = app(aar="2014", indikator="intro_work_or_education_1y")
    rows = tables.map_rows(built_store, "intro_work_or_education_1y", 2014, None)
    small = {code: n for (code, _), n in tables.small_cohorts(built_store, "intro_work_or_education_1y", rows).items()}
    assert small["3230"] == 4 and small["1532"] == 5 and "4601" not in small  # Gjerdrum is 3230 today
    names = {built_store.kommuner[c] for c in small}
    for table in (ranking(at), ranking(at, bottom=True)):
        assert len(table) == 10 and not names & set(table["Kommune"])
        assert "Status" not in table.columns or not table["Status"].str.contains("kull").any()
    assert (f"Ikke rangert: {len(small)} med kull på under 10 personer (andelen av så få er svært "
            "usikker); kartet viser dem, med en advarsel.") in page_text(at)
    view = map_view.MapView("intro_work_or_education_1y", 2014, "nb", None, None, False)
    payload = map_view.map_payload(rows, view, built_store.kommuner, {}, "", "", None, small_cohorts=small)
    assert payload["values"]["3230"][2] == "kull på 4 personer, svært usikker"
    assert payload["values"]["4601"][2] == ""
    # No note where no share rests on so few (settlement per 1 000), and no status column
    # where no row has a status.
    plain = app(aar="2014")
    assert "Ikke rangert" not in page_text(plain)
    assert list(ranking(plain).columns) == ["Kommune", "Per 1 000 innb."]


# A session opening on the map (dashboard.map_first, as dashboard.serve runs the app).

@pytest.fixture()
def map_first_on(monkeypatch):
    from dashboard import map_first

    monkeypatch.setattr(map_first, "ENABLED", True)
    return map_first


def map_asks_to_announce(at) -> bool:
    """Whether the map's payload asks its JavaScript to say when it has drawn."""
    args = at.get("component_instance")[0].proto.json_args
    said = set(re.findall(r'\\"announce\\": (true|false)', args))
    assert len(said) == 1, said
    return said == {"true"}


def whole_page(at) -> bool:
    keys = [s.key for s in at.selectbox]
    assert keys in ([], ["w_indikator", "w_fylke", "speed", "w_kommune"]), keys
    return bool(keys)


def test_a_session_opening_on_the_map_gets_the_map_then_the_whole_page(app, map_first_on, built_store):
    at = app(aar="2022", kommune="4601")
    # First the title and the map alone, with room kept for the controls, the sidebar's
    # foot, and the address written; the map is asked to say when it has drawn.
    assert not whole_page(at) and not at.tabs and not at.toggle and not at.expander
    assert "Integreringskart · bosetting og flytting i 357 kommuner" in texts(at)
    assert any('<div class="ik-controls-space"></div>' in h.value for h in at.html)
    assert [c.value for c in at.sidebar.caption][-1].startswith("© Kartverket (CC BY 4.0)")
    assert at.query_params["aar"] == "2022" and at.query_params["kommune"] == "4601"
    assert map_asks_to_announce(at)
    held_map = at.get("component_instance")[0].proto.json_args
    at.run()  # a rerun before the map has said so still waits
    assert not whole_page(at)
    # The map says it has drawn (its value, kept by streamlit-folium under the map's
    # key): the whole page, for the rest of the session, with the same map.
    at.session_state["kart"] = {"ik_drawn": True}
    at.run()
    assert whole_page(at) and at.get("component_instance")[0].proto.json_args == held_map
    assert not any('<div class="ik-controls-space">' in h.value for h in at.html)
    assert ranking(at).iloc[0, 0] == "Utsira" and at.metric[0].label.startswith("Bergen 2022")
    at.run()
    assert whole_page(at)


def test_a_map_that_never_says_it_has_drawn_gets_the_whole_page_all_the_same(app, map_first_on,
                                                                            monkeypatch):
    at = app(aar="2022")
    assert not whole_page(at)
    later = map_first_on.time.monotonic() + map_first_on.FALLBACK_S
    monkeypatch.setattr(map_first_on, "time", type("Clock", (), {"monotonic": staticmethod(lambda: later)}))
    at.run()  # the timer's run, overdue
    assert whole_page(at)


def test_without_dashboard_serve_the_whole_page_comes_at_once(app):
    at = app(aar="2022")  # AppTest, as a plain `streamlit run app.py`: map_first is off
    assert whole_page(at) and not map_asks_to_announce(at)


def test_a_link_to_an_indicator_that_is_not_on_the_map_names_it(app):
    """The profile's shares two to five years after the programme are not on the map: a
    link to one said "Indikatoren «…»", its id hidden as if it were malicious."""
    at = app(indikator="intro_work_or_education_5y")
    assert info_notes(at) == [
        "Indikatoren «I arbeid eller utdanning 5 år etter introduksjonsprogrammet» i lenken "
        "finnes ikke på kartet; viser bosatte flyktninger per 1 000 innbyggere."]


def test_the_side_columns_group_note_names_its_kommuner(app, built_store):
    """Vestland's 2017 rate per 1,000 is an incomplete sum through two kommuner's own:
    the side column said "Ufullstendige summer blant kommunene: 4618, 4621", bare codes.
    Norway's names eight at most, then counts the rest."""
    at = app(kommune="4601", indikator="settled_per_1000", aar="2017", fylke="46")
    captions = [c.value for c in at.caption]
    assert built_store.of("F46", "settled_per_1000").set_index("year").loc[2017, "conversion"].endswith(
        "partial_members:4618+4621")
    assert ("Summen dekker 33 av 43 kommuner; resten mangler tall eller er skjult. Ufullstendige summer "
            "blant kommunene: 4618 Ullensvang, 4621 Voss") in captions
    norway = next(c for c in captions if c.startswith("Summen dekker 287 av 357"))
    members = built_store.of("0000", "settled_per_1000").set_index("year").loc[2017, "conversion"]
    codes = members.split("partial_members:")[1].split("+")
    assert 0 < len(codes) <= 8 and all(f"{c} {built_store.kommuner[c]}" in norway for c in codes)
    # A longer list (Norway's share after the programme: 27 kommuner in 2013): eight at most.
    long = built_store.of("0000", "intro_work_or_education_1y").set_index("year").loc[2013, "conversion"]
    n = len(long.split("partial_members:")[1].split(";")[0].split("+"))
    text = map_view.conversion_text(long, map_view.FormerKommuner(built_store.meta), "nb", max_members=8)
    assert n > 8 and text.endswith(f" og {n - 7} andre") and text.count(", ") == 6
