"""Benchmark: the map against a naive baseline, measured in the same run.

    DATA_MIRROR=../shared/data .venv/bin/python bench/run_bench.py [--repeat 3]

Measures, for the app and for bench/baseline_app.py (unsimplified boundaries, no
caching, the whole map rebuilt on every change):
  first map     process start -> 357 polygons drawn in Chromium (median of --repeat)
  warm open     a second page opened on the running server -> map drawn (median of --repeat)
  rerun         server-side script time when the year changes (AppTest, median of 7)
  payload       bytes the browser receives for the map: websocket frames plus the
                geometry files it fetches, on first load and on a year change
Prints a Markdown table with the ratio baseline / app (higher is better for the app).
The machine is noisy: compare ratios, not absolute numbers across runs."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM_FLAGS  # noqa: E402

APP = ROOT / "app.py"
BASELINE = ROOT / "bench" / "baseline_app.py"
FLOOR_HELLO = ROOT / "bench" / "floor_hello.py"
FLOOR_MAP = ROOT / "bench" / "floor_map.py"
FLOOR_MAP_SERVED = ROOT / "bench" / "floor_map.py served"  # the same, served as the app is
SERVE_FLOOR = ROOT / "bench" / "serve_floor.py"


def ensure_store(env: dict[str, str]) -> None:
    from data_loaders.build import refresh
    from data_loaders.settings import load_settings

    settings = load_settings(env)
    if not settings.store_path.is_file() or not settings.boundaries_path.is_file():
        refresh(settings)


def start(script: Path, env: dict[str, str]):
    """Start `script` with streamlit; returns (process, url, seconds to healthy)."""
    import subprocess
    from tests.e2e import conftest

    port = conftest.free_port()
    t0 = time.perf_counter()
    command = ([sys.executable, "-m", "dashboard.serve"] if script == APP else  # as bin/run does
               [sys.executable, str(SERVE_FLOOR), str(FLOOR_MAP)] if script == FLOOR_MAP_SERVED else
               [sys.executable, "-m", "streamlit", "run", str(script)])
    proc = subprocess.Popen(
        [*command, "--server.port", str(port),
         "--server.headless", "true", "--server.fileWatcherType", "none",
         "--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}", t0


def wait_healthy(url: str) -> None:
    """Until the server answers its health check."""
    from urllib.request import urlopen

    while True:
        try:
            with urlopen(url + "/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.02)


def wait_for_map(page, script: Path, timeout: float = 90) -> None:
    deadline = time.perf_counter() + timeout
    while True:
        if time.perf_counter() > deadline:
            page.screenshot(path=str(ROOT / "bench" / f"timeout-{script.stem}.png"))
            raise RuntimeError(f"{script.name}: the map was not drawn within {timeout} s")
        for f in page.frames:
            if "streamlit_folium" in f.url:
                try:
                    if f.locator("path.leaflet-interactive").count() >= 357:
                        return
                except Exception:  # the frame may be navigating
                    pass
        page.wait_for_timeout(10)  # lets Playwright process the page's events


def floor_run(browser, script: Path, env: dict[str, str]) -> float:
    """Process start -> the floor app's content drawn (text, or the 357 polygons)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    proc, url, t0 = start(script, env)
    try:
        wait_healthy(url)
        page.goto(url)
        if script == FLOOR_HELLO:
            page.get_by_text("Integreringskart floor").wait_for(timeout=60_000)
        else:
            wait_for_map(page, script)
        return time.perf_counter() - t0
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=10)


