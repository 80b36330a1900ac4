"""The kommune profile and the compare view (AppTest), checked against the source files."""

from __future__ import annotations

import io
import json

import pandas as pd

from dashboard import profile, sections, styles, tables
from data_loaders.harmonise import conversion_pieces
from tests.apps.conftest import html_tables, info_notes, page_text
from tests.conftest import raw


def factor(at, indicator_label: str) -> dict:
    table = html_tables(at)[0]
    rows = table[table.iloc[:, 1] == indicator_label]
    assert len(rows) == 1, table
    return dict(zip(table.columns, rows.iloc[0]))


def block_table(at, key: str):
    """Turn a block's table view on and return the page's tables, years as numbers."""
    before = len(html_tables(at))
    at.toggle(key=f"table_{key}").set_value(True).run()
    assert not at.exception
    tables = html_tables(at)
    assert len(tables) > before
    return [t.astype({t.columns[0]: int}) if t.columns[0] in ("År", "Year") else t for t in tables]


def test_bergen_full_profile(open_page):
    at = open_page("pages/profil.py", kommune="4601", gruppe="kostra")
    text = page_text(at)
    assert at.title[0].value == "Bergen"
    assert "Vestland · Sentralitetsklasse 2 av 6 · KOSTRA-gruppe 12" in text
    # Settled per 1,000 in 2022: 718 / 286,930 (IMDi, SSB).
    assert "I 2022 bosatte Bergen 2,5 flyktninger per 1 000 innbyggere" in text
    # Stay: 8,225 settled here / (8,225 + 3,774 moved here) = 68.5 % in 2022.
    assert "var 68,5 % bosatt der" in text
    assert factor(at, "Flyktninger som ble boende (andel bosatt her)")["Verdi"] == "68,5 %"
    # Employment rate of immigrants 2014: 66 % (sysselsatte_innvkat), up 1 from 2013.
    work = factor(at, "Sysselsatte innvandrere (andel)")
    assert work["Verdi"] == "66 % av 15–74 år" and work["Utvikling"] == "↗ +1 prosentpoeng siden 2013"
    assert factor(at, "–")["Verdi"] == "Ingen indikator i datagrunnlaget ennå"  # housing
    # The settlement block as a table: 2022 requested 1 000, decided 1 000, settled 718.
    tables = block_table(at, "bosetting")
    settlement = next(t for t in tables if "Bosatt" in t.columns)
    row = settlement[settlement["År"] == 2022].iloc[0]
    assert (row["Anmodet"], row["Vedtatt"], row["Bosatt"]) == ("1\u202f000", "1\u202f000", "718")
    assert settlement[settlement["År"] == 2023].iloc[0]["Bosatt"] == "591 (delår)"  # to September


def test_a_kommune_alone_in_its_group_is_compared_with_the_next_group(open_page):
    """Oslo is the only kommune in KOSTRA group 13: the profile said "2,7 … mot 2,7 i
    KOSTRA-gruppe 13" and "nummer 1 av 1"."""
    at = open_page("pages/profil.py", kommune="0301", gruppe="kostra")
    text = page_text(at)
    assert ("Oslo - Oslove er den eneste kommunen i KOSTRA-gruppe 13, så profilen sammenligner "
            "med sentralitetsklasse 1.") in text
    assert "KOSTRA-gruppe 13:" not in text and "i KOSTRA-gruppe 13" not in text.replace(
        "den eneste kommunen i KOSTRA-gruppe 13", "")
    assert "Sentralitetsklasse 1" in text
    assert " i sentralitetsklasse 1" in text and " i Sentralitetsklasse 1" not in text  # mid-sentence
    assert at.segmented_control(key="w_gruppe").value == "centrality"
    assert at.query_params["gruppe"] == "centrality"
    # Bergen, with others in its KOSTRA group, keeps it.
    at = open_page("pages/profil.py", kommune="4601", gruppe="kostra")
    assert "den eneste kommunen" not in page_text(at)
    assert at.segmented_control(key="w_gruppe").value == "kostra"


def test_a_profile_opened_from_another_year_says_which_years_it_uses(open_page):
    """From the map's 2021, the summary's "I 2022 bosatte Bergen …" read as a mistake."""
    at = open_page("pages/profil.py", kommune="4601", aar="2021")
    note = ("Kartet viste 2021. Oversikten bruker siste år med tall for hver indikator; "
            "diagrammene under viser alle år.")
    assert note in [c.value for c in at.caption]
    assert "I 2022 bosatte Bergen" in page_text(at)
    at = open_page("pages/profil.py", kommune="4601", aar="2022")
    assert not any(c.value.startswith("Kartet viste") for c in at.caption)


