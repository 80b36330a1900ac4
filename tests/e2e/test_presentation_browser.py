"""Presentation view and the time animation in a 1280x720 browser, network blocked."""

from __future__ import annotations

import time

import pytest

from dashboard import styles
from tests.e2e.conftest import map_frame, start_app, step_to, wait_idle

pytestmark = pytest.mark.browser


def test_presentation_view_fills_the_screen_with_a_legible_legend(page, app_url, tmp_path):
    page.goto(app_url + "/?present=1&aar=2022")
    frame = map_frame(page)
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    iframe = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert iframe["width"] >= 1200 and iframe["height"] >= 600  # at 1280 x 720
    assert iframe["y"] + iframe["height"] <= 720  # no scrolling to see the whole map
    legend_px = frame.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.ik-legend')).fontSize)")
    title_px = frame.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.ik-title b')).fontSize)")
    assert legend_px >= 18 and title_px >= 24
    page.screenshot(path=tmp_path / "presentation.png")
    assert page.watch.errors == [] and page.watch.blocked == []


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720), (1024, 768)])
def test_the_presented_map_reaches_the_foot_of_any_screen(page, app_url, width, height):
    """A map of fixed height left 400 px blank under it on a 1080p projector (and 70 px
    at 1024x768); now the frame ends just above the screen's foot and the map fills it."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url + "/?present=1&aar=2022")
    frame = map_frame(page)
    iframe = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert height - 30 <= iframe["y"] + iframe["height"] <= height
    map_height = frame.evaluate("() => document.querySelector('.leaflet-container').getBoundingClientRect().height")
    assert abs(map_height - iframe["height"]) <= 2
    assert page.evaluate("() => document.scrollingElement.scrollHeight") <= height + 2  # nothing to scroll to
    assert page.watch.errors == []


def test_a_link_note_in_the_presentation_view_leaves_the_map_on_screen(page, app_url):
    """The note on a link's unknown year stood in a box above the controls and pushed
    the map's foot (legend, zoom) below a 720p screen; now it floats over the page."""
    page.goto(app_url + "/?present=1&aar=1990")
    map_frame(page)
    page.get_by_text("Året «1990» i lenken har ingen tall for bosatte flyktninger per 1 000 "
                     "innbyggere; viser 2022.").wait_for(timeout=10_000)
    iframe = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert 720 - 30 <= iframe["y"] + iframe["height"] <= 720
    assert page.evaluate("() => document.scrollingElement.scrollHeight") <= 722
    assert page.watch.errors == []


def test_a_loaded_deck_moves_the_map_not_a_pixel(page, app_url, built_store):
    """The scene bar floats over the page: with a deck, the map sits where it sits
    without one (it was pushed 32 px down, its southern coast behind the bar). On a
    profile scene the bar sits in the right margin, beside the content, not over it."""
    from dashboard import scenes
    from tests.conftest import FIXTURES

    def map_box(url):
        page.goto(url)
        map_frame(page)
        return page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()

    plain = map_box(app_url + "/?present=1&aar=2022")
    token = scenes.from_json((FIXTURES / "scenes_three.json").read_bytes(), built_store).token()
    with_deck = map_box(app_url + f"/?present=1&scener={token}&scene=1")
    page.get_by_role("button", name="Neste").wait_for()
    assert abs(with_deck["y"] - plain["y"]) < 1 and with_deck["y"] + with_deck["height"] <= 720
    step_to(page, 2)  # one key at a time: a key pressed while a page switches is dropped
    step_to(page, 3)  # scene 3: the profile, with its larger text
    page.wait_for_function("() => location.pathname.endsWith('/profil')", timeout=30_000)
    page.locator(".st-key-ik_scenebar").get_by_role("button", name="Forrige").wait_for()
    wait_idle(page)
    # Beside the content (its right edge), wholly on screen; polled, as the bar's old
    # place on the map page stays on screen for a moment after the switch.
    page.wait_for_function(
        "() => { const bar = document.querySelector('.st-key-ik_scenebar').getBoundingClientRect();"
        " const main = document.querySelector('.stMain .block-container [data-testid=stVerticalBlock]')"
        ".getBoundingClientRect(); return bar.left >= main.right && bar.right <= 1280; }", timeout=10_000)
    assert page.locator(".st-key-ik_scenebar").get_by_text("3/3").is_visible()
    assert page.watch.errors == []