def count_bytes(page) -> dict:
    """From now on, the bytes the page receives for the map: websocket frames, and the
    geometry files it fetches (sizes read from disk: calling back into the browser from
    an event handler would stall the sync API). Playwright's listeners slow the page, so
    no time is measured on a page that has them."""
    received = {"ws": 0, "geometry": 0}

    def on_ws(ws):
        ws.on("framereceived", lambda payload: received.__setitem__("ws", received["ws"] + len(payload)))

    def on_response(response):
        if "/app/static/data/" in response.url:
            name = response.url.split("/app/static/data/")[1].split("?")[0]
            received["geometry"] += (ROOT / "static" / "data" / name).stat().st_size

    page.on("websocket", on_ws)
    page.on("response", on_response)
    return received


def browser_run(browser, script: Path, env: dict[str, str], change_year: bool) -> dict:
    """One cold start in a fresh browser context: first map time; then, on the running
    server, a page opened (time), another page (bytes) and a year change (bytes)."""
    # The browser is open before the app starts, as a presenter's is: a new context and
    # tab cost Playwright ~0.5 s that belong to neither app.
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    proc, url, t0 = start(script, env)
    try:
        wait_healthy(url)
        page.goto(url + "/?aar=2022")
        wait_for_map(page, script)
        result = {"first_map_s": time.perf_counter() - t0}
        page.wait_for_timeout(3000)  # the first page done (the app draws it whole after the map)
        # A second visitor on the running server: page opened -> map drawn.
        other = context.new_page()
        t1 = time.perf_counter()
        other.goto(url + "/?aar=2022")
        wait_for_map(other, script)
        result["warm_open_s"] = time.perf_counter() - t1
        # A third, counted, in a browser context of its own (nothing cached): what a first
        # load sends (the whole page, however many runs).
        counted = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        received = count_bytes(counted)
        counted.goto(url + "/?aar=2022")
        wait_for_map(counted, script)
        counted.wait_for_timeout(3000)  # let the page finish (the app draws it whole after the map)
        result["first_bytes"] = received["ws"] + received["geometry"]
        if change_year:
            received["ws"] = received["geometry"] = 0
            slider = counted.get_by_role("slider")
            slider.focus()
            counted.keyboard.press("ArrowLeft")  # 2022 -> 2021
            counted.wait_for_timeout(3000)
            result["change_bytes"] = received["ws"] + received["geometry"]
        counted.context.close()
        return result
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=10)


def rerun_times(script: Path, env: dict[str, str], n: int = 7) -> float:
    """Median server-side time of a rerun after the year changes (AppTest)."""
    from streamlit.testing.v1 import AppTest

    os.environ.update(env)
    at = AppTest.from_file(str(script), default_timeout=120)
    at.query_params["aar"] = "2022"
    at.run()
    times = []
    for i in range(n):
        at.select_slider(key="w_aar").set_value(2021 if i % 2 == 0 else 2022)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    return statistics.median(times)


def profile_times(env: dict[str, str], codes=("4601", "3201", "1580", "1151", "5001", "1806")) -> list[float]:
    """Server time to show the profile of one kommune after another (store loaded)."""
    from streamlit.testing.v1 import AppTest

    os.environ.update(env)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("pages/profil.py")
    at.query_params["kommune"] = "0301"
    at.run()
    times = []
    for code in codes:
        at.selectbox(key="w_profil_kommune").set_value(code)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    return times