def test_intro_cohort_beside_every_share(open_page):
    at = open_page("pages/profil.py", kommune="4601", fane="Etter introduksjonsprogrammet")
    cohorts = next(t for t in html_tables(at) if "Kull (personer)" in t.columns)
    bergen_2013 = cohorts[(cohorts["Serie"] == "Bergen") & (cohorts["År"] == "2013")].iloc[0]
    # intro_status_arbutd 2013: 115 of 192 in work or education one year after.
    assert bergen_2013["Andel i arbeid/utdanning"] == "60 %"
    assert bergen_2013["Kull (personer)"] == "192"


def test_shares_not_on_the_map_link_to_how_they_were_made(open_page, mirror, built_store):
    """The shares two to five years after the programme are on the profile only: each
    links to its trace on Om dataene, which shows the source's count and cohort."""
    at = open_page("pages/profil.py", kommune="4601", fane="Etter introduksjonsprogrammet")
    links = {e.proto.label: e.proto for e in at.get("page_link")}
    five = links["Slik er tallet laget: 5 år etter, Bergen 2014"]
    # (The page's name is its file's here: AppTest runs the profile's file alone.)
    assert (five.page, five.query_string) == ("om_dataene", "kommune=4601&tall=intro_work_or_education_5y-2014")
    assert "Slik er tallet laget: 2 år etter, Bergen 2014" in links
    # Each chart's block links to the kommune's latest figure of its own indicator.
    one = links["Slik er tallet laget: I arbeid eller utdanning ett år etter introduksjonsprogrammet, "
                "Bergen 2014"]
    assert one.query_string == "kommune=4601&tall=intro_work_or_education_1y-2014"
    at.query_params.clear()
    at.query_params.update({"kommune": "4601", "tall": "intro_work_or_education_5y-2014"})
    at.switch_page("pages/om_dataene.py").run()
    assert at.subheader[0].value == ("Slik er tallet laget: I arbeid eller utdanning 5 år etter "
                                     "introduksjonsprogrammet, Bergen (4601), 2014")
    assert dict(at.query_params) == {"kommune": "4601", "tall": "intro_work_or_education_5y-2014"}
    # IMDi's 2014 file, Bergen (1201), five years after: 69 of 133 in work or education.
    source = pd.read_csv(io.BytesIO(raw(mirror, "imdi/older/intro_status_arbutd-kommune-2014.csv")),
                         sep=";", dtype=str, encoding="latin-1").set_index("kommune_nr")
    column = "avslutta.femaar_kjonn.alle_avslutning.status.4.{}_aar.2014_enhet.personer"
    count, cohort = (int(source.loc["1201", column.format(k)]) for k in ("arbutd", "alle"))
    assert (count, cohort) == (69, 133)
    trace = html_tables(at)[0]
    assert list(trace["Verdi"]) == [f"{count / cohort * 100:.0f}", str(count), str(cohort)]
    listed = "\n".join(h.value for h in at.html if 'class="ik-trace"' in h.value)
    assert "<b>Beregnet:</b> 69 / 133 × 100 = 52" in listed
    back = next(e.proto for e in at.get("page_link") if e.proto.label == "Tilbake til profilen")
    assert back.page == "profil" and back.query_string.startswith("kommune=4601&")
    # A year the indicator lacks: its nearest year, and a note naming it.
    at = open_page("pages/om_dataene.py", kommune="4601", tall="intro_work_or_education_5y-1999")
    first = min(at_years := sorted(built_store.years("intro_work_or_education_5y")))
    assert info_notes(at) == [f"«I arbeid eller utdanning 5 år etter introduksjonsprogrammet» har ingen tall "
                              f"for «1999» i lenken; viser {first}."]
    assert at.subheader[0].value.endswith(f"Bergen (4601), {first}") and at_years
    assert dict(at.query_params)["tall"] == f"intro_work_or_education_5y-{first}"
    # A figure the store does not have: named, and the map's figure traced instead.
    at = open_page("pages/om_dataene.py", kommune="4601", tall="nope-2014")
    assert info_notes(at) == ["Lenken viser til et tall som ikke finnes: «nope-2014»."]
    assert at.subheader[0].value.startswith("Slik er tallet laget: Bosatte flyktninger per 1 000")
    # A figure without a kommune: no trace, and a note saying how to get one.
    at = open_page("pages/om_dataene.py", tall="intro_work_or_education_5y-2014")
    assert not at.exception and not [s for s in at.subheader if s.value.startswith("Slik er tallet")]
    assert info_notes(at) == ["Lenken viser til tallet «I arbeid eller utdanning 5 år etter "
                              "introduksjonsprogrammet» 2014, men ikke til noen kommune. Velg en "
                              "kommune på kartet eller i kommuneprofilen, og følg «Slik er tallet laget»."]


