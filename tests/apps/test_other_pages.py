"""The about page (generated from the catalogue) and the no-data page."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from data_loaders.catalogue import INDICATORS
from tests.apps.conftest import APP, html_tables, page_text


def test_about_page_lists_every_indicator_with_source_and_retrieval(open_page):
    at = open_page("pages/om_dataene.py")
    headings = [h.value for h in at.subheader]
    assert sorted(headings) == sorted(i.label_nb for i in INDICATORS.values())
    page = "\n".join(m.value for m in at.markdown)
    assert "IMDi bosatt_anmodede (hentet 2023-09)" in page
    assert "NLOD 2.0 / CC BY 4.0" in page
    assert "Bosatte flyktninger / Folkemengde 1. januar × 1\u202f000" in page
    assert "2012–2023, 357 kommuner" in page  # settled refugees: coverage
    # Cells are counted within the coverage only: 357 kommuner × 12 years for the rate.
    rate = next(m.value for m in at.markdown if "Bosatte flyktninger / Folkemengde" in m.value)
    counts = rate.split("**Tall etter status:** ")[1].split(" (av ")[0]
    total = sum(int(part.rsplit(": ", 1)[1].replace("\u202f", ""))
                for part in counts.split(", "))
    assert total == 4284 and "(av 4\u202f284 = 357 kommuner × 12 år)" in rate
    # KLASS's centrality classes are of one year: "2024", not "2024–2024".
    centrality = next(m.value for m in at.markdown if "SSB KLASS 128 (sentralitet)" in m.value)
    assert "**Dekning:** 2024, 357 kommuner" in centrality
    captions = "\n".join(c.value for c in at.caption)
    assert "delår" in captions and "aldri vist som 0" in captions


def test_about_page_opens_with_links_to_every_indicator_by_topic(open_page):
    """60 indicators made a long page without a way to find one: contents by topic,
    each link to its indicator's heading; the indicators follow under their topics."""
    at = open_page("pages/om_dataene.py")
    contents = next(m.value for m in at.markdown if m.value.startswith("**Innhold**"))
    links = re.findall(r"\[([^\]]+)\]\(#([a-z0-9-]+)\)", contents)
    headings = {h.proto.anchor: h.value for h in at.subheader}
    n = len(INDICATORS)
    assert [(label, headings.get(target)) for label, target in links[:n]] == [(label, label) for label, _ in links[:n]]
    assert sorted(label for label, _ in links[:n]) == sorted(i.label_nb for i in INDICATORS.values())
    assert [target for _, target in links[n:]] == ["kilder", "statusene", "oppdatere-data"]
    assert [h.proto.anchor for h in at.header] == ["tema-settlement", "tema-migration", "tema-work",
                                                   "tema-population", "kilder", "statusene", "oppdatere-data"]
    assert f"- **Bosetting** (4): [{INDICATORS['settled_per_1000'].label_nb}](#indikator-settled-per-1000)" in contents
    # A link naming an indicator: its definition first, before the topics.
    at = open_page("pages/om_dataene.py", indikator="immigrant_share")
    assert at.subheader[0].value == INDICATORS["immigrant_share"].label_nb
    assert [h.value for h in at.subheader].count(INDICATORS["immigrant_share"].label_nb) == 1


def test_about_page_notes_a_bad_link_and_keeps_a_good_one_for_the_map(open_page):
    at = open_page("pages/om_dataene.py", kommune="abc", aar="2022")
    assert [i.value for i in at.info] == [
        "Kommunenummeret «abc» i lenken finnes ikke i dag; ingen kommune er valgt."]
    assert dict(at.query_params) == {}  # the page shows no view, so its address names none
    at = open_page("pages/om_dataene.py", kommune="4601", aar="2019")
    assert not at.info
    at.switch_page("pages/kart.py").run()
    assert at.query_params["kommune"] == "4601" and at.query_params["aar"] == "2019"


