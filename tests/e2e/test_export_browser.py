"""The standalone map (dashboard.exports.map_html) opened from file:// in Debian's
chromium with every request blocked: it must draw all 357 kommuner from what it
carries, with its legend, title and link back, and without errors."""

from __future__ import annotations

import json

import pytest

from dashboard import exports, map_view, tables
from data_loaders.catalogue import INDICATORS
from data_loaders.export import source_line
from tests.e2e.conftest import assert_outline_over_borders

pytestmark = pytest.mark.browser

PERMALINK = "https://integreringskart.example/?indikator=settled_per_1000&aar=2022&kommune=0301"
EVIL = '<img src=x onerror="window.__xss=1">Oslo'


@pytest.fixture()
def standalone(built_store, mirror_settings, tmp_path):
    kommuner = json.loads(mirror_settings.boundaries_path.read_text(encoding="utf-8"))
    fylker = json.loads(mirror_settings.fylker_path.read_text(encoding="utf-8"))
    for f in kommuner["features"]:  # a name that would run script if it were not escaped
        if f["properties"]["kommunenummer"] == "0301":
            f["properties"]["kommunenavn"] = EVIL
    rows = tables.map_rows(built_store, "settled_per_1000", 2022, None)
    view = map_view.MapView("settled_per_1000", 2022, "nb", "0301", None)
    names = {**built_store.kommuner, "0301": EVIL}
    payload = map_view.map_payload(rows, view, names, map_view.FormerKommuner(built_store.meta),
                                   "Kilde: IMDi, SSB", "", map_view.bounds_of(kommuner, None))
    meta = exports.ExportMeta(
        title=f"{INDICATORS['settled_per_1000'].label('nb')}, 2022",
        source=source_line(built_store, "settled_per_1000", "nb"), permalink=PERMALINK,
        lang="nb", alt=exports.map_alt_text(rows, built_store.kommuner, "settled_per_1000",
                                            2022, "nb"))
    path = tmp_path / "kart.html"
    path.write_text(exports.map_html(payload, kommuner, fylker, meta), encoding="utf-8")
    return path, payload, meta


def test_standalone_map_opens_offline(page, standalone):
    path, payload, meta = standalone
    url = path.as_uri()

    # The conftest's Watch blocks every request that is not to localhost; here even those
    # go: only the file itself may load, anything else is recorded as blocked.
    def route(route):
        if route.request.url == url:
            route.continue_()
        else:
            page.watch.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(url)
    page.locator("body[data-ik-ready='1']").wait_for(state="attached", timeout=15_000)
    assert page.locator("path.leaflet-interactive").count() == 357
    legend = page.locator(".ik-legend")
    assert legend.is_visible()
    assert "per 1 000 innb." in legend.inner_text()
    assert "skjult (få personer) (2)" in legend.inner_text()
    title = page.locator(".ik-title")
    assert title.is_visible()
    text = title.inner_text()
    # "1 000" is one unit (a no-break space): a narrow title box broke it into two lines.
    assert "Bosatte flyktninger per 1\u00a0000 innbyggere" in text and "2022" in text
    assert "hentet 2023-09" in text and "Kartverket" in text
    assert title.locator("a", has_text="Åpne visningen").get_attribute("href") == PERMALINK
    assert page.title() == meta.title
    # Each kommune has the live payload's colour; the selected one is outlined.
    bergen = page.locator("path[data-kommune='4601']")
    assert bergen.get_attribute("fill") == payload["values"]["4601"][0]
    assert page.locator("path[data-kommune='0301']").get_attribute("stroke") == "#e66100"
    # ... and drawn again over the fylke borders: Oslo is a fylke of its own, and its
    # border hid most of the selection.
    assert_outline_over_borders(page, "0301", "#e66100")
    # The hostile name is text: in the tooltip, in the aria-label, never an element.
    page.locator("path[data-kommune='0301']").dispatch_event("mouseover")
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5_000)
    assert EVIL in tooltip.inner_text() and "2,7 per 1 000 innb." in tooltip.inner_text()
    assert page.locator("path[data-kommune='0301']").get_attribute("aria-label") == EVIL
    assert page.locator("img").count() == 0
    assert page.evaluate("() => window.__xss") is None
    # Only the permalink and the licence are links to the web; nothing else is loaded.
    links = page.evaluate("() => [...document.querySelectorAll('[href],[src]')]"
                          ".map(e => e.getAttribute('href') || e.getAttribute('src'))")
    assert set(links) - {"#"} == {PERMALINK, exports.LICENCE_URL}, links  # '#': zoom buttons
    page.wait_for_timeout(300)
    assert page.watch.errors == [] and page.watch.failed == []
    assert page.watch.blocked == []