def test_baerum_code_changed_in_2024(open_page):
    at = open_page("pages/profil.py", kommune="3201")
    text = page_text(at)
    assert at.title[0].value == "Bærum"
    assert "Publisert under tidligere nummer 3024 Bærum" in text
    assert "Publisert under tidligere nummer 0219 Bærum" in text
    tables = block_table(at, "bosetting")
    settlement = next(t for t in tables if "Bosatt" in t.columns)
    assert settlement[settlement["År"] == 2015].iloc[0]["Bosatt"] == "165"  # as 0219
    assert settlement[settlement["År"] == 2022].iloc[0]["Bosatt"] == "277"  # as 3024


def test_haram_split_from_alesund(open_page):
    at = open_page("pages/profil.py", kommune="1580", gruppe="fylke")
    text = page_text(at)
    assert "Anslag: 14 % av tallet for Ålesund (1507), som ble delt i to i 2024" in text
    assert "Publisert under tidligere nummer 1534 Haram" in text
    tables = block_table(at, "bosetting")
    settlement = next(t for t in tables if "Bosatt" in t.columns)
    assert settlement[settlement["År"] == 2018].iloc[0]["Bosatt"] == "8"  # as 1534
    assert settlement[settlement["År"] == 2019].iloc[0]["Bosatt"] == "skjult (få personer)"
    assert settlement[settlement["År"] == 2022].iloc[0]["Bosatt"] == "24 (anslag)"  # 13.8 % of 173
    stayed = factor(at, "Flyktninger som ble boende (andel bosatt her)")
    assert stayed["Verdi"].endswith("(anslag)")
    # The summary says so too: Haram's 2022 figures are Ålesund's shared out.
    assert "I 2022 bosatte Haram 2,6 (anslag) flyktninger per 1 000 innbyggere" in text
    assert "Lesenøkkel: bleke søyler og egne punktformer er anslag" in text  # faded bars explained
    assert "var 66,0 % (anslag) bosatt der" in text
    # The per-1,000 table says what the chart's diamonds say: 2020's figure is an estimate.
    per_1000 = next(t for t in block_table(at, "bosatt_per_1000") if "Haram" in t.columns)
    assert per_1000[per_1000["År"] == 2020].iloc[0]["Haram"] == "0,5 (anslag)"
    assert per_1000[per_1000["År"] == 2023].iloc[0]["Haram"] == "1,9 (delår)"  # to September


def test_utsira_small_and_suppressed(open_page):
    at = open_page("pages/profil.py", kommune="1151")
    assert factor(at, "Flyktninger som ble boende (andel bosatt her)")["Verdi"] == "Ingen tall"
    tables = block_table(at, "bosetting")
    settlement = next(t for t in tables if "Bosatt" in t.columns)
    assert settlement[settlement["År"] == 2020].iloc[0]["Bosatt"] == "skjult (få personer)"
    assert settlement[settlement["År"] == 2021].iloc[0]["Bosatt"] == "0"
    assert settlement[settlement["År"] == 2018].iloc[0]["Bosatt"] == "mangler tall"


def test_utsira_staying_falls_back_to_the_fylke_figure(open_page):
    at = open_page("pages/profil.py", kommune="1151", fane="Bli boende")
    text = page_text(at)
    assert "IMDi publiserer ikke tall for bofasthet for denne kommunen" in text
    # The fylke's five-year figure instead (bofasthet_fylke.csv: Rogaland 90), labelled so.
    assert any(m.label == "Fylkestall: Rogaland" and m.value == "90 %" for m in at.metric)
    assert "Et fylkestall, ikke kommunens eget." in text and "fila oppgir ikke året" in text
    assert "det over" not in text  # no kommune figure above to be another measure than
    bergen = page_text(open_page("pages/profil.py", kommune="4601", fane="Bli boende"))
    assert "Et fylkestall, ikke kommunens eget, og et annet mål enn det over." in bergen


