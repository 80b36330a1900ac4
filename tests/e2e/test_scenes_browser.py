"""Scenes in a 1280x720 browser with the network blocked: a three-scene file loaded
through the sidebar, then stepped with the keys a presentation clicker sends."""

from __future__ import annotations

import base64
import json
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import scenes
from tests.conftest import FIXTURES
from tests.e2e.conftest import RECORD_HISTORY, map_frame, server_log_tail, step_to, wait_idle

pytestmark = pytest.mark.browser

DECK = json.loads((FIXTURES / "scenes_three.json").read_text(encoding="utf-8"))


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def wait_for_scene(page, number: int, path: str) -> dict[str, str]:
    """Until the URL is scene `number`'s, on its page (the query and the path of a page
    switch may reach the address bar a moment apart)."""
    try:
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('scene') === '{number}'"
                               f" && location.pathname === '{path}'", timeout=30_000)
    except Exception as timeout:  # say where the page was instead, to tell a race from a bug
        bar = page.locator("text=/Scene \\d+ av/").all_inner_texts()
        steps = page.evaluate("() => (window.__ikHistory || []).slice(-14)")
        raise AssertionError(f"not scene {number} on {path} after 30 s: address {page.url}, bar {bar}, "
                             f"last addresses set: {steps}\nserver's scene log:\n"
                             f"{server_log_tail(page.url)}") from timeout
    wait_idle(page)
    return query(page)


def upload_deck(page, app_url, path, deck: dict) -> None:
    """Open the map, then load `deck` (written to `path`) in the sidebar's scene panel."""
    path.write_text(json.dumps(deck), encoding="utf-8")
    page.add_init_script(RECORD_HISTORY)
    page.goto(app_url + "/?aar=2020")
    map_frame(page)
    page.get_by_text("Scener", exact=True).click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))


def test_a_scene_file_is_loaded_and_stepped_with_clicker_keys(page, app_url, tmp_path):
    upload_deck(page, app_url, tmp_path / "seminar.json", DECK)

    first = wait_for_scene(page, 1, '/')
    assert first["aar"] == "2022" and "fylke" not in first
    page.get_by_text("Lastet inn seminar.json: 3 scene(r).").wait_for(timeout=5_000)  # still there
    map_frame(page)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # no widget has the focus

    page.keyboard.press("PageDown")  # what a clicker sends
    second = wait_for_scene(page, 2, '/')
    assert (second["aar"], second["fylke"]) == ("2016", "46")
    frame = map_frame(page)
    assert frame.evaluate("() => document.body.getAttribute('data-ik-state')") == \
        "settled_per_1000|2016||46"

    # A clicker that sends the arrow keys, after a click on the map (which takes the
    # focus into its frame, where Leaflet wanted the arrows for itself).
    frame.locator(".leaflet-container").click(position={"x": 60, "y": 300})
    assert frame.evaluate("() => !!document.activeElement.closest('.leaflet-container')")
    page.keyboard.press("ArrowRight")
    third = wait_for_scene(page, 3, '/profil')
    assert urlsplit(page.url).path == "/profil" and third["kommune"] == "4601"
    page.get_by_role("heading", name="Bergen").wait_for()
    page.get_by_role("tab", name="Bosetting").wait_for()  # the profile has finished drawing
    wait_idle(page)
    page.keyboard.press("PageUp")
    back = wait_for_scene(page, 2, '/')
    assert urlsplit(page.url).path == "/" and back["fylke"] == "46"
    assert len({first["scener"], second["scener"], third["scener"]}) == 1  # one deck, in every link
    assert page.watch.errors == [] and page.watch.blocked == []


def test_the_deck_title_is_set_in_the_panel_and_names_the_saved_file(page, app_url, tmp_path):
    upload_deck(page, app_url, tmp_path / "seminar.json", DECK)
    wait_for_scene(page, 1, "/")
    # The uploader's own texts are English in Streamlit; here they read in bokmål.
    shown = page.locator(".st-key-ik_scene_upload").evaluate(
        "e => [e.querySelector('button p'), e.querySelector("
        "'[data-testid=stFileUploaderDropzoneInstructions] span')].map("
        "x => [getComputedStyle(x, '::after').content, getComputedStyle(x).visibility])")
    assert shown == [['"Last opp"', "hidden"], ['"Høyst 200 MB per fil • JSON"', "hidden"]]
    title = page.get_by_label("Tittel på listen")
    assert title.input_value() == "Lunsjseminar"
    before = query(page)["scener"]  # read before the change: after it, it may be the new one
    wait_idle(page)  # a value typed during a rerun can be replaced by that rerun's
    title.fill("Frokostmøte på Tynset")
    title.press("Enter")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('scener') !== '{before}'",
                           timeout=30_000)
    wait_idle(page)
    token = query(page)["scener"]  # the deck in the link: deflated JSON, base64url
    saved = json.loads(zlib.decompress(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))))
    assert saved["title"] == "Frokostmøte på Tynset" and len(saved["scenes"]) == 3
    assert query(page)["scene"] == "1"
    with page.expect_download() as info:
        page.get_by_role("button", name="Lagre scenene (JSON)").click()
    assert info.value.suggested_filename == "integreringskart-scener_Frokostmote-pa-Tynset.json"
    assert json.loads(info.value.path().read_text(encoding="utf-8"))["title"] == "Frokostmøte på Tynset"


