"""Keyboard only, in a 1280x720 browser with the network blocked: every control of the
map page is reached with Tab (the map is one tab stop, not 357), and the map's table
alternative opens from the keyboard."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import map_frame, wait_idle

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return '';
  if (a.tagName === 'IFRAME') return 'IFRAME';
  const label = a.getAttribute('aria-label') || (a.labels && a.labels[0] && a.labels[0].innerText)
                || a.innerText || '';
  return label.replace(/\\s+/g, ' ').trim();
}"""

CONTROLS = ["Presentasjonsvisning", "Norsk (bokmål)", "Høykontrast-farger", "Scener",
            "Hva vil du se?", "År", "Fylke", "Spill av", "Fart", "IFRAME", "Vis kartet som tabell",
            "Eller velg kommune", "Zoom inn på kommunen", "Profil: Bergen",
            "Tallene i kartet (CSV)", "Last ned kartet", "Definisjon"]


def test_every_control_is_reached_with_tab(page, app_url):
    page.goto(app_url + "/?aar=2022&kommune=4601")
    frame = map_frame(page)
    reached, in_map = [], []
    for _ in range(60):  # one full round through the page is about 33 stops
        page.keyboard.press("Tab")
        label = page.evaluate(FOCUSED)
        reached.append(label)
        if label == "IFRAME":
            in_map.append(frame.evaluate("() => document.activeElement.className"))
    missing = [c for c in CONTROLS if not any(r.startswith(c) or c in r for r in reached)]
    assert missing == [], reached
    # The sidebar's script has a box of 0 px that Streamlit fills with a placeholder
    # while the script loads: as a scroller it was an empty tab stop before the links.
    assert page.locator(".st-key-ik_page_marks").evaluate("e => getComputedStyle(e).overflow") == "hidden"
    assert reached.count("IFRAME") <= 2 * 3  # the map, zoom in, zoom out (twice round)
    assert any("leaflet-container" in c for c in in_map)  # the map itself takes the focus