def test_utsira_no_cohort_no_warning(open_page):
    at = open_page("pages/profil.py", kommune="1151", fane="Etter introduksjonsprogrammet")
    assert not [w.value for w in at.warning if "kullet var" in w.value]


def test_the_summary_names_a_groups_incomplete_sum_without_nested_brackets(open_page, built_store):
    at = open_page("pages/profil.py", kommune="4601", gruppe="fylke")
    stay = built_store.values.query("kommunenummer == 'F46' and indicator == 'refugees_stayed_share' "
                                    "and year == 2022").iloc[0]
    assert stay["status"] == "incomplete"  # not every Vestland kommune is in the source
    share = f"{stay['value']:.1f}".replace(".", ",")
    assert f"(Vestland: {share} %, ufullstendig sum)." in at.info[0].value


def test_peer_group_switch_changes_the_comparison(open_page, built_store):
    at = open_page("pages/profil.py", kommune="4601", gruppe="centrality")
    assert "mot" in at.info[0].value and "Sentralitetsklasse 2" in at.info[0].value
    v = built_store.values
    members = v[(v["indicator"] == "centrality_class") & (v["value"] == 2)]["kommunenummer"].astype(str)
    rows = v[v["kommunenummer"].isin(members) & (v["year"] == 2022)]
    settled = rows[rows["indicator"] == "settled_refugees"]
    population = rows[rows["indicator"] == "population"]
    assert set(settled["status"]) == {"ok"}
    expected = settled["value"].sum() / population["value"].sum() * 1000
    assert f"mot {expected:.1f}".replace(".", ",") in at.info[0].value


def test_compare_view_from_url(open_page):
    at = open_page("pages/sammenlign.py", kommuner="4601,1103,5001")
    assert at.multiselect[0].value == ["4601", "1103", "5001"]
    assert "Bosatte flyktninger per 1 000 innbyggere" in [s.value for s in at.subheader]
    tables = block_table(at, "sammenlign_settled_per_1000")
    table = next(t for t in tables if "Bergen" in t.columns)
    assert list(table.columns[1:]) == ["Bergen", "Stavanger", "Trondheim - Tråante"]
    assert table[table["År"] == 2022].iloc[0]["Bergen"] == "2,5"
    # Not "skjult (få personer)": Trondheim settled 186, only Klæbu's part was hidden.
    assert table[table["År"] == 2018].iloc[0]["Trondheim - Tråante"] == "ikke regnet ut"
    # ... and the note says why (Klæbu's count is hidden), as the profile's does.
    notes = [c.value for c in at.caption if c.value.startswith("• Trondheim")]
    assert ("• Trondheim - Tråante: 2018: Sum av tidligere kommuner: 1601 Trondheim, 1662 Klæbu. "
            "1662 Klæbu: skjult. Ikke regnet ut: tallene det regnes ut fra, dekker ikke de samme "
            "tidligere kommunene") in notes


def test_compare_view_rejects_unknown_codes(open_page):
    at = open_page("pages/sammenlign.py", kommuner="4601,9998,<b>")
    assert info_notes(at) == [
        "Kommunenummeret «9998» i lenken finnes ikke i dag og er utelatt.",
        "Kommunenummeret «…» i lenken finnes ikke i dag og er utelatt."]
    assert at.multiselect[0].value == ["4601"]


def test_compare_view_points_a_former_code_to_todays_kommune(open_page):
    """The same sentence as on the map and the profile (it said "does not exist")."""
    at = open_page("pages/sammenlign.py", kommuner="3005,4601")  # Drammen before 2024
    assert info_notes(at) == [
        "«3005» var nummeret til Drammen før en kommune- eller fylkesreform; i dag: 3301 Drammen, vist her."]
    assert at.multiselect[0].value == ["3301", "4601"]
    assert at.query_params["kommuner"] == "3301,4601"


