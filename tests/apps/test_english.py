"""The English interface (?lang=en): every page and profile tab speaks English, with
numbers in the English locale (1,234.5), and no bokmål is left over. Proper names
(kommuner, fylker, table ids such as bosatt_anmodede, the NIBR report's title) stay."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import map_view, tables
from data_loaders.catalogue import INDICATORS, TOPICS
from data_loaders.export import source_line
from tests.apps.conftest import APP, html_tables, page_text, ranking

# Words that only bokmål has (checked as whole words, after the proper names are removed).
NORWEGIAN = ["og", "av", "hentet", "Kilde", "kommunen", "Bosatt her", "Flyttet hit", "speilkopi",
             "speilmappe", "personer", "innbyggere", "Anslag", "Publisert", "delår", "ikke",
             "mangler", "Norge", "år", "Verdi", "Rangering", "Utvikling", "Merknad", "Modus"]
NAMES_KEPT = ["Derfor blir vi her", "Troms og Finnmark", "Vestfold og Telemark",
              "robhop/fylker-og-kommuner"]  # the names in the fylke figures and a repository
TABS = ["Settlement", "Staying", "Migration and work", "After the introduction programme"]


def all_text(at) -> str:
    """page_text plus what it leaves out: tables, tabs, widget labels, expanders, errors."""
    parts = [page_text(at)]
    parts += [e.value for e in at.error] + [h.value for h in at.header]
    for frame in [t.value for t in at.table] + [d.value for d in at.dataframe]:
        parts.append(" | ".join(str(c) for c in frame.columns))
        parts += [" | ".join(str(v) for v in row) for row in frame.astype(str).values.tolist()]
    parts += [t.label for t in at.tabs] + [e.label for e in at.expander]
    for kind in ("selectbox", "multiselect", "select_slider", "toggle", "button", "text_input"):
        parts += [w.label for w in getattr(at, kind)]
    return "\n".join(parts)


def bokmal_left(text: str, store) -> list[str]:
    """The bokmål words in `text`, once the names of kommuner and fylker (and addresses,
    such as imdi.no/tall-og-statistikk) are taken out."""
    text = re.sub(r"https?://[^\s)\]]+", "<url>", text)
    names = [*store.kommuner.values(), *store.fylker.values(),
             *store.meta.get("former_kommuner", {}).values(), *NAMES_KEPT]
    for name in sorted(set(names), key=len, reverse=True):
        text = text.replace(name, "<name>")
    return [word for word in NORWEGIAN if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def english(open_page, page: str | None, **params) -> AppTest:
    """The app opened in English at `page` (as a link with ?lang=en would): the language
    is chosen on the first run, so it is in the URL before the app starts."""
    return open_page(page, lang="en", **params)


def factor_names(at) -> list[str]:
    return list(dict.fromkeys(html_tables(at)[0]["Factor"]))


def test_haram_profile_in_english(open_page, built_store):
    at = english(open_page, "pages/profil.py", kommune="1580", gruppe="fylke")
    text = all_text(at)
    assert at.title[0].value == "Haram"
    assert ("Kommune number 1580 · Møre og Romsdal · Centrality class 5 of 6 · KOSTRA group 1"
            in text)
    summary = at.info[0].value
    assert summary.startswith("In 2022, Haram settled 2.6 (estimate) refugees per 1,000 inhabitants, against ")
    assert "in Møre og Romsdal." in summary and "Of the people with refugee background" in summary
    assert "of immigrants aged 15–74 were employed in 2014" in summary
    table = html_tables(at)[0]
    assert list(table.columns) == ["Factor", "Indicator", "Value", "Year", "Rank in Møre og Romsdal",
                                   "Trend"]
    assert factor_names(at) == ["Work", "Housing", "Social networks", "Services and distance",
                                "Staying"]
    stayed = table[table["Indicator"] == "Refugees who stayed (share settled here)"].iloc[0]
    assert stayed["Value"].endswith("% (estimate)") and " of " in stayed["Rank in Møre og Romsdal"]
    assert table[table["Factor"] == "Housing"].iloc[0]["Value"] == "No indicator in the data yet"
    assert "«Derfor blir vi her» (“That is why we stay here”)" in text
    # Notes on the split (2024) and the code Haram had before 2020.
    assert "• 2020–2023: Estimate: 14 % of the figure for Ålesund (1507), split in two in 2024" in text
    assert "• 2012–2018: Published under former code 1534 Haram" in text
    assert "Source: IMDi bosatt_anmodede (retrieved 2023-09)" in text
    assert "mirror copy read" in text
    assert bokmal_left(text, built_store) == []


@pytest.mark.parametrize("tab", TABS)
def test_every_profile_tab_in_english(open_page, built_store, tab):
    at = english(open_page, "pages/profil.py", kommune="1580", fane=tab)
    for toggle in at.toggle:  # every block as a table as well
        if toggle.key and toggle.key.startswith("table_"):
            toggle.set_value(True)
    at.run()
    assert not at.exception
    text = all_text(at)
    assert [t.label for t in at.tabs] == TABS
    assert bokmal_left(text, built_store) == []
    if tab == "Settlement":
        assert "Requested → decided → settled, per year" in text
        settlement = next(t for t in html_tables(at) if "Settled" in t.columns)
        assert list(settlement.columns) == ["Year", "Requested", "Decided", "Settled"]
        assert settlement[settlement["Year"] == "2019"].iloc[0]["Settled"] == "suppressed (few persons)"
        assert settlement[settlement["Year"] == "2022"].iloc[0]["Settled"] == "24 (estimate)"
    elif tab == "Staying":
        assert "Fylke figure: Møre og Romsdal" in text
        assert ("Source: IMDi staying and introduction programme results by fylke (mirror copy read"
                in text)
        stay = next(t for t in html_tables(at) if "All" in t.columns)
        assert list(stay.columns) == ["Year", "All", "0–4 years in Norway", "5+ years in Norway"]
    elif tab == "Migration and work":
        assert "Moves in 2014: immigrants and the rest of the population" in text
        moves = next(t for t in html_tables(at) if "Immigrants" in t.columns)
        assert list(moves[" "]) == ["In-migration", "Out-migration", "Net domestic", "Immigration",
                                    "Emigration"]
        assert "• Summed over a merger, in- and out-migration include moves between the former kommuner" in text
    else:
        cohorts = next(t for t in html_tables(at) if "Cohort (persons)" in t.columns)
        assert list(cohorts.columns) == ["Series", "Year", "Share in work/education",
                                         "Cohort (persons)"]
        assert "Latest fylke figures (IMDi, 2024, fylker of 2020): " in text
        assert "Norway 67 %" in text
        assert "2012: the cohort was 8 persons; the share is very uncertain." in text
        assert "2011: the cohort" not in text  # that share is suppressed: no figure to doubt


def test_utsira_suppressed_in_english(open_page, built_store):
    at = english(open_page, "pages/profil.py", kommune="1151", fane="Staying")
    text = all_text(at)
    # Utsira is not in the file at all: no reason is claimed for it.
    assert "IMDi publishes no kommune figure on staying for this kommune: it is not in IMDi's file." in text
    stayed = html_tables(at)[0]
    assert stayed[stayed["Indicator"] == "Refugees who stayed (share settled here)"].iloc[0][
        "Value"] == "No figure"
    assert bokmal_left(text, built_store) == []

    at = english(open_page, None, kommune="1151", indikator="settled_refugees", aar="2020")
    assert at.metric[0].label == "Utsira 2020 (persons)" and at.metric[0].value == "–"
    assert "Suppressed (few persons)" in [c.value for c in at.caption]
    assert bokmal_left(all_text(at), built_store) == []


def test_map_page_in_english(open_page, built_store):
    at = english(open_page, None, kommune="1580", aar="2022")
    text = all_text(at)
    assert "Integreringskart · settlement and migration, 357 kommuner" in text
    assert at.metric[0].label == "Haram 2022 (per 1,000 inhabitants)"
    # A rate of two shares of 1507's figures by the same share is 1507's own rate.
    assert "Estimate: the figure for all of Ålesund (1507), split in two in 2024" in text
    assert "Norway: 5.8 per 1,000 inhabitants (incomplete sum)" in text
    assert ("Source: IMDi bosatt_anmodede (retrieved 2023-09); SSB 07459 (mirror copy read" in text)
    assert "• Figures for very few persons are suppressed for privacy (:), never shown as 0." in text
    assert list(ranking(at).columns) == ["Kommune", "Per 1,000 inhabitants"]  # no status among the top ten
    assert bokmal_left(text, built_store) == []
    at.toggle(key="w_map_table").set_value(True).run()
    assert list(at.dataframe[0].value.columns) == [
        "#", "Kommune", "Per 1,000 inhabitants", "Status", "Note"]
    assert bokmal_left(all_text(at), built_store) == []


def test_map_payload_in_english(built_store):
    """The map's own texts: title, legend, tooltips (values, statuses, notes)."""
    rows = tables.map_rows(built_store, "settled_per_1000", 2023, None)
    view = map_view.MapView("settled_per_1000", 2023, "en", "1580", None, place="Norway")
    payload = map_view.map_payload(rows, view, built_store.kommuner,
                                   map_view.FormerKommuner(built_store.meta),
                                   source_line(built_store, "settled_per_1000", "en"), "", None)
    assert payload["title_html"].startswith(
        "<b>Settled refugees per 1,000 inhabitants</b><br>Norway · 2023 (part year)")
    assert "retrieved 2023-09" in payload["title_html"]
    legend = payload["legend_html"]
    assert '<div class="unit">per 1,000 inhabitants</div>' in legend and "up to " in legend
    assert "suppressed (few persons)" in legend
    colour, value, status, note, _flag = payload["values"]["1580"]
    assert value.endswith(" per 1,000 inhabitants") and status == "part year"
    assert note == "Estimate: the figure for all of Ålesund (1507), split in two in 2024"
    assert payload["values"]["3201"][3] == "Published under former code 3024 Bærum"
    text = " ".join([payload["title_html"], legend] + [" ".join(map(str, v[1:4]))
                                                       for v in payload["values"].values()])
    assert bokmal_left(text, built_store) == []