def test_moving_away_from_a_scene_leaves_a_plain_link_to_what_is_shown(page, app_url, tmp_path):
    upload_deck(page, app_url, tmp_path / "seminar.json", DECK)
    wait_for_scene(page, 1, "/")
    map_frame(page)
    page.get_by_role("slider").focus()
    page.keyboard.press("ArrowLeft")  # 2022 -> 2021: no longer scene 1
    page.wait_for_function("() => new URLSearchParams(location.search).get('aar') === '2021'",
                           timeout=30_000)
    wait_idle(page)
    moved = query(page)
    assert "scene" not in moved and "scener" not in moved and moved["aar"] == "2021"
    title = page.get_by_label("Tittel på listen")  # renaming the list does not bring them back
    title.fill("Nytt navn")
    title.press("Enter")
    page.wait_for_timeout(1500)
    wait_idle(page)
    assert "scene" not in query(page) and query(page)["aar"] == "2021"
    # The deck is still there: the next key shows scene 2, with its link.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("PageDown")
    second = wait_for_scene(page, 2, "/")
    assert second["aar"] == "2016" and second["fylke"] == "46" and "scener" in second


def test_profile_scenes_open_their_tabs(page, app_url, tmp_path):
    """Stepping from one profile scene to another opens each scene's tab (the tab is a
    widget bound to ?fane=; writing it into the URL by hand stopped the page)."""
    deck = {"format": scenes.FORMAT, "version": 1, "title": "Faner", "scenes": [
        {"page": "profil", "params": {"kommune": "4601", "fane": "Bli boende"}},
        {"page": "profil", "params": {"kommune": "1103", "fane": "Flytting og arbeid"}},
        {"page": "profil", "params": {"kommune": "5001"}}]}
    upload_deck(page, app_url, tmp_path / "faner.json", deck)
    for number, kommune, tab in ((1, "4601", "Bli boende"), (2, "1103", "Flytting og arbeid"),
                                 (3, "5001", "Bosetting")):
        if number > 1:
            step_to(page, number)
        shown = wait_for_scene(page, number, "/profil")
        assert shown["kommune"] == kommune
        page.get_by_role("tab", name=tab, selected=True).wait_for()
        assert page.locator("[data-testid='stException']").count() == 0
        # The address names the open tab too (the first tab is the default, not named),
        # and it is still this scene's link: copied now, it opens this view.
        page.wait_for_function("t => new URLSearchParams(location.search).get('fane') === t",
                               arg=None if tab == "Bosetting" else tab, timeout=30_000)
        wait_idle(page)
        assert query(page)["scene"] == str(number) and "scener" in query(page)
        # A scene on a tab opens at the tab (below the overview, ~1,100 px down at 720p),
        # a scene on the first tab at the top of the page, even after a scrolled scene.
        at_top = "() => { const r = document.querySelector('[role=tablist]').getBoundingClientRect();"
        page.wait_for_function(at_top + (" return r.top >= 0 && r.top < 160; }" if tab != "Bosetting" else
                                         " return r.top > 700; }"), timeout=10_000)
        if tab == "Bosetting":
            assert page.get_by_role("heading", level=1).bounding_box()["y"] < 300


def test_a_malformed_scene_file_loads_nothing(page, app_url, tmp_path):
    bad = dict(DECK, scenes=[*DECK["scenes"], {"page": "kart", "params": {"indikator": "nope"}}])
    upload_deck(page, app_url, tmp_path / "broken.json", bad)
    page.get_by_text("Scenene ble ikke lastet: Scene 4: ukjent indikator «nope».").wait_for()
    wait_idle(page)
    assert "scener" not in query(page) and query(page)["aar"] == "2020"
    assert page.get_by_text("Ingen scener ennå.").is_visible()