def test_an_old_link_to_a_kommune_opens_its_profile_today(open_page):
    """Bergen's code before 2020 named Bergen and opened an empty profile."""
    at = open_page("pages/profil.py", kommune="1201")
    assert info_notes(at)[0] == (
        "«1201» var nummeret til Bergen før en kommune- eller fylkesreform; i dag: 4601 Bergen, vist her.")
    assert at.title[0].value == "Bergen"
    assert at.query_params["kommune"] == "4601"
    # A split kommune's code still asks which of today's kommuner.
    at = open_page("pages/profil.py", kommune="1507")
    assert "Velg en av dem." in info_notes(at)[0] and "kommune" not in at.query_params


def test_compare_view_names_a_repeated_code_and_a_list_too_long(open_page):
    at = open_page("pages/sammenlign.py", kommuner="4601,4601,1103")
    assert info_notes(at) == ["Bergen (4601) står flere ganger i lenken; vises én gang."]
    assert at.multiselect[0].value == ["4601", "1103"]
    at = open_page("pages/sammenlign.py", kommuner="4601,1103,5001,0301,1151,1580")
    assert info_notes(at) == ["Lenken har 6 kommuner; bare de 5 første vises (utelatt: Haram (1580))."]
    assert at.multiselect[0].value == ["4601", "1103", "5001", "0301", "1151"]
    # A former code counts as the kommune it is today: Drammen's 3005 made Utsira the
    # sixth, left out with no word.
    at = open_page("pages/sammenlign.py", kommuner="4601,4601,1103,5001,3005,1108,1151")
    assert at.multiselect[0].value == ["4601", "1103", "5001", "3301", "1108"]
    assert "Lenken har 6 kommuner; bare de 5 første vises (utelatt: Utsira (1151))." in info_notes(at)
    # A long list names a few and counts the rest.
    at = open_page("pages/sammenlign.py", kommuner="4601,1103,5001,0301,1151,1580,1508,3207,1806")
    assert info_notes(at) == ["Lenken har 9 kommuner; bare de 5 første vises "
                              "(utelatt: Haram (1580), Ålesund (1508) og 2 andre)."]


def test_small_cohort_warning(open_page):
    """Tysvær 2012: 4 of a cohort of 9 in work or education (intro_status_arbutd)."""
    at = open_page("pages/profil.py", kommune="1146", fane="Etter introduksjonsprogrammet")
    assert "2012: kullet var 9 personer; andelen er svært usikker." in [w.value for w in at.warning]
    cohorts = next(t for t in html_tables(at) if "Kull (personer)" in t.columns)
    row = cohorts[(cohorts["Serie"] == "Tysvær") & (cohorts["År"] == "2012")].iloc[0]
    assert (row["Andel i arbeid/utdanning"], row["Kull (personer)"]) == ("44 %", "9")


def y_from_zero(at) -> list[bool]:
    """Whether each chart's value axis starts at 0 (its Vega-Lite spec)."""
    return [json.loads(c.proto.spec)["layer"][0]["encoding"]["y"]["scale"]["zero"]
            for c in at.get("vega_lite_chart")]


def test_compare_view_can_give_each_kommune_its_own_chart(open_page):
    """Utsira's ~80 per 1,000 flattens the others on a shared axis: one chart each."""
    at = open_page("pages/sammenlign.py", kommuner="4601,1151")
    shared = len(at.get("vega_lite_chart"))
    assert not any(y_from_zero(at))  # one axis for all: zoomed to the figures
    at.toggle(key="w_own_scales").set_value(True).run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) > shared
    # Each kommune's panel starts at 0: on its own scale, a zoomed-in axis made a change
    # of 0.5 in one look like a change of 20 in another.
    assert all(y_from_zero(at))
    titles = [m.value for m in at.markdown if m.value in ("**Bergen**", "**Utsira**")]
    assert titles[:2] == ["**Bergen**", "**Utsira**"]
    # Utsira has no figure for staying (IMDi's stay table suppresses it every year): its
    # panel says so, where an empty chart had made Vega warn ("Infinite extent").
    empty = [c for c in at.caption if c.value == "Ingen tall for denne kommunen i datagrunnlaget."]
    panel_titles = [m for m in at.markdown if m.value in ("**Bergen**", "**Utsira**")]
    assert len(empty) >= 1
    assert len(at.get("vega_lite_chart")) + len(empty) == len(panel_titles)
    # Side by side, the panels of one indicator name the same point shapes and are as
    # high as their legends need: Ålesund's three shapes (anslag, delår, ufullstendig
    # sum) had left it half the plot of Bergen's one, in a panel as high.
    side = open_page("pages/sammenlign.py", kommuner="4601,1508", skalaer="egne")
    specs = [json.loads(c.proto.spec) for c in side.get("vega_lite_chart")][:2]  # settled per 1,000
    legends = [next(layer["encoding"]["shape"]["legend"]["values"] for layer in spec["layer"]
                    if "shape" in layer.get("encoding", {})) for spec in specs]
    assert legends[0] == legends[1] == sorted(["anslag", "delår", "ufullstendig sum"])
    assert specs[0]["height"] == specs[1]["height"] == styles.small_multiple_height(3)
    # The choice is part of the view: in the address, and restored from a shared link.
    assert at.query_params["skalaer"] == "egne"
    again = open_page("pages/sammenlign.py", kommuner="4601,1151", skalaer="egne")
    assert again.toggle(key="w_own_scales").value is True
    assert len(again.get("vega_lite_chart")) == len(at.get("vega_lite_chart"))
    at.toggle(key="w_own_scales").set_value(False).run()
    assert "skalaer" not in at.query_params