def test_a_fylke_scene_keeps_its_kommuner_clear_of_the_scene_bar(page, app_url, built_store):
    """The scene bar floats over the map's foot: Vestland's southern kommuner lay under
    it. Now the map frames a place above the bar (and Norway too)."""
    from dashboard import scenes
    from tests.conftest import FIXTURES

    token = scenes.from_json((FIXTURES / "scenes_three.json").read_bytes(), built_store).token()
    for scene, prefix in ((2, "46"), (1, "")):
        page.goto(app_url + f"/?present=1&scener={token}&scene={scene}")
        frame = map_frame(page)
        bar = page.locator(".st-key-ik_scenebar")
        bar.get_by_role("button", name="Neste").wait_for()
        frame.wait_for_function("() => document.body.getAttribute('data-ik-fitted')", timeout=10_000)
        page.wait_for_timeout(500)  # any zoom animation over
        box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
        bar_top = bar.bounding_box()["y"] - box["y"]  # in the map's own coordinates
        lowest = frame.evaluate(f"""() => {{ let low = 0; IK.layer.eachLayer(l => {{
            if (l.feature.properties.kommunenummer.startsWith('{prefix}'))
                low = Math.max(low, l._path.getBoundingClientRect().bottom); }}); return low; }}""")
        assert 0 < lowest <= bar_top, (scene, lowest, bar_top)
    assert page.watch.errors == []


def test_animation_recolours_the_same_map(page, app_url):
    page.goto(app_url + "/?aar=2012&indikator=settled_refugees")
    frame = map_frame(page)
    iframe = page.locator("iframe[title='streamlit_folium.st_folium']")
    iframe.evaluate("element => { element.dataset.mark = 'first'; }")
    frame.evaluate("() => { window.__first = true; }")
    page.get_by_role("button", name="Spill av").click()
    page.get_by_role("slider").and_(page.locator("[aria-disabled='true'], [disabled]")).or_(
        page.locator("[data-testid='stSlider'] [aria-disabled='true']")).first.wait_for(timeout=15_000)
    seen = []
    deadline = time.time() + 40
    while time.time() < deadline and len(set(seen)) < 4:
        frame = map_frame(page)
        seen.append(frame.evaluate("() => document.body.getAttribute('data-ik-state')").split("|")[1])
        page.wait_for_timeout(300)
    years = list(dict.fromkeys(seen))
    assert len(years) >= 4, years  # the year advanced at least three times
    assert [int(y) for y in years] == sorted(int(y) for y in years)
    # The same iframe element and the same document: nothing was rebuilt.
    assert iframe.evaluate("element => element.dataset.mark") == "first"
    assert frame.evaluate("() => window.__first === true")
    assert frame.locator("path.leaflet-interactive").count() == 357
    # One colour scale for every year while playing: a colour means the same throughout.
    assert "Samme klasser i alle år" in frame.locator(".ik-legend").inner_text()
    page.get_by_role("button", name="Pause").click()
    assert page.watch.errors == [] and page.watch.blocked == []


def test_the_profile_in_the_presentation_view_has_an_exit(page, app_url):
    page.goto(app_url + "/profil?kommune=4601&present=1")
    page.get_by_role("heading", name="Bergen").wait_for(timeout=30_000)
    page.locator("[data-testid='stSidebar']").wait_for(state="hidden", timeout=15_000)
    # The sidebar comes after the page, so it may not be there yet to hide: wait for the
    # view's style instead.
    page.wait_for_function("() => { const exit = document.querySelector('.st-key-ik_exit');"
                           " return exit && getComputedStyle(exit).position === 'fixed'; }", timeout=15_000)
    exit_button = page.get_by_role("button", name="Avslutt")
    box = exit_button.bounding_box()
    assert box["y"] < 60 and box["x"] > 1000  # top right, always on screen
    exit_button.click()
    page.wait_for_function("() => !location.search.includes('present=1')", timeout=20_000)
    page.locator("[data-testid='stSidebar']").wait_for(state="visible", timeout=20_000)
    assert page.watch.errors == []


def test_a_link_to_a_profile_tab_opens_at_that_tab_and_stays_put(page, app_url):
    """A shared link naming a tab shows that tab's chart, not the overview above it; a
    tab clicked afterwards changes the content below, never where the page stands."""
    page.goto(app_url + "/profil?kommune=4601&present=1&fane=Bli+boende")
    page.get_by_role("tab", name="Bli boende", selected=True).wait_for(timeout=30_000)
    tab_top = "() => document.querySelector('[role=tablist]').getBoundingClientRect().top"
    wait_idle(page)
    # At the tabs, and settled there: two reads 300 ms apart agree (under load the page
    # can still be laying out when the run ends; measured then, "before" was off by 590).
    page.wait_for_function(
        f"() => {{ const t = ({tab_top})(); const settled = t >= 0 && t < 160 && window.__ikTop === t;"
        " window.__ikTop = t; return settled; }", polling=300, timeout=15_000)
    before = page.evaluate(tab_top)
    page.get_by_role("tab", name="Flytting og arbeid").click()
    page.get_by_role("tab", name="Flytting og arbeid", selected=True).wait_for(timeout=30_000)
    wait_idle(page)
    page.wait_for_timeout(500)
    assert abs(page.evaluate(tab_top) - before) < 2
    assert page.watch.errors == []