def test_the_page_link_with_the_focus_shows_a_ring(page, app_url):
    """Tabbing to a page link gave it the open page's grey pill and no ring: which link
    had the focus could not be told from the open page."""
    page.goto(app_url + "/?aar=2022")
    map_frame(page)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED).endswith("Kommuneprofil"):
            break
    link = page.locator("[data-testid='stSidebar'] a[data-testid='stPageLink-NavLink']",
                        has_text="Kommuneprofil")
    assert link.evaluate("a => a === document.activeElement")
    ring = link.evaluate("a => { const s = getComputedStyle(a);"
                         " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] != "none" and ring[1] >= 2
    assert page.locator("[data-testid='stSidebar'] a[data-testid='stPageLink-NavLink']",
                        has_text="Kart").evaluate("a => getComputedStyle(a).outlineStyle") == "none"


def test_the_map_as_a_table_from_the_keyboard(page, app_url, built_store):
    v = built_store.values
    year = v[(v.indicator == "settled_per_1000") & (v.year == 2022) & (v.status == "ok")]
    top = year.sort_values("value", ascending=False).iloc[0]  # the table's first row
    page.goto(app_url + "/?aar=2022&indikator=settled_per_1000")
    map_frame(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED) == "Vis kartet som tabell":
            break
    page.keyboard.press("Space")
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for(timeout=20_000)
    wait_idle(page)
    assert page.locator("iframe[title='streamlit_folium.st_folium']").count() == 0
    # The grid is drawn on a canvas; its accessible copy (for screen readers) is in the DOM.
    page.wait_for_function("() => document.querySelector(\"[data-testid='stDataFrame']\")"
                           f".innerHTML.includes('{built_store.kommuner[top.kommunenummer]} ({top.kommunenummer})')",
                           timeout=20_000)
    assert "Per 1 000 innb." in table.inner_html()  # the figures' unit; the heading names them
    page.get_by_text("Bosatte flyktninger per 1 000 innbyggere, 2022", exact=True).wait_for()
    assert page.watch.errors == [] and page.watch.blocked == []


def test_a_language_switch_relabels_the_chosen_speed(page, app_url):
    """Boxes keep their choice across a language switch and show it in the new language."""
    page.goto(app_url + "/?aar=2022")
    map_frame(page)
    speed = page.locator(".st-key-speed input[role='combobox']")
    assert speed.input_value() == "Middels"
    page.get_by_text("English", exact=True).click()
    page.get_by_text("Speed", exact=True).wait_for()
    wait_idle(page)
    assert speed.input_value() == "Medium"
    page.get_by_text("Norsk (bokmål)", exact=True).click()
    page.get_by_text("Fart", exact=True).wait_for()
    wait_idle(page)
    assert speed.input_value() == "Middels"


def test_the_page_and_the_map_say_which_language_they_speak(page, app_url):
    """Streamlit's page said lang="en" on every page: a screen reader read the bokmål
    with an English voice. From the first byte (dashboard.serve), through a switch."""
    html_lang = "() => document.documentElement.lang"
    response = page.goto(app_url + "/?aar=2022")
    assert '<html lang="nb">' in response.text()
    frame = map_frame(page)
    assert page.evaluate(html_lang) == "nb" and frame.evaluate(html_lang) == "nb"
    page.get_by_text("English", exact=True).click()
    page.get_by_text("Speed", exact=True).wait_for()
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10_000)
    frame.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10_000)
    response = page.goto(app_url + "/profil?kommune=4601&lang=en")
    assert '<html lang="en">' in response.text()
    page.get_by_role("heading", name="Bergen").wait_for()
    wait_idle(page)
    assert page.evaluate(html_lang) == "en"
    page.get_by_text("Norsk (bokmål)", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'nb'", timeout=10_000)
    assert page.watch.errors == [] and page.watch.failed == []


def test_a_language_switch_keeps_the_open_profile_tab(page, app_url):
    """The tab is a widget bound to ?fane=: switching language opens the same tab in the
    other language (it used to stop the page with an error)."""
    page.goto(app_url + "/profil?kommune=4601&fane=Bli+boende")
    page.get_by_role("tab", name="Bli boende", selected=True).wait_for()
    wait_idle(page)
    page.get_by_text("English", exact=True).click()
    page.get_by_role("tab", name="Staying", selected=True).wait_for()
    # ... and the address says so: a link copied now opens the same tab.
    page.wait_for_function("() => new URLSearchParams(location.search).get('fane') === 'Staying'",
                           timeout=30_000)
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    page.get_by_role("tab", name="Migration and work").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('fane') === 'Migration and work'")
    page.get_by_text("Norsk (bokmål)", exact=True).click()
    page.get_by_role("tab", name="Flytting og arbeid", selected=True).wait_for()
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0


def test_typing_a_name_and_enter_adds_that_one_kommune_to_the_comparison(page, app_url):
    """The compare page's picker: no English 'Select N matches' entry, and Enter on
    'Os' adds Os alone (it used to add Os, Osen, Osterøy and Oslo)."""
    page.goto(app_url + "/sammenlign?kommuner=4601")
    box = page.locator("[data-testid=stMultiSelect] input").first
    box.wait_for(timeout=60_000)
    wait_idle(page)
    box.click()
    page.keyboard.type("Os", delay=50)
    page.get_by_role("option", name="Os (3430)").wait_for()
    options = page.get_by_role("option").all_inner_texts()
    assert options[0] == "Os (3430)" and not any(o.startswith("Select") for o in options)
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('3430')", timeout=20_000)
    wait_idle(page)
    assert "kommuner=4601%2C3430" in page.url and "5020" not in page.url
    page.get_by_text("Bosatte flyktninger per 1 000 innbyggere").first.wait_for()
    assert page.watch.errors == []