def test_compare_page_in_english(open_page, built_store):
    at = english(open_page, "pages/sammenlign.py", kommuner="4601,1103")
    text = all_text(at)
    assert at.title[0].value == "Compare kommuner"
    assert [s.value for s in at.subheader] == [INDICATORS[i].label_en for i in (
        "settled_per_1000", "refugees_stayed_share", "immigrant_share", "net_migration_per_1000",
        "employment_rate_immigrants", "intro_work_or_education_1y")]
    assert "• Bergen: 2012–2019: Published under former code 1201 Bergen" in text
    assert "• Stavanger: 2012–2013, 2015–2017: Sum of former kommuner: 1103 Stavanger, 1141 Finnøy, 1142 Rennesøy" in text
    # IMDi has '.' for Finnøy in 2014 and 2018: the sum is incomplete, and says which part it lacks.
    assert ("• Stavanger: 2014, 2018: Sum of former kommuner: 1103 Stavanger, 1141 Finnøy, 1142 Rennesøy. "
            "1141 Finnøy: no figure") in text
    assert bokmal_left(text, built_store) == []


def test_about_page_in_english(open_page, built_store):
    at = english(open_page, "pages/om_dataene.py")
    text = all_text(at)
    # By topic (the view's indicator, settlement per 1,000, is the first one anyway).
    assert [h.value for h in at.subheader] == [i.label_en for topic in TOPICS
                                               for i in INDICATORS.values() if i.topic == topic]
    assert [h.value for h in at.header][:4] == [en for _, en in TOPICS.values()]
    assert "IMDi bosatt_anmodede (retrieved 2023-09)" in text
    assert "Settled refugees / Population on 1 January × 1,000" in text
    assert "SSB KLASS 128 (centrality) (mirror copy read" in text
    assert "**IMDi bosatt_anmodede**: Refugee settlement: requested, decided and actually settled. " \
           "Retrieved 2023-09." in text
    assert "Mirror copy read " in text and "Retrieved mirror" not in text
    assert any(c.value.startswith("mirror directory ") for c in at.caption)
    assert bokmal_left(text, built_store) == []


