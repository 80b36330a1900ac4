"""Start the app (`python -m dashboard.serve [streamlit options]`), used by bin/run.

Streamlit imports a page's modules only when the first visitor connects, so the first
map would wait ~1.5 s for pandas, pyarrow, folium, the project's modules and the store.
Here a background thread imports them as soon as the server listens, while the browser
is still loading Streamlit's frontend, so the first visitor finds them ready. It waits
for the server first so as not to slow its start (one GIL), and Python's garbage
collector waits for it (_collect_from_now_on). (streamlit_folium is left to the page:
it registers its component with the running server.) A few of Streamlit's and Jinja's
start-up steps are made quicker with the same results (each function says how), and
the map page draws a session's first map before the rest of the page
(dashboard.map_first); everything else is plain `streamlit run app.py`."""

from __future__ import annotations

import contextlib
import gc
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote

from data_loaders.settings import PROJECT_ROOT


def _port(argv: list[str]) -> int:
    for i, arg in enumerate(argv):
        if arg.startswith("--server.port="):
            return int(arg.split("=", 1)[1])
        if arg == "--server.port" and i + 1 < len(argv):
            return int(argv[i + 1])
    return 8501


def _warm_up(port: int) -> None:
    try:
        _import_and_load(port)
    finally:
        _collect_from_now_on()


def _collect_from_now_on() -> None:
    """main() pauses Python's cyclic garbage collector for the start-up. Importing
    Streamlit, pandas, pyarrow and folium and reading the store make some 230,000
    objects, and the full collections they set off walk them all again and again: with
    collection paused the warm-up, which the first map waits for, takes ~20 % less time
    (bench/). What start-up makes lives as long as the process, so it is then frozen
    out of all later collections (gc.freeze: a full collection during a rerun took
    ~0.1 s walking it, now ~0), and everything after is collected as usual."""
    gc.freeze()
    gc.enable()