def test_about_page_traces_the_chosen_kommunes_figure_to_its_sources(open_page, built_store):
    at = open_page("pages/om_dataene.py", kommune="1580", indikator="immigrant_share", aar="2015")
    headings = [h.value for h in at.subheader]
    assert headings[0] == ("Slik er tallet laget: Innvandrere og norskfødte med innvandrerforeldre, "
                           "Haram (1580), 2015")
    assert headings[1] == INDICATORS["immigrant_share"].label_nb  # the view's indicator first
    # The address names the traced figure: the trace can be shared and reloaded.
    assert dict(at.query_params) == {"kommune": "1580", "indikator": "immigrant_share", "aar": "2015"}
    assert sorted(headings[1:]) == sorted(i.label_nb for i in INDICATORS.values())
    trace = html_tables(at)[0]
    assert list(trace.columns) == ["Tall", "År", "Verdi", "Status", "Kilde"]
    assert list(trace["Tall"]) == ["Innvandrere og norskfødte med innvandrerforeldre",
                                   "Innvandrere og norskfødte med innvandrerforeldre (antall)",
                                   "Folkemengde 1. januar"]
    assert trace["Kilde"][1].startswith("SSB 09817") and trace["Kilde"][2].startswith("SSB 07459")
    values = built_store.values.set_index(["kommunenummer", "indicator", "year"])["value"]
    share, count, population = (values[("1580", i, 2015)] for i in
                                ("immigrant_share", "immigrant_population", "population"))
    assert count / population * 100 == pytest.approx(share)
    assert list(trace["Verdi"]) == [f"{share:.1f}".replace(".", ","), f"{count:,.0f}".replace(",", "\u202f"),
                                    f"{population:,.0f}".replace(",", "\u202f")]
    listed = "\n".join(h.value for h in at.html if 'class="ik-trace"' in h.value)
    assert f"<b>Beregnet:</b> {trace['Verdi'][1]} / {trace['Verdi'][2]} × 100 = {trace['Verdi'][0]}" in listed
    assert "Publisert under tidligere nummer 1534 Haram" in listed  # Haram before 2020
    # 2021: Haram was part of Ålesund (1507); its figures are estimates, and say so.
    at = open_page("pages/om_dataene.py", kommune="1580", indikator="settled_per_1000", aar="2021")
    listed = "\n".join(h.value for h in at.html if 'class="ik-trace"' in h.value)
    assert "Anslag: 14 % av tallet for Ålesund (1507), som ble delt i to i 2024" in listed
    assert "Anslag: tallet for en kommune som senere ble delt" in listed  # what 'anslag' means
    assert set(html_tables(at)[0]["Status"]) == {"anslag"}


def test_a_rate_not_computed_says_so_not_few_persons(open_page):
    """Trondheim 2018: 186 settled, Klæbu's count hidden, its people in the population:
    no rate, and the trace says it was not computed and why, not "few persons"."""
    at = open_page("pages/om_dataene.py", kommune="5001", tall="settled_per_1000-2018")
    trace = html_tables(at)[0]
    assert list(trace["Status"]) == ["ikke regnet ut", "ufullstendig sum", ""]
    assert list(trace["Verdi"])[:2] == ["–", "186"]
    listed = "\n".join(h.value for h in at.html if 'class="ik-trace"' in h.value)
    assert "Ikke regnet ut: tallene det regnes ut fra, dekker ikke de samme tidligere kommunene" in listed
    assert "Ingen utregning" not in listed and "Skjult: kilden viser" not in listed


def test_about_page_explains_every_status(open_page):
    at = open_page("pages/om_dataene.py", lang="en")
    page = "\n".join(m.value for m in at.markdown)
    assert "- **suppressed (few persons)** – Suppressed: the source shows : for very few persons" in page
    assert "- **part year** – Part year: the figures were retrieved before the year ended." in page
    assert "How this figure was made" not in page_text(at)  # no kommune chosen: nothing to trace


def test_no_data_page_explains_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "empty"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Ingen data ennå"
    text = "\n".join(m.value for m in at.markdown)
    assert "DATA_MIRROR=../shared/data bin/run" in text
    assert str(tmp_path / "empty" / "store.parquet") in text
    assert at.button[0].label == "Hent data"


def test_a_store_without_the_map_boundaries_says_only_those_are_missing(store_env, tmp_path, monkeypatch):
    # E.g. DATA_DIR pointed at a store built by another checkout: the map page cannot draw.
    for key, value in {**store_env, "ASSETS_DIR": str(tmp_path / "no-assets")}.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Ingen data ennå"
    text = "\n".join(m.value for m in at.markdown)
    assert f"**Mangler:** `{tmp_path / 'no-assets' / 'kommuner.geojson'}` (kart)." in text
    assert "store.parquet" not in text


def test_on_a_shared_server_no_visitor_can_refresh_or_see_its_paths(open_page, monkeypatch, mirror):
    """APP_REFRESH=0: the about page names who refreshes instead of a button that would
    fetch every source for anyone, and no longer shows the server's mirror path."""
    at = open_page("pages/om_dataene.py")
    assert [b.label for b in at.button if b.label == "Oppdater nå"] == ["Oppdater nå"]
    assert any(str(mirror) in c.value for c in at.caption)
    monkeypatch.setenv("APP_REFRESH", "0")
    at = open_page("pages/om_dataene.py")
    assert not at.exception
    assert [b.label for b in at.button if b.label == "Oppdater nå"] == []
    assert not any(str(mirror) in c.value for c in at.caption)
    assert "Dataene oppdateres av den som driver denne tjenesten (python -m data_loaders refresh)." in [
        i.value for i in at.info]