@pytest.mark.parametrize("view", ["", "&present=1"])
def test_at_1024_px_the_map_controls_keep_their_words(page, app_url, view):
    """A 1024x768 projector: one row of controls cut "Spill av" to "S." and "Middels" to
    "Mi" beside the sidebar, and "Avslutt" to "Av…" in the presentation view."""
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(app_url + "/?aar=2022&fylke=18" + view)
    map_frame(page)
    wait_idle(page)
    cut = page.evaluate("""() => [...document.querySelectorAll(
        ".st-key-ik_controls [data-testid='stColumn']:not(:first-child) :is(button p, input)")]
        .filter(e => getComputedStyle(e).position !== 'absolute' && e.scrollWidth > e.clientWidth + 1)
        .map(e => e.value || e.textContent)""")
    assert cut == []
    assert page.get_by_role("button", name="Spill av").is_visible()
    if view:  # the exit is an icon there, still named for screen readers and as a tooltip
        assert page.get_by_role("button", name="Avslutt").is_visible()
        iframe = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
        assert iframe["y"] + iframe["height"] <= 768
    assert page.watch.errors == [] and page.watch.blocked == []


def test_the_presentation_view_switched_on_in_the_sidebar_stays_on_through_the_scenes(
        page, app_url, built_store):
    """Switched on with the sidebar's toggle (not the link), the view fell back to the
    normal layout on the scene that changed page: the run that switched pages never drew
    the toggle, and Streamlit forgets the state of a widget a finished run did not draw."""
    from dashboard import scenes
    from tests.conftest import FIXTURES

    token = scenes.from_json((FIXTURES / "scenes_three.json").read_bytes(), built_store).token()
    page.goto(app_url + f"/?scener={token}&scene=1")
    map_frame(page)
    wait_idle(page)
    page.get_by_text("Presentasjonsvisning").first.click()
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.wait_for(state="hidden", timeout=20_000)
    for key, number, path in (("PageDown", 2, "/"), ("PageDown", 3, "/profil"), ("PageUp", 2, "/")):
        page.keyboard.press(key)
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('scene') === '{number}'"
                               f" && location.pathname === '{path}'", timeout=30_000)
        wait_idle(page)
        page.wait_for_timeout(1000)
        assert not sidebar.is_visible(), f"scene {number}: the sidebar is back"
        assert "present=1" in page.evaluate("location.search"), number
    assert page.watch.errors == []


def test_a_click_between_the_controls_leaves_no_frame_round_the_slide(page, app_url):
    """A click on the controls' row (not on a control) focuses the main area, and the next
    key (a clicker's) drew Streamlit's focus ring, an inset shadow on that area's
    ::before, as a grey frame round the whole presented map."""
    page.goto(app_url + "/?present=1&aar=2022")
    map_frame(page)
    wait_idle(page)
    page.mouse.click(640, 5)
    page.keyboard.press("Shift")
    ring = page.evaluate("""() => [document.activeElement.getAttribute('data-testid'),
        document.activeElement.matches(':focus-visible'),
        getComputedStyle(document.activeElement, '::before').boxShadow]""")
    assert ring == ["stMain", True, "none"]
    assert page.watch.errors == []