def _import_and_load(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    _say_where()
    _skip_repl_check()
    from data_loaders.settings import load_settings

    with templates_kept_compiled(load_settings().data_dir / "cache" / "jinja"):
        import pandas  # noqa: F401
        import pyarrow.parquet  # noqa: F401
        import folium  # noqa: F401
        import folium.plugins  # noqa: F401  (streamlit_folium imports it: 50 more templates)
        import PIL.Image  # the page icon

        PIL.Image.preinit()  # its format plugins, which the first set_page_config would load

        import dashboard.exports  # noqa: F401
        import dashboard.map_view  # noqa: F401
        import dashboard.scenes  # noqa: F401
        import dashboard.tables  # noqa: F401
        from dashboard import resources

    # st.cache_resource is process-wide: the first visitor gets these from the cache.
    store, _ = resources.load_store()
    if store is not None:
        from data_loaders.catalogue import DEFAULT_INDICATOR

        # Store.years finds every indicator's years in one pass on first use: here, not
        # in the first visitor's run, whose check of the link's year asked (~30 ms).
        store.years(DEFAULT_INDICATOR)
    resources.load_boundaries()


def _say_where() -> None:
    """The addresses to open, as Streamlit's welcome gives them but for its "External
    URL". To find that, Streamlit asks checkip.amazonaws.com on the server's event loop
    as it starts, with timeouts that do not cover the name lookup: on a network whose
    DNS hangs (a venue's), the app answered nothing for 20 s (measured with a resolver
    that never replies). Streamlit's welcome is turned off (main) and this says the rest."""
    from streamlit import config, net_util
    from streamlit.web.server import server_util

    if config.is_manually_set("browser.serverAddress"):
        named = [("URL", config.get_option("browser.serverAddress"))]
    elif config.is_manually_set("server.address"):
        named = [("URL", server_util.get_display_address(config.get_option("server.address")))]
    else:  # the network address is the socket's own: no packet is sent
        named = [("Local URL", "localhost"), ("Network URL", net_util.get_internal_ip())]
    lines = [f"  {name}: {server_util.get_url(host)}" for name, host in named
             if host and host != "127.0.0.1"]
    print("\n  Integreringskart\n\n" + "\n".join(lines) + "\n", flush=True)


def _skip_repl_check() -> None:
    """Streamlit checks once per process, on the first element a script sends, whether
    it should warn that it runs in a REPL or without a server, by inspecting the whole
    stack (~0.2 s of the first visitor's wait, and 35-90 ms on this thread). Here the
    answer is known: the process is dashboard.serve, not a REPL, and its server is
    running, so the check could only decide to say nothing. It is marked as made, which
    is all it would leave behind. Skipped quietly if a Streamlit release renames it."""
    from streamlit import delta_generator, runtime

    if runtime.exists() and hasattr(delta_generator, "_use_warning_has_been_displayed"):
        delta_generator._use_warning_has_been_displayed = True


@contextlib.contextmanager
def templates_kept_compiled(folder: Path) -> Iterator[None]:
    """folium and branca compile ~80 Jinja templates as they are imported (~0.3 s on
    the way to the first map), though a map uses few of them. While this thread imports
    them in the block, Jinja's own bytecode cache keeps them compiled between starts in
    `folder`, as Python keeps .pyc files (with the same trust: the folder is the app's
    own). Only this thread, only in the block: branca also compiles every rendered map
    as a template, and those must not pile up. One file per template source; the key
    also covers its name and file and the environment's settings that shape the
    compiled code, and each file carries Jinja's and Python's bytecode versions. Without
    a writable folder, templates compile as before."""
    import jinja2
    from jinja2 import Environment, FileSystemBytecodeCache

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        yield
        return
    cache = FileSystemBytecodeCache(str(folder))
    compile_template = Environment.compile
    importer = threading.current_thread()

    def compile_cached(self, source, name=None, filename=None, raw=False, defer_init=False):
        if raw or not isinstance(source, str) or threading.current_thread() is not importer:
            return compile_template(self, source, name, filename, raw, defer_init)
        autoescape = self.autoescape(name) if callable(self.autoescape) else self.autoescape
        settings = (jinja2.__version__, type(self).__qualname__, self.is_async, self.optimized,
                    bool(autoescape), self.block_start_string, self.block_end_string,
                    self.variable_start_string, self.variable_end_string,
                    self.comment_start_string, self.comment_end_string,
                    self.line_statement_prefix, self.line_comment_prefix, self.trim_blocks,
                    self.lstrip_blocks, self.newline_sequence, self.keep_trailing_newline,
                    self.finalize is not None, tuple(sorted(self.extensions)),
                    tuple(sorted(self.filters)), tuple(sorted(self.tests)), defer_init)
        try:
            bucket = cache.get_bucket(self, repr((name, filename, settings)),
                                      cache.get_source_checksum(source), source)
            if bucket.code is None:
                bucket.code = compile_template(self, source, name, filename, raw, defer_init)
                cache.set_bucket(bucket)
            return bucket.code
        except OSError:  # the folder became unwritable or vanished
            return compile_template(self, source, name, filename, raw, defer_init)

    Environment.compile = compile_cached
    try:
        yield
    finally:
        Environment.compile = compile_template


def _quick_component_names() -> None:
    """A component registers under its module's name, which Streamlit finds with
    inspect.getmodule: a walk over the real path of every loaded module (~0.25 s of
    the first visitor's wait, with pandas and folium loaded). When the calling code's
    file is its module's own file, the frame's globals name that module at once;
    anything else is left to Streamlit's lookup."""
    from streamlit.components.v1 import component_registry

    lookup = getattr(component_registry, "_get_module_name", None)
    if not callable(lookup):
        return

    def quick(caller_frame):
        name = caller_frame.f_globals.get("__name__")
        module = sys.modules.get(name) if isinstance(name, str) and name != "__main__" else None
        if module is not None and getattr(module, "__file__", None) == caller_frame.f_code.co_filename:
            return name
        return lookup(caller_frame)

    component_registry._get_module_name = quick


def _replies_without_nagle() -> None:
    """Streamlit binds its listening socket itself, as socket.socket(family), protocol 0,
    and asyncio turns off Nagle's algorithm (TCP_NODELAY) only on connections whose
    socket says IPPROTO_TCP. So on a kept-alive connection every reply written in two
    parts (headers, then body) waited for the browser's delayed ACK before its second
    part: ~40 ms a request on Linux, for each of the ~70 scripts of Streamlit's
    frontend (six connections at a time) and for health checks (bench/; the same
    cause as kserve/kserve#6050). A listening socket's TCP_NODELAY is inherited by the
    connections it accepts, so it is set there. Left alone if a Streamlit release
    renames the function."""
    from streamlit.web.server.starlette import starlette_server

    bind = getattr(starlette_server, "_bind_socket", None)
    if not callable(bind):
        return

    def bind_without_nagle(*args, **kwargs):
        sock = bind(*args, **kwargs)
        with contextlib.suppress(OSError):  # not TCP (e.g. a Unix socket): nothing to do
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    starlette_server._bind_socket = bind_without_nagle


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


# Characters a query string keeps as they are (its own escapes too); others are escaped.
URL_QUERY_SAFE = "=&%+;,/:@!$'()*~?-._"
# First path segments that Streamlit's own routes answer, with any depth below them.
STREAMLIT_ROUTES = frozenset({"_stcore", "static", "component", "media", "app", "auth",
                              "oauth2callback"})


def _prefix(base: str) -> str:
    """Streamlit's server.baseUrlPath as a path prefix: "/ik", or "" for none."""
    return "/" + base.strip("/") if base.strip("/") else ""


def _path_segments(path: str, base: str) -> list[str] | None:
    """The segments of `path` below the app's base path; None if it is outside it."""
    prefix = _prefix(base)
    if prefix and path.rstrip("/") != prefix and not path.startswith(prefix + "/"):
        return None
    return [part for part in path[len(prefix):].split("/") if part]


def _base_path() -> str:
    from streamlit import config

    return config.get_option("server.baseUrlPath") or ""


def shallow_address(path: str, query: bytes, base: str = "") -> str | None:
    """Where to send an address below a page (/profil/4601, /foo/bar: a link cut up by
    a mail program, a typo). Streamlit answers it with its page, whose scripts are
    addressed relative to it (./static/js/...) and so are not found: a blank page. Its
    first segment is a page name, or an unknown one that the app notes as such; None
    for any other address. `base`: Streamlit's server.baseUrlPath."""
    segments = _path_segments(path, base)
    if segments is None or len(segments) < 2 or segments[0] in STREAMLIT_ROUTES:
        return None
    prefix = _prefix(base)
    # The path arrives decoded: escaped again, a segment can hold no "/" (no "//host"
    # elsewhere), no line break (no header of its own) and nothing outside ASCII.
    target = f"{prefix}/{quote(segments[0], safe='')}"
    query_text = query.decode("latin-1")
    if len(segments) == 2 and re.fullmatch(r"[0-9]{4}", segments[1]) and not re.search(
            r"(^|&)kommune=", query_text):
        # /profil/4601 reads as "the profile of 4601": the page then shows that kommune,
        # or notes that no kommune has the number, as for ?kommune=.
        query_text = f"kommune={segments[1]}" + (f"&{query_text}" if query_text else "")
    return f"{target}?{quote(query_text, safe=URL_QUERY_SAFE)}" if query_text else target


class ShallowAddresses:
    """ASGI middleware: a page request below a page (shallow_address) is redirected to
    the page, once Streamlit has answered it with its page (HTML); everything else
    passes through unchanged."""

    def __init__(self, app) -> None:
        self.app = app
        self.base = _base_path()

    async def __call__(self, scope, receive, send) -> None:
        target = None
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            target = shallow_address(scope.get("path", ""), scope.get("query_string", b""), self.base)
        if target is None:
            await self.app(scope, receive, send)
            return
        redirected = False

        async def send_or_redirect(message) -> None:
            nonlocal redirected
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if message["status"] == 200 and headers.get(b"content-type", b"").startswith(b"text/html"):
                    redirected = True
                    await send({"type": "http.response.start", "status": 307,
                                "headers": [(b"location", target.encode("latin-1")),
                                            (b"content-length", b"0"),
                                            (b"cache-control", b"no-cache")]})
                    await send({"type": "http.response.body", "body": b""})
                    return
            if not redirected:
                await send(message)

        await self.app(scope, receive, send_or_redirect)


def page_depth(path: str, base: str = "") -> int | None:
    """0 for the app's root, 1 for a page directly below it (/profil, or an unknown one
    such as /kart2); None for anything else (deeper, or one of Streamlit's own routes)."""
    segments = _path_segments(path, base)
    if segments is None or len(segments) > 1 or (segments and segments[0] in STREAMLIT_ROUTES):
        return None
    return len(segments)


# Tells Streamlit's frontend where its server is: the page's parent address (under a
# proxy that adds a prefix too). Without it, a page opened at /profil first looked for
# the server at /profil/_stcore/, which is two 404 errors in the browser's console of
# every shared link to a page, and a round trip before the page could start.
SERVER_ADDRESS_SCRIPT = (
    b'<script>(function(){var p=location.pathname.replace(/\\/+$/,"");'
    b"window.__streamlit=Object.assign({},window.__streamlit,"
    b'{BACKEND_BASE_URL:location.origin+p.slice(0,p.lastIndexOf("/")+1)})})()</script>')


def app_page(html: bytes, lang: str, below_root: bool) -> bytes:
    """Streamlit's page with the app's language (`lang`, "nb" or "en") on its root element
    instead of Streamlit's fixed "en" (a screen reader read the Norwegian pages with an
    English voice, and the browser hyphenated them as English), and, for a page below
    the root, SERVER_ADDRESS_SCRIPT first in its head (run before Streamlit's scripts,
    which read it as they load). A page without those elements is left as it is."""
    def in_lang(tag: re.Match) -> bytes:  # <html ...> with its lang="..." replaced
        return re.sub(rb'\slang="[^"]*"', b"", tag.group(0))[:-1] + b' lang="%s">' % lang.encode()

    html = re.sub(rb"<html\b[^>]*>", in_lang, html, count=1, flags=re.IGNORECASE)
    head = re.search(rb"<head[^>]*>", html, re.IGNORECASE)
    if below_root and head is not None:
        html = html[:head.end()] + SERVER_ADDRESS_SCRIPT + html[head.end():]
    return html


def link_language(query: bytes) -> str:
    """The language a link asks for (?lang=en; the last one if repeated, as Streamlit
    reads it), or the app's default (bokmål)."""
    from dashboard.i18n import LANGUAGES

    asked = (parse_qs(query.decode("latin-1")).get("lang") or [""])[-1]
    return asked if asked in LANGUAGES else LANGUAGES[0]


class AppPage:
    """ASGI middleware, inside Streamlit's own (it sees the page before gzip): Streamlit's
    page, when served for the app's root or a page, is made the app's (app_page). Its
    validators go (the body is no longer the file's; the page is 8 KB and marked
    no-cache anyway). Everything else passes through unchanged."""

    def __init__(self, app) -> None:
        self.app = app
        self.base = _base_path()

    async def __call__(self, scope, receive, send) -> None:
        depth = None
        if scope["type"] == "http" and scope.get("method") == "GET" and \
                b"range" not in dict(scope.get("headers", [])):
            depth = page_depth(scope.get("path", ""), self.base)
        if depth is None:
            await self.app(scope, receive, send)
            return
        lang = link_language(scope.get("query_string", b""))
        start = None
        chunks: list[bytes] = []

        async def send_app_page(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if (message["status"] == 200 and b"content-encoding" not in headers
                        and headers.get(b"content-type", b"").startswith(b"text/html")):
                    start = message  # held until the whole body is here
                    return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = app_page(b"".join(chunks), lang, below_root=depth == 1)
            headers = [(k, v) for k, v in start.get("headers", [])
                       if k not in (b"content-length", b"etag", b"last-modified")]
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        # Without the zero-copy extension: the body must come as bytes to be changed.
        extensions = {k: v for k, v in (scope.get("extensions") or {}).items()
                      if k != "http.response.pathsend"}
        await self.app({**scope, "extensions": extensions}, receive, send_app_page)


def _add_middleware(script: Path) -> None:
    """Adds ShallowAddresses in front of Streamlit's own middleware, and AppPage and
    QuickStaticFiles (for the app `script`'s ./static and Streamlit's frontend) inside
    it. Left alone if a Streamlit release renames where that middleware is made."""
    from streamlit.web.server.starlette import starlette_app

    streamlits = getattr(starlette_app, "create_streamlit_middleware", None)
    if not callable(streamlits):
        return

    def with_ours():
        from starlette.middleware import Middleware

        from dashboard.quick_static import QuickStaticFiles, streamlits_folders

        folders = streamlits_folders(_prefix(_base_path()), str(script))
        return [Middleware(ShallowAddresses), *streamlits(), Middleware(AppPage),
                Middleware(QuickStaticFiles, folders=folders)]

    starlette_app.create_streamlit_middleware = with_ours


def static_folder_for(script: Path) -> None:
    """The app's first run fills the folder Streamlit serves as /app/static (Leaflet, the
    geometry), but Streamlit looks for it as it starts: on a fresh clone it warned that
    there was no static folder. So the folder is made first (a read-only checkout
    keeps the warning, nothing worse)."""
    with contextlib.suppress(OSError):
        (script.parent / "static").mkdir(exist_ok=True)


def main(argv: list[str], script: Path = PROJECT_ROOT / "app.py") -> None:
    """`script`: the app; bench/ also serves its map-only floor this way."""
    gc.disable()  # until the warm-up is done: _collect_from_now_on
    from dashboard import map_first

    map_first.ENABLED = True  # a browser is there to say when the map has drawn
    threading.Thread(target=_warm_up, args=(_port(argv),), name="warm-up", daemon=True).start()
    _replies_without_nagle()
    _quick_component_scan()
    _quick_component_names()
    _add_middleware(script)
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main as streamlit_main

    # The app navigates with st.navigation. Streamlit only learns that when a session
    # first runs app.py; until then a ./pages folder makes it serve a shared link such
    # as /profil?kommune=4601 the old multipage way (the page alone, without app.py).
    PagesManager.uses_pages_directory = False
    static_folder_for(script)

    # Its welcome would look up the machine's external address first (_say_where).
    streamlit_main(["run", str(script), "--logger.hideWelcomeMessage", "true", *argv],
                   prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
