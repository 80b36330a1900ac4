"""Benchmark: the year animation, frames per second, against a naive baseline in the same run.

    DATA_MIRROR=../shared/data .venv/bin/python bench/animation_bench.py [--seconds 12]

The app plays the years at its fastest speed (one year per 0.6 s): its map fragment
reruns and only the styles of the 357 kommuner change, in the same iframe. The naive
baseline (bench/baseline_app.py) is stepped through the years at the same pace with
its slider: every step rebuilds and re-sends the whole map. For each, in Chromium at
1280x720, measured over the same window:
  frames/s       requestAnimationFrame callbacks per second in the page (smoothness)
  longest frame  the longest gap between two frames (a freeze the audience sees)
  frames > 50 ms share of frames slower than 50 ms (visible stutter)
  years shown/s  distinct years drawn per second
  map rebuilt    how many times the map's iframe was created anew (flicker)
Prints a Markdown table with the ratio baseline / app. Compare ratios, not absolute
numbers across runs: the machine is noisy."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run_bench import (APP, BASELINE, bench_env, start, wait_for_map,  # noqa: E402
                             wait_healthy)
from tests.e2e.conftest import CHROMIUM_FLAGS  # noqa: E402

STEP_S = 0.6  # the app's "fast" speed: seconds per year

FRAME_COUNTER = """() => {
  window.__frames = [];
  const tick = (t) => { window.__frames.push(t); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}"""


def shown_year(page, drawn: list) -> str | None:
    """What the map shows now. The app: the year in the map's own state. The baseline
    has no such state: a new map iframe with all 357 polygons drawn counts as a year."""
    for frame in page.frames:
        if "streamlit_folium" not in frame.url:
            continue
        try:
            state = frame.evaluate("() => document.body.getAttribute('data-ik-state')")
            if state:
                return state.split("|")[1]
            if frame not in drawn and frame.locator("path.leaflet-interactive").count() >= 357:
                drawn.append(frame)
            return f"map {len(drawn)}" if drawn else None
        except Exception:  # the frame may be navigating
            return None
    return None


def run(browser, script: Path, env: dict[str, str], seconds: float) -> dict:
    proc, url, _ = start(script, env)
    try:
        wait_healthy(url)
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        page.goto(url + "/?aar=2012&indikator=settled_per_1000")
        wait_for_map(page, script)
        page.wait_for_timeout(1500)
        mounts = []
        page.on("frameattached", lambda frame: mounts.append(frame))
        page.evaluate(FRAME_COUNTER)
        years, drawn, t0 = [], [], time.perf_counter()
        if script == APP:
            page.get_by_label("Fart").click()
            page.get_by_role("option", name="Raskt").click()
            page.wait_for_timeout(500)
            mounts.clear()
            page.evaluate(FRAME_COUNTER)
            t0 = time.perf_counter()
            page.get_by_role("button", name="Spill av").click()
        next_step = t0
        while time.perf_counter() - t0 < seconds:
            if script == BASELINE and time.perf_counter() >= next_step:
                page.get_by_role("slider").focus()
                page.keyboard.press("ArrowRight")
                next_step += STEP_S
            year = shown_year(page, drawn)
            if year and (not years or years[-1] != year):
                years.append(year)
            page.wait_for_timeout(50)
        frames = page.evaluate("() => window.__frames")
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    gaps = [b - a for a, b in zip(frames, frames[1:])]
    duration = (frames[-1] - frames[0]) / 1000
    return {
        "fps": len(gaps) / duration,
        "longest_ms": max(gaps),
        "slow_share": sum(g > 50 for g in gaps) / len(gaps),
        "years_per_s": max(len(years) - 1, 0) / seconds,
        "rebuilt": len(mounts),
        "years": years,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    env = bench_env()

    from playwright.sync_api import sync_playwright

    rows: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=CHROMIUM_FLAGS)
        runs: dict[str, list[dict]] = {"app": [], "baseline": []}
        for _ in range(args.repeat):  # interleaved, so both see the same machine
            for name, script in (("app", APP), ("baseline", BASELINE)):
                result = run(browser, script, env, args.seconds)
                print(name, {k: v for k, v in result.items() if k != "years"}, result["years"],
                      file=sys.stderr, flush=True)
                runs[name].append(result)
        browser.close()
    for name, results in runs.items():
        rows[name] = {key: statistics.median(r[key] for r in results)
                      for key in ("fps", "longest_ms", "slow_share", "years_per_s", "rebuilt")}

    app, base = rows["app"], rows["baseline"]
    print(f"\nAnimation benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
          f"{args.seconds:.0f} s of playing at {STEP_S} s per year, median of {args.repeat})\n")
    print("| measure | app | naive baseline | ratio |")
    print("|---|---|---|---|")
    print(f"| frames per second | {app['fps']:.0f} | {base['fps']:.0f} | "
          f"{app['fps'] / base['fps']:.1f}× (app / baseline) |")
    print(f"| longest frame | {app['longest_ms']:.0f} ms | {base['longest_ms']:.0f} ms | "
          f"{base['longest_ms'] / app['longest_ms']:.1f}× (baseline / app) |")
    print(f"| frames slower than 50 ms | {app['slow_share']:.1%} | {base['slow_share']:.1%} | |")
    print(f"| years shown per second | {app['years_per_s']:.2f} | {base['years_per_s']:.2f} | "
          f"(asked for {1 / STEP_S:.2f}) |")
    print(f"| map iframes created while playing | {app['rebuilt']:.0f} | {base['rebuilt']:.0f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
