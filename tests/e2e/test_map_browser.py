"""The map in a real browser (Debian's chromium), with every non-localhost request
blocked: polygons drawn, no console errors, a click selects a kommune."""

from __future__ import annotations

import json

import pytest
import shapely
from playwright.sync_api import expect
from shapely.geometry import shape

from dashboard.i18n import format_number
from data_loaders.settings import PROJECT_ROOT
from tests.e2e.conftest import (RECORD_HISTORY, SERVER_LOGS, assert_outline_over_borders, map_frame,
                               wait_idle)

pytestmark = pytest.mark.browser


def inside_point(code: str) -> tuple[float, float]:
    doc = json.loads((PROJECT_ROOT / "assets/kommuner.geojson").read_text(encoding="utf-8"))
    feature = next(f for f in doc["features"] if f["properties"]["kommunenummer"] == code)
    geom = shape(feature["geometry"])
    largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    point = shapely.Polygon(largest.exterior).representative_point()
    return point.y, point.x


def page_point(page, frame, code: str) -> tuple[float, float]:
    """Where on the page a point inside kommune `code` is drawn (for the mouse)."""
    lat, lon = inside_point(code)
    x, y = frame.evaluate("([lat, lon]) => { const p = map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", [lat, lon])
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    return box["x"] + x, box["y"] + y


def test_map_draws_all_kommuner_offline_without_errors(page, app_url):
    page.goto(app_url + "/?aar=2022")
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() == 357
    legend = frame.locator(".ik-legend").inner_text()
    assert "per 1 000 innb." in legend and "skjult (få personer) (2)" in legend
    title = frame.locator(".ik-title").inner_text()
    # "1 000" is one unit (a no-break space): a narrow title box broke it into two lines.
    assert "Bosatte flyktninger per 1\u00a0000 innbyggere" in title and "2022" in title
    assert "© Kartverket (CC BY 4.0)" in frame.locator(".leaflet-control-attribution").inner_text()
    # Leaflet comes from the app itself.
    assert frame.evaluate("() => [...document.scripts].some(s => s.src.includes('/app/static/vendor/leaflet/leaflet.js'))")
    page.wait_for_timeout(500)
    assert page.watch.errors == [] and page.watch.failed == []
    assert page.watch.blocked == []


def test_at_720p_the_attribution_and_the_indicator_names_are_whole(page, app_url):
    """A 720p stream shows the whole map with its attribution line, and the indicator
    list shows each name in full (the list was as wide as its box and cut them)."""
    page.goto(app_url + "/?aar=2022")
    frame = map_frame(page)
    attribution = frame.locator(".leaflet-control-attribution").bounding_box()  # in the page's pixels
    assert attribution["y"] + attribution["height"] <= 720
    page.locator("[data-testid='stSelectbox']").first.click()
    options = page.get_by_role("option")
    options.first.wait_for()
    cut = page.evaluate("""() => [...document.querySelectorAll('[role=option]')]
        .filter(o => o.scrollWidth > o.clientWidth || o.firstElementChild.scrollWidth > o.firstElementChild.clientWidth)
        .map(o => o.textContent)""")
    names = options.all_inner_texts()
    assert "Arbeid og utdanning: I arbeid eller utdanning ett år etter introduksjonsprogrammet" in names
    assert cut == []
    listbox = page.get_by_role("listbox").bounding_box()
    assert listbox["x"] + listbox["width"] <= 1280


def test_at_720p_a_long_indicator_name_in_the_closed_picker_ends_in_an_ellipsis(page, app_url):
    """The picker's box is narrower than the longest names: the name it shows ends in
    "…" (it was cut mid-word, as if whole), and in full once the box has the focus."""
    page.goto(app_url + "/?aar=2022&indikator=intro_work_or_education_1y")
    map_frame(page)
    box = page.locator(".st-key-ik_controls [data-testid='stSelectbox'] input").first
    box.wait_for()
    shown = box.evaluate("e => [e.value, e.scrollWidth > e.clientWidth, getComputedStyle(e).textOverflow]")
    assert shown == ["Arbeid og utdanning: I arbeid eller utdanning ett år etter introduksjonsprogrammet",
                     True, "ellipsis"]
    box.focus()
    assert box.evaluate("e => getComputedStyle(e).textOverflow") == "clip"


def test_tooltip_names_value_and_unit(page, app_url):
    page.goto(app_url + "/?aar=2022&indikator=settled_refugees")
    frame = map_frame(page)
    html = frame.evaluate("""() => { let out = null; IK.layer.eachLayer(l => {
        if (l.feature.properties.kommunenummer === '4601') out = IK.tooltip(l.feature); }); return out; }""")
    assert "<b>Bergen</b>" in html and "718 personer" in html


