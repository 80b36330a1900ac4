"""Browser fixtures: the app served on localhost from the session's store, and Debian's
chromium driven by Playwright with every request that is not to localhost blocked."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from data_loaders.settings import PROJECT_ROOT

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Each served app's log, by host:port (the scene machinery's decisions are in it: a
# failing test says what the server did; dashboard.scene_log).
SERVER_LOGS: dict[str, Path] = {}


def server_log_tail(url: str, lines: int = 60) -> str:
    from urllib.parse import urlsplit

    path = SERVER_LOGS.get(urlsplit(url).netloc)
    if not path or not path.exists():
        return "(no server log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def start_app(env_extra: dict[str, str], log_path: Path, base_path: str = "",
              port: int | None = None) -> tuple[subprocess.Popen, str]:
    """The app on `port` or a free one (under `base_path`, Streamlit's
    server.baseUrlPath, if given). Its output goes to `log_path`: a pipe that nobody
    reads fills up (64 KB) in a long session and then blocks the server in mid-run."""
    port = port or free_port()
    env = {**os.environ, "IK_SCENE_LOG": "1", **env_extra, "STREAMLIT_SERVER_BASE_URL_PATH": base_path}
    with log_path.open("wb") as log:  # the server keeps its own handle
        proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard.serve",  # what bin/run starts
             "--server.port", str(port), "--server.headless", "true",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    SERVER_LOGS[f"127.0.0.1:{port}"] = log_path
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urlopen(url + "/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the app did not start: " + log_path.read_text(errors="replace")[-2000:])


@pytest.fixture(scope="session")
def app_url(store_env, tmp_path_factory):
    proc, url = start_app(store_env, tmp_path_factory.mktemp("app") / "server.log")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium "
                    "(.ci/run installs it)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Watch:
    """Console errors, page errors, failed and blocked (non-localhost) requests of one
    page."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.failed: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}")
                if r.status >= 400 else None)

        def route(route):
            host = route.request.url.split("/")[2].split(":")[0]
            if host in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                self.blocked.append(route.request.url)
                route.abort()

        page.context.route("**/*", route)


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.watch = Watch(page)
    yield page
    context.close()


# Every address the app's page sets (p: a new history entry, r: replaced), with
# milliseconds since the page opened and a deck's long token cut short: for the message
# of a failed wait or count (a race is read from the order and the times of these).
RECORD_HISTORY = """
window.__ikHistory = [];
for (const name of ['pushState', 'replaceState']) {
  const original = history[name].bind(history);
  history[name] = (state, title, url) => {
    window.__ikHistory.push(`${name[0]} ${Math.round(performance.now())} `
                            + String(url).replace(/scener=[^&]*/, 'scener=…'));
    return original(state, title, url);
  };
}
"""


def wait_idle(page, timeout: float = 30) -> None:
    """Until Streamlit has finished running the script (no 'Running...' indicator)."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=timeout * 1000)


def map_frame(page, timeout: float = 30):
    """The streamlit-folium iframe, once its 357 polygons are drawn and the rest of the
    page with them (a session's first map comes first alone: dashboard.map_first; the
    sidebar, sent last, is there, its scripts loaded: no placeholder left)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.locator("path.leaflet-interactive").count() >= 357 and \
                            frame.evaluate("() => !!(window.IK && IK.values && Object.keys(IK.values).length)") \
                            and page.locator(".st-key-ik_controls").count() \
                            and not page.locator(".ik-controls-space").count() \
                            and page.locator("[data-testid='stSidebarUserContent'] .st-key-present").count() \
                            and not page.locator("[data-testid='stSkeleton']").count():
                        wait_idle(page)
                        return frame
                except Exception:  # the frame may be navigating
                    pass
        page.wait_for_timeout(200)
    raise AssertionError("the map did not draw its polygons")


def assert_outline_over_borders(frame, code: str, colour: str) -> None:
    """Kommune `code`'s outline is drawn once, in `colour` over a wider white casing (it
    shows over any class), in a pane stacked over the fylke borders' (a live map's frame,
    or an exported map's page)."""
    paths = frame.locator(".leaflet-ik-selected-pane path")
    assert paths.count() == 2
    casing, outline = paths.nth(0), paths.nth(1)
    assert (casing.get_attribute("stroke"), outline.get_attribute("stroke")) == ("#ffffff", colour)
    assert float(casing.get_attribute("stroke-width")) > float(outline.get_attribute("stroke-width"))
    shape = frame.locator(f"path[data-kommune='{code}']").bounding_box()
    drawn = outline.bounding_box()
    assert all(abs(shape[k] - drawn[k]) <= 3 for k in ("x", "y", "width", "height")), (shape, drawn)
    stacking = frame.evaluate("() => ['ik-fylker', 'ik-selected'].map(name => "
                              "+getComputedStyle(document.querySelector(`.leaflet-${name}-pane`)).zIndex)")
    assert stacking[1] > stacking[0], stacking


def step_to(page, number: int, tries: int = 3) -> None:
    """PageDown until the URL is scene `number`: a key pressed while a page is still
    settling after a switch is dropped by design (never half-done), as a presenter would
    press again."""
    for _ in range(tries):
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press("PageDown")
        try:
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('scene') === '{number}'",
                                   timeout=10_000)
            return
        except Exception:  # dropped: press again
            wait_idle(page)