def test_compare_view_with_an_unknown_scale_setting_says_so(open_page):
    at = open_page("pages/sammenlign.py", kommuner="4601,1151", skalaer="<b>x</b>")
    assert at.toggle(key="w_own_scales").value is False
    assert info_notes(at) == ["Verdien «…» for «skalaer» i lenken er ukjent og ble oversett."]


def test_an_unknown_tab_in_a_link_is_named_and_the_first_tab_shown(open_page):
    at = open_page("pages/profil.py", kommune="4601", fane="Foo")
    assert at.info[0].value == "Profilen har ingen fane «Foo»; viser fanen «Bosetting»."
    assert "fane" not in at.query_params


def test_after_a_language_switch_the_open_tab_reaches_the_url(open_page):
    """Streamlit writes a tab set through the state into the URL only for a widget it
    knew on the last finished run; the page runs once more (the fragment's rerun,
    here one more run) and the address names the tab in the new language."""
    at = open_page("pages/profil.py", kommune="4601", fane="Bli boende")
    assert at.query_params["fane"] == "Bli boende"
    at.session_state["lang"] = "en"
    at.run()
    assert "fane" not in at.query_params and at.session_state["_fane_to_url"] == "Staying"
    at.run()
    assert at.query_params["fane"] == "Staying"
    assert at.tabs[1].label == "Staying"


def test_a_split_kommunes_missing_rates_say_why(open_page):
    """Narvik (1806, from 2020: Narvik, Ballangen and part of Tysfjord): SSB has no
    population on today's boundaries before 2020, so no settled per 1,000, but counts."""
    note = ("2012–2019: Ingen tall (per 1 000 innb.), ikke null: SSB har ikke folketall for "
            "kommunen innenfor dagens grenser disse årene (en del av den kommer fra en "
            "tidligere kommune som ble delt).")
    at = open_page("pages/profil.py", kommune="1806")
    assert "• " + note in [c.value for c in at.caption]
    bergen = open_page("pages/profil.py", kommune="4601")
    assert not any("Ingen tall (" in c.value for c in bergen.caption)
    on_map = open_page(None, kommune="1806", indikator="settled_per_1000", aar="2016")
    assert on_map.metric[0].value == "–"
    # In the indicator's unit: a share is not said to lack a figure "per 1 000".
    share = open_page(None, kommune="1875", indikator="immigrant_share", aar="2015")
    assert share.metric[0].value == "–"
    assert any(c.value.startswith("Ingen tall (% av befolkningen), ikke null") for c in share.caption)
    assert not any("per 1 000" in c.value for c in share.caption if "ikke null" in c.value)
    assert note.partition(": ")[2] in [c.value for c in on_map.caption]