def test_an_open_tooltip_follows_the_year_and_indicator_shown(page, app_url, built_store):
    """The pointer rests on Bergen while the presenter changes the year with the keys:
    the tooltip showed the old figure (and after an indicator change, the old unit)."""
    figure = built_store.values.set_index(["kommunenummer", "indicator", "year"])["value"]
    page.goto(app_url + "/?aar=2022")
    frame = map_frame(page)
    frame.locator("path[data-kommune='4601']").dispatch_event("mouseover")
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5_000)
    assert f"{format_number(figure['4601', 'settled_per_1000', 2022], 1, 'nb')} per 1 000 innb." in tooltip.inner_text()
    page.get_by_role("slider").focus()
    page.keyboard.press("ArrowLeft")
    frame.locator("body[data-ik-state^='settled_per_1000|2021']").wait_for(state="attached", timeout=30_000)
    expected = f"{format_number(figure['4601', 'settled_per_1000', 2021], 1, 'nb')} per 1 000 innb."
    assert expected != "2,5 per 1 000 innb."
    assert expected in tooltip.inner_text()


def test_a_long_tooltip_wraps_inside_the_map(page, app_url):
    """Narvik's note (half of Tysfjord's figure, split in 2020) ran past the map's right
    edge, where the frame cut it off mid-word. (2011: a year its share is hidden; from
    2012 it is over the former kommuner with both figures.)"""
    page.goto(app_url + "/?aar=2011&indikator=intro_work_or_education_1y")
    frame = map_frame(page)
    page.mouse.move(*page_point(page, frame, "1806"))  # Narvik
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5_000)
    assert "Tysfjord" in tooltip.inner_text()
    assert tooltip.inner_text().startswith("Narvik\nskjult (få personer)\n")  # no empty line for the absent figure
    tip = tooltip.bounding_box()
    assert box["x"] <= tip["x"] and tip["x"] + tip["width"] <= box["x"] + box["width"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_tooltip_is_never_under_the_legend_or_the_map_s_other_boxes(page, app_url, lang):
    """At 1280x720 the legend and the attribution covered the tooltips of the southeast
    (Halden's note, Oslo's unit in English), the zoom buttons Sandefjord's name, and the
    title Tromsø's: Leaflet only puts a tooltip left or right of the map's middle."""
    page.goto(app_url + f"/?aar=2022&lang={lang}")
    frame = map_frame(page)
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    tooltip = frame.locator(".leaflet-tooltip")
    for code in ("3101", "0301", "3907", "3301", "1508", "5501", "4204"):
        x, y = page_point(page, frame, code)
        page.mouse.move(x - 2, y - 2)
        page.mouse.move(x, y)
        frame.wait_for_function("(code) => { const t = document.querySelector('.leaflet-tooltip');"
                                " return t && t.style.opacity !== '0' && t.textContent.length > 0; }", arg=code)
        tip = tooltip.bounding_box()
        covered = frame.evaluate("""([l, t, r, b]) => ['.ik-legend', '.ik-title', '.leaflet-control-attribution',
            '.leaflet-control-zoom'].filter(s => { const o = document.querySelector(s).getBoundingClientRect();
              return l < o.right && o.left < r && t < o.bottom && o.top < b; })""",
                                 [tip["x"] - box["x"], tip["y"] - box["y"], tip["x"] - box["x"] + tip["width"],
                                  tip["y"] - box["y"] + tip["height"]])
        assert covered == [], (code, covered)
        # Inside the map, but for the tooltip's own padding (8 px).
        assert box["x"] - 8 <= tip["x"] and tip["x"] + tip["width"] <= box["x"] + box["width"] + 8, code
        assert box["y"] - 8 <= tip["y"] and tip["y"] + tip["height"] <= box["y"] + box["height"] + 8, code
    assert page.watch.errors == []


def test_on_a_phone_the_sidebar_starts_closed_and_nothing_hides_the_title(page, app_url):
    """At 390 px the open sidebar covered 70 % of every page, the header's sidebar button
    sat on the title's first line, and the profile's overview ran off the screen."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(app_url + "/")
    map_frame(page)
    assert page.locator("[data-testid='stSidebar']").get_attribute("data-collapsed") == "true"
    header = page.locator("header[data-testid='stHeader']").bounding_box()
    title = page.get_by_role("heading", name="Integreringskart · bosetting og flytting").bounding_box()
    assert title["y"] >= header["y"] + header["height"] - 1, (title, header)
    page.goto(app_url + "/profil?kommune=4601")
    table = page.locator(".ik-table").first
    table.wait_for()
    box = table.bounding_box()
    assert box["x"] + box["width"] <= 390  # the table scrolls inside the screen
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")
    assert page.watch.errors == []
    # A desktop window keeps the sidebar open.
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(app_url + "/")
    map_frame(page)
    assert page.locator("[data-testid='stSidebar']").get_attribute("data-collapsed") == "false"


def test_outside_a_chosen_fylke_kommuner_carry_no_data_colour(page, app_url):
    # Faded data colours outside Vestland looked like the lavender of "suppressed".
    page.goto(app_url + "/?aar=2020&fylke=46&indikator=settled_per_1000")
    frame = map_frame(page)
    fills = frame.evaluate("""() => { const out = {}; IK.layer.eachLayer(l => {
        out[l.feature.properties.kommunenummer] = [l.options.fillColor, l.options.fillOpacity]; });
        return out; }""")
    values = frame.evaluate("() => IK.values")
    outside = {code: fill for code, fill in fills.items() if not code.startswith("46")}
    assert len(outside) == 357 - 43 and set(map(tuple, outside.values())) == {("#f7f7f7", 1)}
    assert fills["4601"] == [values["4601"][0], 0.92]  # Bergen in its class colour
    suppressed = [c for c in fills if c.startswith("46") and values[c][4] == 3]
    assert suppressed and all(fills[c][0] == "#b39ddb" for c in suppressed)
    assert "kommuner utenfor fylket vises uten farge" in frame.locator(".ik-legend").inner_text()
    # In the high-contrast palette "suppressed" is white: the outside is outlines only,
    # on a darker ground than that white.
    page.goto(app_url + "/?aar=2020&fylke=46&indikator=settled_per_1000&palett=kontrast")
    frame = map_frame(page)
    fills = frame.evaluate("""() => { const out = {}; IK.layer.eachLayer(l => {
        out[l.feature.properties.kommunenummer] = [l.options.fillColor, l.options.fillOpacity]; });
        return out; }""")
    assert {tuple(f) for c, f in fills.items() if not c.startswith("46")} == {("#f7f7f7", 0)}
    assert all(fills[c] == ["#ffffff", 1] for c in suppressed)
    assert frame.evaluate("() => getComputedStyle(map.getContainer()).backgroundColor") == "rgb(201, 211, 221)"


def test_quick_arrow_presses_on_the_year_slider_all_count(page, app_url):
    # Each press reruns the page. A rerun could come back with the address of a press or
    # two before (the browser had not yet applied the newer one), which set the year
    # back; the race needs a press at the wrong moment, so a few bursts of presses.
    page.goto(app_url + "/?aar=2022&indikator=settled_refugees")
    map_frame(page)
    slider = page.get_by_role("slider")
    for key, expected in (("ArrowLeft", 2016), ("ArrowRight", 2022), ("ArrowLeft", 2016),
                          ("ArrowRight", 2022)):
        slider.focus()
        for _ in range(6):
            page.keyboard.press(key)
            page.wait_for_timeout(40)
        page.wait_for_timeout(2500)  # the last rerun done, and any late one too
        shown = map_frame(page).evaluate("() => document.body.getAttribute('data-ik-state')")
        assert (slider.get_attribute("aria-valuetext"), shown.split("|")[1],
                page.url.split("aar=")[1][:4]) == (str(expected),) * 3


def test_click_selects_a_kommune(page, app_url):
    page.goto(app_url + "/?aar=2022")
    frame = map_frame(page)
    page.mouse.click(*page_point(page, frame, "5001"))  # Trondheim
    page.wait_for_function("() => location.search.includes('kommune=5001')", timeout=20000)
    page.get_by_text("Trondheim - Tråante 2022").wait_for(timeout=20000)
    frame = map_frame(page)
    assert frame.evaluate("() => IK.selected") == "5001"
    assert_outline_over_borders(frame, "5001", "#e66100")
    assert "aar=2022" in page.url and "indikator=settled_per_1000" in page.url
    # The click closed Trondheim's tooltip: it covered the new outline until the pointer
    # moved off. Entering a kommune again shows one. (A closed tooltip fades out for
    # 200 ms before it leaves the page: the page's run after the click may have opened
    # and closed it again just now, the browser replaying the pointer's entry.)
    expect(frame.locator(".leaflet-tooltip")).to_have_count(0, timeout=2_000)
    page.mouse.move(*page_point(page, frame, "4601"))
    frame.locator(".leaflet-tooltip").filter(has_text="Bergen").wait_for(timeout=5_000)
    # Another kommune: the outline moves (one, never two); none chosen: no outline.
    page.mouse.click(*page_point(page, frame, "4601"))  # Bergen
    page.wait_for_function("() => location.search.includes('kommune=4601')", timeout=20000)
    frame.wait_for_function("() => IK.selected === '4601'")
    assert_outline_over_borders(frame, "4601", "#e66100")
    page.get_by_label("Eller velg kommune").click()
    page.get_by_role("option", name="(ingen valgt)").click()
    page.wait_for_function("() => !location.search.includes('kommune=')", timeout=20000)
    frame.wait_for_function("() => IK.selected === null")
    assert frame.locator(".leaflet-ik-selected-pane path").count() == 0
    assert page.watch.errors == []


def test_download_is_exactly_what_the_map_shows(page, app_url, tmp_path, built_store):
    # Haram chosen: the figures' link leaves the choice out (beside every row, it read as
    # that row's link).
    page.goto(app_url + "/?aar=2022&fylke=15&indikator=settled_refugees&kommune=1580")
    map_frame(page)
    page.get_by_text("Haram 2022").first.wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Tallene i kartet (CSV)").click()
    path = tmp_path / "shown.csv"
    info.value.save_as(path)
    assert info.value.suggested_filename == "integreringskart_settled_refugees_2022_15.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ("kommunenummer,kommunenavn,year,indicator,value,unit,status,status_text,"
                        "source,note,title,permalink")
    assert lines[1].endswith(f",{app_url}/?indikator=settled_refugees&aar=2022&fylke=15")  # permalink
    rows = [line.split(",") for line in lines[1:]]
    in_fylke = sorted(c for c in built_store.kommuner if c.startswith("15"))  # Møre og Romsdal
    assert [r[0] for r in rows] == in_fylke and len(in_fylke) == 27
    haram = next(line for line in lines if line.startswith("1580,Haram,2022"))
    assert ",estimated,anslag," in haram and "Anslag: 14 % av tallet for Ålesund (1507)" in haram


def test_map_to_profile_and_back(page, app_url):
    page.goto(app_url + "/?indikator=settled_refugees&aar=2019")
    frame = map_frame(page)
    page.mouse.click(*page_point(page, frame, "5001"))
    link = page.get_by_role("link", name="Profil: Trondheim - Tråante")
    link.wait_for(timeout=20000)
    link.click()
    page.wait_for_function("() => location.pathname.endsWith('/profil')", timeout=20000)
    page.get_by_role("heading", name="Trondheim - Tråante").wait_for(timeout=30000)
    assert "kommune=5001" in page.url
    page.get_by_text("Push, pull og bli boende – oversikt").wait_for()

    page.go_back()
    page.wait_for_function("() => !location.pathname.endsWith('/profil')", timeout=20000)
    frame = map_frame(page)
    assert frame.evaluate("() => document.body.getAttribute('data-ik-state')").startswith(
        "settled_refugees|2019|5001")
    assert "indikator=settled_refugees" in page.url and "aar=2019" in page.url
    assert page.watch.errors == [] and page.watch.failed == []
    assert page.watch.blocked == []  # the profile, its charts and icons work offline too


def test_back_and_forward_undo_one_step_per_press(page, app_url):
    """Each step (a year, a kommune chosen, a page from the sidebar) is one entry in the
    browser's history, and Back shows the view before it. Streamlit's menu opened a page
    with a bare address and the app wrote each parameter as its own entry (Back from the
    profile took four presses, three of them dead); and Back to the map before a kommune
    was chosen kept the kommune (a dead press, which also wrote it into that entry)."""
    def map_state() -> str:
        return map_frame(page).evaluate("() => document.body.getAttribute('data-ik-state')")

    page.goto(app_url + "/?indikator=settled_per_1000&aar=2022")
    map_frame(page)
    start = page.evaluate("history.length")
    page.get_by_role("slider").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('aar=2021')", timeout=20000)
    wait_idle(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Eller velg kommune").click()
    page.keyboard.type("Bergen")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('kommune=4601')", timeout=20000)
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Kommuneprofil").click()
    page.get_by_role("heading", name="Bergen").wait_for(timeout=30000)
    wait_idle(page)
    assert page.evaluate("location.pathname").endswith("/profil")
    assert "kommune=4601" in page.url and "aar=2021" in page.url  # the link carried the view
    assert page.evaluate("history.length") == start + 3

    # (press, where it lands, what the map shows there)
    steps = [(page.go_back, "!location.pathname.endsWith('/profil')", "settled_per_1000|2021|4601|"),
             (page.go_back, "!location.search.includes('kommune=')", "settled_per_1000|2021||"),
             (page.go_back, "location.search.includes('aar=2022')", "settled_per_1000|2022||"),
             (page.go_forward, "location.search.includes('aar=2021')", "settled_per_1000|2021||"),
             (page.go_forward, "location.search.includes('kommune=4601')", "settled_per_1000|2021|4601|")]
    for press, lands, shown in steps:
        press()
        page.wait_for_function(f"() => {lands}", timeout=20000)
        assert map_state() == shown
        if shown == "settled_per_1000|2022||":
            assert "kommune=" not in page.url  # the entry before the choice was not rewritten
    page.go_forward()
    page.get_by_role("heading", name="Bergen").wait_for(timeout=30000)
    assert page.evaluate("history.length") == start + 3
    assert page.watch.errors == []


def test_back_from_a_trace_returns_to_the_profile_tab_left(page, app_url):
    """A planner on the profile's introduction tab follows "Slik er tallet laget" and
    presses Back: the profile opens on that tab, scrolled to it. The tabs are bound to
    the URL, and Streamlit put the trace page's address on the profile's path first, so
    Back went to an entry without ?fane= and the profile opened on its first tab."""
    tab = "Etter introduksjonsprogrammet"
    page.add_init_script(RECORD_HISTORY)  # for the message of a failed count
    page.goto(app_url + "/profil?kommune=3301&fane=" + tab.replace(" ", "+"))
    page.get_by_role("tab", name=tab, selected=True).wait_for(timeout=30_000)
    # The page has written its whole view (its own entry) and its scripts are loaded.
    page.wait_for_function("() => location.search.includes('gruppe=') && window.__ikOneEntryPerLink",
                           timeout=30_000)
    wait_idle(page)
    start = page.evaluate("history.length")
    # The first chart's link (the tab draws its sections one after another: `.first` of
    # all its links was, on a slow machine, a later section's).
    trace = page.get_by_role("link", name="Slik er tallet laget: I arbeid eller utdanning ett år etter")
    trace.wait_for(timeout=30_000)
    assert trace.get_attribute("href").startswith("om-dataene?kommune=3301&tall=intro_work_or_education_1y-")
    trace.click()
    page.wait_for_function("() => location.pathname.endsWith('/om-dataene')", timeout=20_000)
    page.get_by_role("link", name="Tilbake til profilen").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.evaluate("history.length") == start + 1, page.evaluate("window.__ikHistory")  # one entry per link

    page.go_back()
    page.wait_for_function("() => location.pathname.endsWith('/profil')", timeout=20_000)
    assert "fane=Etter+introduksjonsprogrammet" in page.url
    page.get_by_role("tab", name=tab, selected=True).wait_for(timeout=30_000)
    # Scrolled to the tabs (they are ~1,100 px down), not left at the page's top.
    page.wait_for_function(
        "() => { const r = document.querySelector('.st-key-fane').getBoundingClientRect();"
        " return r.top >= 0 && r.top < 200; }", timeout=10_000)
    assert page.watch.errors == []


def test_the_menu_tells_screen_readers_which_page_is_open(page, app_url):
    """The sidebar's links showed the current page only by a background: now its link
    is aria-current="page", and the mark follows a click, Back, and a direct address."""
    current = "[data-testid='stSidebar'] a[aria-current='page']"

    def marked(name: str) -> None:
        page.locator(current, has_text=name).wait_for(timeout=20_000)
        assert page.locator(current).count() == 1

    page.goto(app_url + "/?aar=2022")
    map_frame(page)
    marked("Kart")
    page.get_by_role("link", name="Kommuneprofil").click()
    marked("Kommuneprofil")
    page.go_back()
    page.wait_for_function("() => location.pathname === '/'", timeout=20_000)
    marked("Kart")
    page.goto(app_url + "/om-dataene")
    marked("Om dataene")
    assert page.get_by_role("link", name="Om dataene").get_attribute("aria-current") == "page"
    assert page.watch.errors == []


def test_an_address_naming_no_page_opens_the_map_with_a_note(page, app_url):
    page.goto(app_url + "/kart2?aar=2022")
    frame = map_frame(page)
    page.get_by_text("Appen har ingen side «kart2»; her er kartet.").wait_for(timeout=10000)
    assert page.get_by_text("Page not found").count() == 0  # Streamlit's English dialog
    assert page.get_by_role("dialog").count() == 0
    assert page.evaluate("location.pathname") == "/"
    assert frame.evaluate("() => document.body.getAttribute('data-ik-state')").startswith(
        "settled_per_1000|2022|")
    assert page.watch.errors == []


def test_an_address_below_a_page_opens_that_page_not_a_blank_one(page, app_url):
    """/foo/bar was a blank page: Streamlit answered with its page, whose scripts it
    then looked for under /foo/static/. Now the address goes to its first part, a page
    or a noted unknown one, with the link's settings kept."""
    page.goto(app_url + "/kart2/extra?aar=2022")
    frame = map_frame(page)
    page.get_by_text("Appen har ingen side «kart2»; her er kartet.").wait_for(timeout=10000)
    assert frame.evaluate("() => document.body.getAttribute('data-ik-state')").startswith(
        "settled_per_1000|2022|")
    page.goto(app_url + "/profil/4601")  # read as the profile of 4601
    page.get_by_role("heading", name="Bergen").wait_for(timeout=30000)
    assert page.evaluate("location.pathname") == "/profil"
    assert page.evaluate("new URLSearchParams(location.search).get('kommune')") == "4601"
    page.goto(app_url + "/profil/9999")
    page.get_by_text("Kommunenummeret «9999» i lenken finnes ikke i dag; ingen kommune er valgt.").wait_for(
        timeout=30000)
    # Opened at a page's address, Streamlit's frontend asked nothing there (it used to
    # look for its server at /profil/_stcore/ first: two 404s in the console).
    assert page.watch.errors == [] and page.watch.failed == []


@pytest.fixture(scope="module")
def base_path_url(store_env, tmp_path_factory):
    from tests.e2e.conftest import start_app

    proc, url = start_app(store_env, tmp_path_factory.mktemp("base") / "server.log", base_path="ik")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_under_a_base_path_the_map_and_the_pages_load_from_it(page, base_path_url):
    """Under Streamlit's server.baseUrlPath (the app at https://example.no/ik/), the map
    found Leaflet and its geometry at the server's root (/app/static/...): no map."""
    page.goto(base_path_url + "/profil?kommune=4601")
    page.get_by_role("heading", name="Bergen").wait_for(timeout=30000)
    page.get_by_role("link", name="Kart").first.click()
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() == 357
    assert page.evaluate("location.pathname") == "/ik/"
    assert page.watch.errors == [] and page.watch.failed == []


def test_the_map_downloaded_as_html_opens_offline(page, app_url, tmp_path):
    page.goto(app_url + "/?aar=2022&fylke=46&indikator=settled_per_1000")
    map_frame(page)
    page.get_by_role("button", name="Last ned kartet").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Kart som HTML (virker uten nett)").click()
    assert info.value.suggested_filename == "integreringskart_settled_per_1000_2022_46.html"
    path = tmp_path / "kart.html"
    info.value.save_as(path)

    offline = page.context.new_page()
    blocked = []
    offline.route("**/*", lambda route: route.continue_() if route.request.url == path.as_uri()
                  else (blocked.append(route.request.url), route.abort()))
    offline.goto(path.as_uri())
    offline.locator("body[data-ik-ready='1']").wait_for(state="attached", timeout=15_000)
    assert offline.locator("path.leaflet-interactive").count() == 357
    title = offline.locator(".ik-title").inner_text()
    assert "Vestland · 2022" in title and "hentet" in title
    link = offline.locator(".ik-title a", has_text="Åpne visningen").get_attribute("href")
    assert link == f"{app_url}/?indikator=settled_per_1000&aar=2022&fylke=46"
    # In a narrow window (a phone, a window beside the slides) the title box leaves the
    # map most of the width: at 380 px it covered all but 100 px of a 480 px window.
    offline.set_viewport_size({"width": 480, "height": 720})
    box = offline.locator(".ik-title").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 0.7 * 480
    assert blocked == []

    png_button = page.get_by_role("button", name="Kart som bilde (PNG)")
    if not png_button.is_visible():
        page.get_by_role("button", name="Last ned kartet").click()
    with page.expect_download(timeout=60_000) as info:
        png_button.click()
    png = info.value.path().read_bytes()
    assert png.startswith(b"\x89PNG") and b"Vestland" in png  # the alt text is in the file
    assert page.watch.errors == [] and page.watch.blocked == []


def test_the_map_files_keep_the_high_contrast_colours(page, app_url, tmp_path):
    """The map's PNG and HTML are made when asked for, after the page's run: they came
    out in the normal palette beside a high-contrast live map."""
    from PIL import Image

    from dashboard.classify import CONTRAST_PALETTE, PALETTE

    page.goto(app_url + "/?aar=2022&palett=kontrast")
    frame = map_frame(page)
    live = set(frame.evaluate("() => Object.values(IK.values).map(v => v[0])"))
    assert CONTRAST_PALETTE[-1] in live and PALETTE[-1] not in live
    page.get_by_role("button", name="Last ned kartet").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Kart som HTML (virker uten nett)").click()
    html = info.value.path().read_text(encoding="utf-8")
    assert CONTRAST_PALETTE[-1] in html and PALETTE[-1] not in html
    png_button = page.get_by_role("button", name="Kart som bilde (PNG)")
    if not png_button.is_visible():
        page.get_by_role("button", name="Last ned kartet").click()
    with page.expect_download(timeout=60_000) as info:
        png_button.click()
    path = tmp_path / "kart.png"
    info.value.save_as(path)
    colours = {"#%02x%02x%02x" % rgb[:3] for _, rgb in Image.open(path).convert("RGB").getcolors(1 << 24)}
    assert CONTRAST_PALETTE[-1] in colours and PALETTE[-1] not in colours
    assert page.watch.errors == []


# In a map's frame: the legend's box and the boxes of the kommuner of `fylke` (all: "").
KOMMUNE_AND_LEGEND_BOXES = """(fylke) => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    return {legend: box(document.querySelector('.ik-legend')), width: window.innerWidth,
            title: box(document.querySelector('.ik-title')),
            shown: [...document.querySelectorAll('path[data-kommune]')]
              .filter(p => p.dataset.kommune.startsWith(fylke)).map(box)};
}"""


@pytest.mark.parametrize("fylke", ["", "15"])
def test_beside_the_side_column_at_1024_px_the_legend_covers_no_kommune_shown(page, app_url, fylke):
    """The map is ~470 px wide there: at full size the title and legend covered a third
    of the country (Vestland to Agder under the legend), and then the title Troms."""
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(app_url + "/?aar=2022" + (f"&fylke={fylke}" if fylke else ""))
    frame = map_frame(page)
    frame.wait_for_function("() => (document.body.dataset.ikFitted || '').startsWith("
                            f"'{fylke or 'norge'}|')")  # framed after the payload
    boxes = frame.evaluate(KOMMUNE_AND_LEGEND_BOXES, fylke)
    assert boxes["width"] < 520  # the narrow map this is about
    assert_clear_of_the_legend(boxes, 357 if not fylke else 27)
    if not fylke:
        # Sidebar closed (a wide map), then opened again: framed anew for the narrow map.
        page.get_by_test_id("stSidebarHeader").hover()  # the button shows under the pointer
        page.get_by_role("button", name="Collapse sidebar").click()
        frame.wait_for_function("() => +document.body.dataset.ikFitted.split('|')[1] >= 520")
        page.get_by_test_id("stExpandSidebarButton").click()
        frame.wait_for_function("() => +document.body.dataset.ikFitted.split('|')[1] < 520")
        assert_clear_of_the_legend(frame.evaluate(KOMMUNE_AND_LEGEND_BOXES, ""), 357)
    assert page.watch.errors == []


@pytest.mark.parametrize("width, height, link", [(1024, 768, "aar=2022"), (1280, 720, "aar=2022"),
                                                 (1280, 720, "aar=1800"), (1920, 1080, "aar=2022")])
def test_beside_the_sidebar_the_whole_map_is_on_screen(page, app_url, width, height, link):
    """At 1024x768 (a projector, sidebar open) the map's foot, with its legend and zoom,
    was below the screen, and the title took two lines: the page's side margins are
    narrower there, its headings smaller, and the map as high as the screen leaves it.
    A link's note (aar=1800) stood above the page and pushed the map's foot down: it
    now heads the side column."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url + "/?" + link)
    frame = map_frame(page)
    if link == "aar=1800":
        page.get_by_text("Året «1800» i lenken har ingen tall").wait_for(timeout=10_000)
    iframe = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert iframe["y"] + iframe["height"] <= height
    assert iframe["height"] >= 400 and iframe["width"] >= 440
    if height >= 1080:  # a large screen: the map grows with it, not a 540 px strip
        assert iframe["y"] + iframe["height"] >= height - 60
    for selector in (".ik-legend", ".leaflet-control-zoom", ".leaflet-control-attribution"):
        box = frame.locator(selector).bounding_box()  # in the page's coordinates
        assert box["y"] >= iframe["y"] and box["y"] + box["height"] <= height, selector
    title = page.get_by_role("heading", name="Integreringskart · bosetting og flytting i 357 kommuner")
    lines = title.evaluate("h => { const r = document.createRange();"
                           " r.selectNodeContents(h.querySelector('[data-heading-text]'));"
                           " return new Set([...r.getClientRects()].map(b => Math.round(b.bottom))).size; }")
    assert lines == 1
    assert page.watch.errors == []


def assert_clear_of_the_legend(boxes: dict, count: int) -> None:
    """Every kommune shown lies above the legend or left of it (bounding boxes), and no
    kommune's middle is under the title (it hid Tromsø and the rest of Troms)."""
    left, top = boxes["legend"][0], boxes["legend"][1]
    shown = boxes["shown"]
    assert len(shown) == count
    assert max(b[3] for b in shown) <= top + 1 or max(b[2] for b in shown) <= left + 1
    title_left, title_top, title_right, title_bottom = boxes["title"]
    under_title = [b for b in shown if title_left <= (b[0] + b[2]) / 2 <= title_right
                   and title_top <= (b[1] + b[3]) / 2 <= title_bottom]
    assert under_title == []


# When parts of the page arrive, in every frame (the map's too): the times are on one
# clock (performance.timeOrigin), and the map's frame box is taken as its polygons come
# (within 10 ms).
MARK_ARRIVALS = """(() => {
  const now = () => performance.timeOrigin + performance.now();
  const marks = window.top.__ikMarks = window.top.__ikMarks || {};
  const look = () => {
    if (window !== window.top) {
      if (!marks.map && document.querySelectorAll('path.leaflet-interactive').length >= 357) {
        marks.map = now();
        const box = window.frameElement.getBoundingClientRect();
        marks.mapBox = [box.top, box.width];
      }
      return;
    }
    const seen = (key, selector) => { if (!marks[key] && document.querySelector(selector)) marks[key] = now(); };
    seen('sidebar', "[data-testid='stSidebarUserContent'] .st-key-present");
    seen('controls', '.st-key-ik_controls');
    seen('ranking', ".stMain [data-testid='stTabs']");
    seen('space', '.ik-controls-space');
  };
  // Polled: an observer set up this early saw nothing in the map's frame.
  const timer = setInterval(() => {
    look();
    if (marks.map && marks.sidebar && marks.controls && marks.ranking) clearInterval(timer);
  }, 10);
})();"""


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768)])
def test_a_session_opening_on_the_map_sees_the_map_first_and_it_stays_put(page, app_url, size):
    """dashboard.map_first: the map is drawn before the sidebar, the controls and the
    ranking come; when they come, the map neither moves nor changes width (at 1024 px
    the controls take two rows beside the sidebar)."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.add_init_script(MARK_ARRIVALS)
    page.goto(app_url + "/?aar=2022")
    map_frame(page)
    marks = page.evaluate("() => window.__ikMarks")
    assert marks["map"] < min(marks["sidebar"], marks["controls"], marks["ranking"]), marks
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert abs(box["y"] - marks["mapBox"][0]) <= 1 and abs(box["width"] - marks["mapBox"][1]) <= 1, (box, marks)
    page.get_by_role("link", name="Kommuneprofil").wait_for()  # the sidebar's menu
    assert page.watch.errors == [] and page.watch.blocked == []


def test_a_map_whose_geometry_fails_still_gets_the_whole_page(page, app_url):
    page.context.route("**/app/static/data/kommuner-*", lambda route: route.abort())
    page.goto(app_url + "/?aar=2022")
    page.locator(".st-key-ik_controls [data-testid='stSelectbox']").first.wait_for(timeout=15_000)
    page.get_by_role("link", name="Kommuneprofil").wait_for()
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    assert frame.locator("body[data-ik-error='1']").count() == 1
    assert "Kartet kunne ikke lastes" in frame.locator(".ik-title").inner_text()


def test_a_session_opening_on_another_page_never_holds_the_map_back(page, app_url):
    page.add_init_script(MARK_ARRIVALS)
    page.goto(app_url + "/profil?kommune=4601")
    page.get_by_role("link", name="Kart", exact=True).click()
    map_frame(page)
    assert "space" not in page.evaluate("() => window.__ikMarks")


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_captions_keep_small_text_contrast_on_a_projector(page, app_url):
    """Sources, notes and "no figure" are captions: Streamlit's grey for them was ~3.9:1
    on white, under WCAG AA's 4.5:1 for small text."""
    page.goto(app_url + "/?aar=2022")
    map_frame(page)
    caption = page.locator("[data-testid='stCaptionContainer']").first
    colour, opacity = caption.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).opacity]")
    parts = [float(x) for x in colour[colour.index("(") + 1:-1].split(",")]  # rgb(…) or rgba(…)
    alpha = (parts[3] if len(parts) == 4 else 1.0) * float(opacity)  # Streamlit fades with both
    shown = tuple(alpha * c + (1 - alpha) * 255 for c in parts[:3])  # over the white page
    ratio = (1.05) / (_luminance(shown) + 0.05)
    assert ratio >= 4.5, (colour, ratio)


def test_the_server_says_where_to_open_it_without_looking_up_its_external_address(app_url):
    """Streamlit's own welcome first asks checkip.amazonaws.com, and no page is served
    until it has an answer (20 s on a network whose DNS never replies); the app's says
    the local and network addresses. Offline, a lookup would have logged its failure."""
    import time

    host = app_url.split("//", 1)[1]
    log_path, deadline = SERVER_LOGS[host], time.time() + 10
    while "Local URL" not in log_path.read_text(errors="replace") and time.time() < deadline:
        time.sleep(0.1)
    log = log_path.read_text(errors="replace")
    assert f"Local URL: http://localhost:{host.rsplit(':', 1)[1]}" in log
    assert "External URL" not in log and "external IP" not in log