def test_every_indicator_has_its_english_texts():
    for ind in INDICATORS.values():
        assert ind.label_en and ind.unit_en and ind.definition_en, ind.id
        assert len(ind.caveats_en) == len(ind.caveats_nb), ind.id


def test_numbers_follow_the_locale(open_page):
    """1,234.5 in English, 1 234,5 (narrow no-break space) in bokmål."""
    for lang, population, rate in (("en", "286,930", "2.5"), ("nb", "286\u202f930", "2,5")):
        at = open_page(None, lang=lang, kommune="4601", indikator="population", aar="2022")
        assert at.metric[0].value == population
        top = ranking(at)  # the ranking: Oslo first, 699,827 (SSB 07459, 2022)
        assert top.iloc[0, 1] == ("699,827" if lang == "en" else "699\u202f827")
        at = open_page(None, lang=lang, kommune="4601", aar="2022")
        assert at.metric[0].value == rate


def test_no_data_page_in_english(tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "empty"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "No data yet"
    captions = [c.value for c in at.caption]
    assert f"No local data in {tmp_path / 'empty' / 'store.parquet'} yet." in captions
    assert "Mode: network (live)" in captions
    assert at.button[0].label == "Fetch data"
    assert not any(re.search(r"\b(Ingen|Modus|nett|mangler)\b", c) for c in captions)


def test_refused_bundle_in_english(tmp_path, monkeypatch):
    foreign = tmp_path / "holiday.zip"
    foreign.write_text("not a bundle", encoding="utf-8")
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    for key, value in {"DATA_BUNDLE": foreign, "DATA_DIR": tmp_path / "data",
                       "ASSETS_DIR": tmp_path / "a"}.items():
        monkeypatch.setenv(key, str(value))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors == [f"The data bundle was not used: {foreign} is not an Integreringskart data "
                      f"bundle: not a zip file. The app keeps the data it had."]
    assert at.title[0].value == "No data yet"
    assert any("refreshing from the network is off" in i.value for i in at.info)


def test_a_tab_named_in_bokmal_opens_the_same_tab_in_english(open_page):
    """A scene or link saved in bokmål (?fane=Bli boende) shown to an English audience."""
    from data_loaders.catalogue import INDICATORS

    at = open_page("pages/profil.py", lang="en", kommune="4601", fane="Bli boende")
    assert INDICATORS["refugees_stayed_share"].definition("en") in [c.value for c in at.caption]