def bench_env() -> dict[str, str]:
    """The environment both apps run with (a store built once from the mirror), and the
    app's static folder for the baseline, which is a script in bench/."""
    mirror = os.environ.get("DATA_MIRROR") or str(ROOT.parent / "shared" / "data")
    data_dir = os.environ.get("DATA_DIR") or tempfile.mkdtemp(prefix="ik-bench-")
    env = {"DATA_MIRROR": mirror, "DATA_DIR": data_dir}
    ensure_store(env)
    import compileall  # the project's bytecode, kept as bin/run keeps it

    for folder in ("dashboard", "data_loaders"):
        compileall.compile_dir(str(ROOT / folder), quiet=1)
    link = ROOT / "bench" / "static"
    if not link.exists():
        link.symlink_to(ROOT / "static")
    return env


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    env = bench_env()

    from playwright.sync_api import sync_playwright
    import shutil

    rows = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=CHROMIUM_FLAGS)
        # Interleaved (app, baseline, then the two floors, round after round), so that
        # the machine's load drifts over all of them alike.
        runs = {"app": [], "baseline": [], "hello": [], "map": [], "map_served": []}
        for i in range(args.repeat):
            for name, script in (("app", APP), ("baseline", BASELINE)):
                runs[name].append(browser_run(browser, script, env, change_year=(i == 0)))
                print(name, runs[name][-1], file=sys.stderr, flush=True)
            # What Streamlit costs any app here: the floors under the first-map figure.
            for name, script in (("hello", FLOOR_HELLO), ("map", FLOOR_MAP),
                                 ("map_served", FLOOR_MAP_SERVED)):
                runs[name].append(floor_run(browser, script, env))
                print(name, runs[name][-1], file=sys.stderr, flush=True)
        for name in ("app", "baseline"):
            rows[name] = {
                "first_map_s": statistics.median(r["first_map_s"] for r in runs[name]),
                "first_bytes": runs[name][0]["first_bytes"],  # the same in every round
                "change_bytes": runs[name][0]["change_bytes"],
                "warm_open_s": statistics.median(r["warm_open_s"] for r in runs[name]),
            }
        floors = {name: statistics.median(runs[name]) for name in ("hello", "map", "map_served")}
        # Each round's app and baseline start one after the other, under the same load:
        # their ratio is steadier than the ratio of the medians when the load drifts.
        pairs = [(a["first_map_s"], b["first_map_s"]) for a, b in zip(runs["app"], runs["baseline"])]
        browser.close()
    for name, script in (("app", APP), ("baseline", BASELINE)):
        rows[name]["rerun_s"] = rerun_times(script, env)

    profile = profile_times(env)

    def ratio(r: float) -> str:  # two decimals near the 2x target, where they decide
        return f"{r:.2f}×" if r < 10 else f"{r:.1f}×"

    def line(label, key, unit, fmt):
        app, base = rows["app"][key], rows["baseline"][key]
        return f"| {label} | {fmt(app)} {unit} | {fmt(base)} {unit} | {ratio(base / app)} |"

    kb = lambda b: f"{b / 1000:,.0f}"  # noqa: E731
    print(f"\nBenchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
          f"median of {args.repeat} cold starts; reruns: median of 7)\n")
    print("| measure | app | naive baseline | baseline / app |")
    print("|---|---|---|---|")
    print(line("process start → 357 polygons drawn", "first_map_s", "s", lambda s: f"{s:.2f}"))
    print(line("page opened on a running server → map", "warm_open_s", "s", lambda s: f"{s:.2f}"))
    print(line("server rerun when the year changes", "rerun_s", "ms", lambda s: f"{s * 1000:.0f}"))
    print(line("map payload, first load", "first_bytes", "KB", kb))
    print(line("map payload, year change", "change_bytes", "KB", kb))
    print("\nFirst map, round by round (app, then the baseline started right after it): "
          + ", ".join(f"{a:.2f} s against {b:.2f} s ({ratio(b / a)})" for a, b in pairs)
          + f"; median of these ratios {ratio(statistics.median(b / a for a, b in pairs))}.")
    print(f"\nFloors, process start → drawn, median of {args.repeat}: a one-line Streamlit app "
          f"{floors['hello']:.2f} s; the same map alone (plain `streamlit run`, nothing else on "
          f"the page) {floors['map']:.2f} s; that map alone served as the app is "
          f"(`bench/serve_floor.py`: dashboard.serve's start-up) {floors['map_served']:.2f} s.")
    print(f"\nKommune profile, server time per kommune (AppTest, store loaded): median "
          f"{statistics.median(profile) * 1000:.0f} ms, max {max(profile) * 1000:.0f} ms "
          f"over {len(profile)} kommuner.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
