"""Start the app (`python -m dashboard.serve [streamlit options]`), used by bin/run.

Streamlit imports a page's modules only when the first visitor connects, so the first
map would wait ~1.5 s for pandas, pyarrow, folium, the project's modules and the store.
Here a
background thread imports them as soon as the server listens, while the browser is
still loading Streamlit's frontend (which takes longer), so the first visitor finds
them ready. It waits for the server first so as not to slow its start (one GIL).
(streamlit_folium is left to the page: it registers its component with the running
server.) Everything else is plain `streamlit run app.py`."""

from __future__ import annotations

import socket
import sys
import threading
import time

from data_loaders.settings import PROJECT_ROOT


def _port(argv: list[str]) -> int:
    for i, arg in enumerate(argv):
        if arg.startswith("--server.port="):
            return int(arg.split("=", 1)[1])
        if arg == "--server.port" and i + 1 < len(argv):
            return int(argv[i + 1])
    return 8501


def _warm_up(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    # First, while few modules are loaded: the check walks every loaded module's path.
    _skip_repl_check()
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401
    import folium  # noqa: F401
    import folium.plugins  # noqa: F401  (streamlit_folium imports it: 50 templates, ~0.8 s)
    import PIL.Image  # noqa: F401  (the page icon)

    import dashboard.exports  # noqa: F401
    import dashboard.map_view  # noqa: F401
    import dashboard.scenes  # noqa: F401
    import dashboard.tables  # noqa: F401
    from dashboard import resources

    # st.cache_resource is process-wide: the first visitor gets these from the cache.
    resources.load_store()
    resources.load_boundaries()


def _skip_repl_check() -> None:
    """Streamlit checks once per process, on the first element a script sends, whether
    it runs in a REPL, by inspecting the whole stack (~0.2 s of the first visitor's wait).
    Making that one check here, on this thread, gives the same answer (it is not a REPL)
    before anyone waits. Skipped quietly if a Streamlit release renames it."""
    from streamlit import delta_generator

    check = getattr(delta_generator, "_maybe_print_use_warning", None)
    if callable(check):
        check()


def _quick_component_scan() -> None:
    """Before the server listens, Streamlit looks through every installed distribution
    for its v2 components, parsing each one's METADATA three times (~0.3 s here, on the
    way to the first map). The same test, made only for distributions whose METADATA
    text mentions streamlit or whose name starts with st- or st_ (all the test can
    accept), gives the same answer. Left alone if a Streamlit release renames it."""
    from streamlit.components.v2 import manifest_scanner

    likely = getattr(manifest_scanner, "_is_likely_streamlit_component_package", None)
    if not callable(likely):
        return

    def quick(dist) -> bool:
        try:
            text = (dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "").lower()
        except Exception:  # noqa: BLE001 (unreadable: let Streamlit's own test decide)
            text = ""
        if not text:  # e.g. a legacy .egg-info file: Streamlit's own test decides
            return likely(dist)
        name = next((line[5:].strip() for line in text.splitlines() if line.startswith("name:")), "")
        if "streamlit" not in text and not name.startswith(("st-", "st_")):
            return False
        return likely(dist)

    manifest_scanner._is_likely_streamlit_component_package = quick


def main(argv: list[str]) -> None:
    threading.Thread(target=_warm_up, args=(_port(argv),), name="warm-up", daemon=True).start()
    _quick_component_scan()
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main as streamlit_main

    # The app navigates with st.navigation. Streamlit only learns that when a session
    # first runs app.py; until then a ./pages folder makes it serve a shared link such
    # as /profil?kommune=4601 the old multipage way (the page alone, without app.py).
    PagesManager.uses_pages_directory = False

    streamlit_main(["run", str(PROJECT_ROOT / "app.py"), *argv], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