@pytest.mark.parametrize("width, height, scale", [(1280, 720, 1.0), (1920, 1080, 1.5), (1024, 768, 1.0)])
def test_a_larger_screen_shows_the_slide_larger_in_proportion(page, app_url, width, height, scale):
    """On a 1080p projector the text kept its 720p pixels, two thirds of the size a
    720p screen gives it; now the map's title and legend and a page's text grow with
    the screen (never below their 720p size, as at 1024x768)."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url + "/?present=1&aar=2022&fylke=46")  # a fylke: the legend has a note
    frame = map_frame(page)
    sizes = frame.evaluate("""() => ['.ik-legend', '.ik-title b', '.ik-note'].map(
        s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))""")
    assert sizes == [pytest.approx(18 * scale, abs=0.6), pytest.approx(24 * scale, abs=0.8),
                     pytest.approx(12 * scale, abs=0.6)]  # the legend's notes too
    legend = frame.locator(".ik-legend").bounding_box()
    iframe = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert legend["y"] + legend["height"] <= iframe["y"] + iframe["height"]  # all of it in view
    # The controls above the map and its zoom buttons grow too: at 1080p they had kept
    # 14 px and 30 px under a legend of 27 px.
    label = page.evaluate("""() => parseFloat(getComputedStyle(
        document.querySelector('.st-key-ik_controls label p')).fontSize)""")
    assert label == pytest.approx(14 * scale, abs=0.6)
    zoom = frame.locator(".leaflet-control-zoom-in").bounding_box()
    assert zoom["height"] == pytest.approx(30 * min(2, max(1, min(height * 0.001634, width * 0.000805))), abs=1)
    assert page.evaluate("() => document.scrollingElement.scrollHeight") <= height + 2
    page.goto(app_url + "/profil?kommune=4601&present=1")
    page.get_by_role("heading", name="Bergen").wait_for(timeout=30_000)
    # The page's style comes a moment after its first heading on a session's first run.
    page.wait_for_function(f"""() => Math.abs(parseFloat(
        getComputedStyle(document.documentElement).fontSize) - {19 * scale}) < 0.6""", timeout=10_000)
    # Headings too: below 1200 px the normal view's smaller ones made them 26.6 px.
    heading = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.stMain h3')).fontSize)")
    assert heading == pytest.approx(1.75 * 19 * scale, abs=0.8)
    # ... and the charts: at 1080p they kept their 720p height under text 1.5 times as
    # large, and their plots came out flat. The drawing fills its taller box.
    page.locator(".stVegaLiteChart canvas, .stVegaLiteChart svg").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # Vega fits the drawing to its box after the box is laid out
    boxes = page.evaluate("""() => [...document.querySelectorAll('.stVegaLiteChart')].map(e =>
        [e.getBoundingClientRect().height, e.querySelector('canvas, svg').getBoundingClientRect().height])""")
    expected = styles.audience_height(styles.CHART_HEIGHT) * scale
    assert boxes and all(box == pytest.approx(expected, abs=2) and drawing == pytest.approx(expected, abs=2)
                         for box, drawing in boxes), boxes
    assert page.watch.errors == []


def test_a_chart_s_text_follows_the_window_when_it_is_resized(page, app_url):
    """A laptop's window moved to the projector and made full screen: the axes' labels
    grew with it, the legends kept their 720p size until a reload (Vega drew them once)."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(app_url + "/profil?kommune=4601&present=1")
    chart = page.locator(".stVegaLiteChart").first
    chart.locator("svg .role-legend-label text").first.wait_for(timeout=30_000)
    sizes = """() => ['.role-legend-label text', '.role-axis-label text'].map(s => parseFloat(
        document.querySelector('.stVegaLiteChart svg ' + s).getAttribute('font-size')))"""
    assert page.evaluate(sizes) == [pytest.approx(13 * 1.4, abs=0.2)] * 2
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_function(f"() => ({sizes})()[0] > {13 * 1.4 * 1.4}", timeout=10_000)
    assert page.evaluate(sizes) == [pytest.approx(13 * 1.4 * 1.5, abs=0.2)] * 2
    assert page.watch.errors == []


def test_a_lost_connection_is_said_in_the_readers_language_and_the_slide_stays(
        browser, store_env, tmp_path_factory):
    """On a venue's failing network Streamlit covered the slide with "Connection error /
    Streamlit server is not responding. Are you connected to the internet?" in English.
    The dialog now speaks the page's language, and goes when the server is back, the
    slide as it was."""
    logs = tmp_path_factory.mktemp("lost")
    proc, url = start_app(store_env, logs / "first.log")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.goto(url + "/profil?kommune=4601&present=1")
        page.get_by_role("heading", name="Bergen").wait_for(timeout=60_000)
        page.wait_for_function("() => !!window.__ikConnectionWatch", timeout=30_000)
        proc.terminate()
        proc.wait(timeout=10)
        dialog = page.locator("section[role='dialog']")
        dialog.wait_for(timeout=60_000)
        page.wait_for_function("() => document.querySelector('section[role=dialog] h2')"
                               ".textContent === 'Ingen kontakt med serveren'", timeout=10_000)
        assert dialog.inner_text().split("\n") == [
            "Ingen kontakt med serveren",
            "Det som vises nå, blir stående, men kan ikke endres før forbindelsen er tilbake. "
            "Sjekk nettverket; siden kobler seg til igjen av seg selv."]
        proc, _ = start_app(store_env, logs / "again.log", port=int(url.rsplit(":", 1)[1]))
        dialog.wait_for(state="detached", timeout=60_000)
        assert page.get_by_role("heading", name="Bergen").is_visible()
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=10)