def test_downloads_are_named_by_kommune_in_the_readers_language(open_page, monkeypatch):
    import streamlit as st

    names = []
    original = st.download_button

    def recording(label, data, file_name=None, *args, **kwargs):
        names.append(file_name)
        return original(label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    open_page("pages/profil.py", kommune="4601", fane="Bli boende")
    names[:] = [n for n in names if "_4601_" in n]  # not the map's, which opens first
    assert names[::4] == ["integreringskart_4601_bli_boende.csv",
                          "integreringskart_4601_bli_boende_sammenlignet.csv"]
    names.clear()
    open_page("pages/profil.py", kommune="4601", fane="Staying", lang="en")
    names[:] = [n for n in names if "_4601_" in n]
    assert names[::4] == ["integreringskart_4601_staying.csv",
                          "integreringskart_4601_staying_compared.csv"]
    assert names[1:4] == ["integreringskart_4601_staying.xlsx", "integreringskart_4601_staying.png",
                          "integreringskart_4601_staying.svg"]
    names.clear()
    open_page("pages/sammenlign.py", kommuner="4601,1103", lang="en")
    assert [n for n in names if "compare" in n][0] == "integreringskart_compare_settled_per_1000_4601_1103.csv"


def test_a_groups_share_over_few_of_its_kommuner_says_so_beside_the_chart(open_page, built_store):
    """Norway's share after the programme is a sum over the kommuner that have a share
    (over all their former kommuners' counts and cohorts, or over those with both, where
    those held at least half the people): 95 of 357 in 2013. That was said only in the CSV."""
    v = built_store.values
    shares = v[(v["indicator"] == "intro_work_or_education_1y") & v["kommunenummer"].isin(built_store.kommuner)
               & v["status"].isin(["ok", "estimated", "incomplete", "partial-year"])]
    per_year = shares.groupby("year")["kommunenummer"].nunique()
    assert per_year[2013] == 95 and (per_year.min(), per_year.max()) == (72, 95)
    norway = v[(v["indicator"] == "intro_work_or_education_1y") & (v["kommunenummer"] == "0000")]
    assert norway.set_index("year")["conversion"].str.extract(r"covered:(\d+)/357")[0].astype(int).to_dict() \
        == per_year.to_dict()  # the same kommuner as have their own share
    at = open_page("pages/profil.py", kommune="1580", fane="Etter introduksjonsprogrammet")
    captions = [c.value for c in at.caption]
    assert "• Norge: summen dekker 72–95 av 357 kommuner (2011–2014); resten er skjult, mangler tall eller er ikke regnet ut" in captions
    assert any(c.startswith("• Møre og Romsdal: summen dekker 5–8 av 27 kommuner") for c in captions)


def test_series_with_the_same_figures_say_their_lines_lie_on_each_other(open_page, built_store):
    """Oslo is a fylke of its own: two series, one line (the last drawn), and the reader
    looked in vain for Oslo's. (Alone in KOSTRA group 13 too, it is compared with its
    centrality class instead, which has other kommuner.)"""
    from dashboard import peers

    assert peers.peer_group(built_store, "0301", "kostra").members == ("0301",)
    assert peers.peer_group(built_store, "0301", "fylke").members == ("0301",)
    at = open_page("pages/profil.py", kommune="0301", fane="Etter introduksjonsprogrammet")
    captions = [c.value for c in at.caption]
    assert "• Oslo - Oslove og Oslo har samme tall alle år; linjene ligger oppå hverandre." in captions
    at = open_page("pages/profil.py", kommune="4601", fane="Etter introduksjonsprogrammet")
    assert not [c.value for c in at.caption if "oppå hverandre" in c.value]


def test_the_profile_without_a_kommune_names_itself(open_page):
    """No kommune chosen: the page still has its heading (it had none) and ends early
    without an error, with the view in its address."""
    at = open_page("pages/profil.py", indikator="immigrant_share", aar="2015")
    assert not at.exception
    assert [t.value for t in at.title] == ["Kommuneprofil"]
    assert "Velg en kommune over, eller klikk på en på kartsiden." in [i.value for i in at.info]
    assert at.query_params["indikator"] == "immigrant_share" and "kommune" not in at.query_params


def test_the_sidebar_menu_links_carry_the_view(open_page):
    at = open_page(None, kommune="4601", indikator="immigrant_share", aar="2015")
    menu = [link.proto for link in at.sidebar.get("page_link")]
    assert [m.label for m in menu] == ["Kart", "Kommuneprofil", "Sammenlign kommuner", "Om dataene"]
    queries = {m.label: m.query_string for m in menu}
    assert all("kommune=4601" in queries[label] and "indikator=immigrant_share" in queries[label]
               and "aar=2015" in queries[label] for label in ("Kart", "Kommuneprofil", "Om dataene"))
    assert queries["Sammenlign kommuner"] == ""  # the compare page keeps its own list


def test_the_compare_view_warns_of_small_cohorts_and_puts_them_in_its_file(open_page, built_store):
    """Haram's share one year after the programme in 2012 is 50 % of 8 persons
    (intro_status_arbutd 2011-2013, code 1534): the profile warned of it, the compare
    view drew it as any other point, and its CSV had no cohort to weigh it by."""
    at = open_page("pages/sammenlign.py", kommuner="1580,4601")
    warnings = [w.value for w in at.warning]
    assert "Haram, 2012: kullet var 8 personer; andelen er svært usikker." in warnings
    assert not any(w.startswith("Bergen,") for w in warnings)  # Bergen's cohorts are 192-249
    # The page's CSV: each share with its cohort beside it.
    codes = ["1580", "4601"]
    indicator = "intro_work_or_education_1y"
    frame = profile.with_cohort(profile.rows(built_store, codes, indicator), built_store, indicator)
    csv = sections.csv_of(frame, built_store, indicator, "nb")
    haram = csv[(frame["kommunenummer"] == "1580") & (csv["year"] == 2012)].iloc[0]
    assert (haram["value"], haram["cohort"], haram["cohort_status"]) == (50, 8, "ok")


def test_a_groups_incomplete_sum_names_the_kommuner_behind_it(open_page, built_store):
    """KOSTRA group 12's staying share in 2014-2016 is an incomplete sum though every
    one of its kommuner has a figure: Stavanger's and Sandnes' own are incomplete sums
    (IMDi's file lacks Finnøy and Rennesøy, and Forsand, in some years). The chart drew
    the squares, but neither its notes nor the CSV said why."""
    at = open_page("pages/profil.py", kommune="4601", gruppe="kostra", fane="Bli boende")
    assert not at.exception
    assert ("• KOSTRA-gruppe 12: ufullstendige summer blant kommunene: Stavanger (2014–2016) "
            "og Sandnes (2014–2016)") in page_text(at)
    k12 = built_store.of("K12", "refugees_stayed_share").set_index("year")
    assert k12.loc[2015, "status"] == "incomplete"
    assert tables.plain_notes([k12.loc[2015, "conversion"]], built_store, "nb") == [
        "Ufullstendige summer blant kommunene: 1103 Stavanger, 1108 Sandnes"]
    # Every incomplete figure of a group now says why.
    values = built_store.values
    groups = values[values["kommunenummer"].astype(str).str.match(r"^(0000|[FKS]\d)")]
    assert not groups[(groups["status"] == "incomplete") & (groups["conversion"] == "")].size


def test_a_long_list_of_incomplete_sums_names_eight_and_counts_the_rest(open_page, built_store):
    """Norway's share after the programme lists every kommune whose own figure is an
    incomplete sum: 39 names, nine lines under the chart at 1280 px. Beside the chart,
    seven and a count; the CSV names them all."""
    norway = built_store.of("0000", "intro_work_or_education_1y")
    members = set()
    for conversion in norway["conversion"]:
        members |= set(filter(None, conversion_pieces(conversion).get("partial_members", "").split("+")))
    assert len(members) > profile.MAX_NAMED
    at = open_page("pages/profil.py", kommune="3301", gruppe="norge", fane="Etter introduksjonsprogrammet")
    note = next(c.value for c in at.caption if c.value.startswith("• Norge: ufullstendige summer"))
    assert note.endswith(f" og {len(members) - profile.MAX_NAMED + 1} andre (alle i CSV-fila)")
    assert note.count("(20") == profile.MAX_NAMED - 1  # seven kommuner, each with its years
    notes = tables.plain_notes(list(norway["conversion"]), built_store, "nb")
    named = " ".join(notes)
    assert [code for code in members if f"{code} {built_store.kommuner[code]}" not in named] == []


def test_a_share_hidden_every_year_is_not_called_no_figures(open_page, built_store):
    """Horten's share after the programme is ':' in every year of the source (cohorts
    of 6-8): the page said "Ingen tall for denne kommunen", as if there were none."""
    assert set(built_store.of("3901", "intro_work_or_education_1y")["status"]) == {"suppressed"}
    at = open_page("pages/profil.py", kommune="3901", fane="Etter introduksjonsprogrammet")
    captions = [c.value for c in at.caption]
    assert ("I arbeid eller utdanning ett år etter introduksjonsprogrammet: Skjult alle år (få personer); "
            "linjene under er gruppenes.") in captions
    assert not any("Ingen tall for denne kommunen" in c for c in captions if c.startswith("I arbeid"))