def test_a_clicker_steps_even_from_the_slider_and_a_new_file_replaces_the_deck(page, app_url, tmp_path):
    upload_deck(page, app_url, tmp_path / "seminar.json", DECK)
    wait_for_scene(page, 1, "/")
    map_frame(page)
    page.keyboard.press("PageUp")  # already at the first scene: shown again, nothing breaks
    page.wait_for_timeout(1500)
    wait_idle(page)
    assert query(page)["scene"] == "1" and query(page)["aar"] == "2022"
    assert page.locator("[data-testid='stException']").count() == 0

    page.get_by_role("slider").focus()  # the year slider has the focus, as after using it
    page.keyboard.press("PageDown")
    second = wait_for_scene(page, 2, "/")
    assert second["aar"] == "2016"  # the scene's year, not the slider's next one

    # A nervous presenter: keys faster than the pages can switch. No traceback, ever.
    for key in ("PageDown", "PageDown", "PageUp", "PageDown"):
        page.keyboard.press(key)
        page.wait_for_timeout(120)
    page.wait_for_timeout(3000)
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    # Keys pressed while a page switches are dropped, so where the flurry ends depends on
    # timing; wherever it is, the address and the page are that one scene's. (Now and
    # then a run in the middle of a switch sees the view differ from the scene's and the
    # address drops to the plain link of the view: still exactly what is shown.)
    shown = query(page)
    if "scene" in shown:
        number = int(shown["scene"])
        scene = DECK["scenes"][number - 1]
        now = wait_for_scene(page, number, "/profil" if scene["page"] == "profil" else "/")
        assert {k: now.get(k) for k in scene["params"]} == {k: str(v) for k, v in scene["params"].items()}
        page.get_by_text(f"Scene {number} av 3").first.wait_for()
    else:
        path = urlsplit(page.url).path
        assert [s for s in DECK["scenes"] if (path == "/profil") == (s["page"] == "profil")
                and {k: shown.get(k) for k in s["params"]} == {k: str(v) for k, v in s["params"].items()}]

    other = {**DECK, "title": "Kort", "scenes": [DECK["scenes"][2]]}
    other_file = tmp_path / "kort.json"
    other_file.write_text(json.dumps(other), encoding="utf-8")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(other_file))
    only = wait_for_scene(page, 1, "/profil")
    assert only["kommune"] == "4601" and only["scener"] != second["scener"]
    page.get_by_text("Scene 1 av 1: Bergen").first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.watch.errors == [] and page.watch.blocked == []


def test_a_view_that_a_saved_scene_list_would_refuse_is_not_added(page, app_url):
    """A profile with no kommune chosen used to be added; the saved list (file or link)
    was then refused whole when loaded, and the talk was empty at the venue."""
    page.goto(app_url + "/profil")
    page.get_by_text("Velg en kommune over, eller klikk på en på kartsiden.").wait_for()
    page.get_by_text("Scener", exact=True).click()
    page.get_by_role("button", name="Legg til denne visningen").click()
    page.get_by_text("Visningen ble ikke lagt til: Scene 1: en profil trenger en kommune.").wait_for()
    assert page.get_by_text("1. Kommuneprofil").count() == 0  # nothing listed
    # With a kommune, the same page is added.
    page.goto(app_url + "/profil?kommune=1580")
    page.get_by_text("Scener", exact=True).click()
    page.get_by_role("button", name="Legg til denne visningen").click()
    page.get_by_text("1. Kommuneprofil", exact=False).first.wait_for()
    assert page.get_by_text("Visningen ble ikke lagt til").count() == 0


def test_a_bad_scene_link_is_named_on_the_map_and_stays_named(page, app_url, built_store):
    """The map's first run draws the map alone (dashboard.map_first); the note on a bad
    scene link was said in that run only, and gone a second later with the whole page."""
    page.goto(app_url + "/?scener=garbage&scene=2")
    map_frame(page)  # the whole page is there
    wait_idle(page)
    page.wait_for_timeout(1500)
    assert page.get_by_text("Scenene ble ikke lastet: Scenelenken er skadet og kunne ikke leses.").is_visible()
    token = scenes.from_dict(DECK, built_store).token()
    page.goto(app_url + f"/?scener={token}&scene=99")
    wait_for_scene(page, 1, "/")
    map_frame(page)
    page.wait_for_timeout(1500)
    assert page.get_by_text("Lenken ber om scene «99», men listen har 3 scene(r). Viser scene 1.").is_visible()
    assert page.watch.errors == []
