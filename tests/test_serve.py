"""dashboard.serve's start-up shortcuts give Streamlit's own answers, only sooner."""

from __future__ import annotations

import importlib.metadata
import socket
import sys
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner

from dashboard import serve
from tests.asgi import drive


@pytest.fixture()
def quick_and_streamlits(monkeypatch):
    streamlits = manifest_scanner._is_likely_streamlit_component_package
    monkeypatch.setattr(manifest_scanner, "_is_likely_streamlit_component_package", streamlits)
    serve._quick_component_scan()
    quick = manifest_scanner._is_likely_streamlit_component_package
    assert quick is not streamlits
    return quick, streamlits


def _dist(tmp_path, folder: str, metadata: str):
    info = tmp_path / folder
    info.mkdir()
    (info / "METADATA").write_text(metadata, encoding="utf-8")
    return importlib.metadata.PathDistribution(info)


def test_the_component_scan_keeps_every_candidate_streamlit_would(tmp_path, quick_and_streamlits):
    quick, streamlits = quick_and_streamlits
    made = {
        "plain": _dist(tmp_path, "plain-1.0.dist-info", "Name: plain\nSummary: Tables\n"),
        "st-prefix": _dist(tmp_path, "st_x-1.0.dist-info", "Name: st-x\nSummary: Maps\n"),
        "summary": _dist(tmp_path, "a-1.0.dist-info", "Name: a\nSummary: A Streamlit widget\n"),
        "requires": _dist(tmp_path, "b-1.0.dist-info", "Name: b\nRequires-Dist: streamlit>=1.40\n"),
        "named": _dist(tmp_path, "c-1.0.dist-info", "Name: streamlit-c\n"),
    }
    answers = {key: (quick(d), streamlits(d)) for key, d in made.items()}
    assert answers == {"plain": (False, False), "st-prefix": (True, True), "summary": (True, True),
                       "requires": (True, True), "named": (True, True)}
    installed = list(importlib.metadata.distributions())
    assert [quick(d) for d in installed] == [streamlits(d) for d in installed]
    assert "streamlit-folium" in {d.metadata["Name"] for d in installed if quick(d)}


@pytest.fixture()
def template_cache(tmp_path):
    with serve.templates_kept_compiled(tmp_path / "jinja"):
        yield tmp_path / "jinja"


def test_templates_are_compiled_once_and_then_read_back(template_cache, monkeypatch):
    from jinja2 import Template, bccache

    source = "{% macro row(x) %}<td>{{ x }}</td>{% endmacro %}{{ row(name) }} {{ 1 + n }}"
    assert Template(source).render(name="Ås", n=2) == "<td>Ås</td> 3"
    assert len(list(template_cache.iterdir())) == 1
    loaded = []
    load = bccache.Bucket.load_bytecode
    monkeypatch.setattr(bccache.Bucket, "load_bytecode",
                        lambda bucket, f: (load(bucket, f), loaded.append(bucket.code is not None)))
    assert Template(source).render(name="Ål", n=5) == "<td>Ål</td> 6"
    assert loaded == [True]  # the second compile came from the file
    assert Template(source + " ").render(name="Ål", n=5) == "<td>Ål</td> 6 "
    assert len(list(template_cache.iterdir())) == 2  # one file per source


def test_settings_that_change_the_code_get_their_own_entry(template_cache):
    from jinja2 import Environment

    source = "{{ text }} [[ text ]]"
    plain = Environment().from_string(source)
    escaping = Environment(autoescape=True).from_string(source)
    other_syntax = Environment(variable_start_string="[[", variable_end_string="]]").from_string(source)
    assert plain.render(text="<b>") == "<b> [[ text ]]"
    assert escaping.render(text="<b>") == "&lt;b&gt; [[ text ]]"
    assert other_syntax.render(text="<b>") == "{{ text }} <b>"
    assert len(list(template_cache.iterdir())) == 3


def test_a_spoilt_cache_file_is_compiled_again(template_cache):
    from jinja2 import Template

    assert Template("{{ a }}!").render(a="x") == "x!"
    (cached,) = template_cache.iterdir()
    cached.write_bytes(b"not bytecode")
    assert Template("{{ a }}!").render(a="y") == "y!"


def test_only_the_importing_thread_in_the_block_uses_the_cache(tmp_path):
    """branca compiles every rendered map as a template: those must not pile up."""
    import threading

    from jinja2 import Environment, Template

    compile_template = Environment.compile
    folder = tmp_path / "jinja"
    with serve.templates_kept_compiled(folder):
        other = threading.Thread(target=lambda: Template("{{ page }} of a visitor").render(page=1))
        other.start()
        other.join()
        assert list(folder.iterdir()) == []
        Template("{{ a }}").render(a=1)
        assert len(list(folder.iterdir())) == 1
    assert Environment.compile is compile_template
    assert Template("{{ rendered }} after").render(rendered="map") == "map after"
    assert len(list(folder.iterdir())) == 1


def test_without_a_writable_folder_templates_compile_as_before(tmp_path):
    from jinja2 import Environment, Template

    compile_template = Environment.compile
    blocker = tmp_path / "file"
    blocker.write_text("")
    with serve.templates_kept_compiled(blocker / "jinja"):  # cannot be made
        assert Environment.compile is compile_template
        assert Template("{{ a }}").render(a=1) == "1"


def test_component_names_are_streamlits_own(tmp_path, monkeypatch):
    import inspect

    from streamlit.components.v1 import component_registry

    streamlits = component_registry._get_module_name
    monkeypatch.setattr(component_registry, "_get_module_name", streamlits)
    serve._quick_component_names()
    quick = component_registry._get_module_name
    assert quick is not streamlits

    # A module-level call, as streamlit_folium's when it is imported.
    (tmp_path / "ik_fake_component.py").write_text("import inspect\nframe = inspect.currentframe()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "ik_fake_component", raising=False)
    import ik_fake_component

    frames = {"module level": ik_fake_component.frame, "this test": inspect.currentframe()}
    # Code run with one module's globals from another module's file: the quick answer
    # would be wrong, so Streamlit's lookup answers (by the file).
    namespace = dict(vars(ik_fake_component))
    exec(compile("import inspect\nframe = inspect.currentframe()", serve.__file__, "exec"), namespace)
    frames["borrowed globals"] = namespace["frame"]
    answers = {key: (quick(frame), streamlits(frame)) for key, frame in frames.items()}
    assert answers == {"module level": ("ik_fake_component", "ik_fake_component"),
                       "this test": (__name__, __name__),
                       "borrowed globals": ("dashboard.serve", "dashboard.serve")}

    import streamlit_folium  # registered under its own name

    assert streamlit_folium._component_func.name == "streamlit_folium.st_folium"
    # ... and the module-level answer came without walking every loaded module.
    monkeypatch.setattr(inspect, "getmodule", lambda *args: pytest.fail("walked the modules"))
    assert quick(ik_fake_component.frame) == "ik_fake_component"


@pytest.mark.parametrize("path, query, base, expected", [
    ("/foo/bar", b"aar=2022", "", "/foo?aar=2022"),
    # A kommune number below a page reads as that kommune (unless the link names one).
    ("/profil/4601", b"", "", "/profil?kommune=4601"),
    ("/profil/4601/", b"aar=2020", "", "/profil?kommune=4601&aar=2020"),
    ("/profil/4601", b"aar=2020&kommune=1103", "", "/profil?aar=2020&kommune=1103"),
    ("/profil/46011", b"", "", "/profil"),
    ("/profil/4601/x", b"", "", "/profil"),
    ("/foo/static/js/index.js", b"", "", "/foo"),  # what the blank page asked for
    ("/ik/profil/4601", b"kommune=4601", "/ik/", "/ik/profil?kommune=4601"),
    ("/", b"", "", None),
    ("/profil", b"kommune=4601", "", None),  # a page: Streamlit's own
    ("/static/js/index.js", b"", "", None),
    ("/component/streamlit_folium.st_folium/index.html", b"", "", None),
    ("/app/static/data/kommuner.json.gz", b"", "", None),
    ("/_stcore/health", b"", "", None),
    ("/auth/login", b"", "", None),
    ("/other/profil/4601", b"", "/ik", None),  # outside the app's base path
    # Escaped again as it arrived decoded: no line break, no "//host", nothing outside ASCII.
    ("/a\r\nSet-Cookie: x=1/b", b"", "", "/a%0D%0ASet-Cookie%3A%20x%3D1"),
    ("//evil.example/x", b"", "", "/evil.example"),
    ("/Bærum/x", b"kommune=3201&aar=%C3%A5r", "", "/B%C3%A6rum?kommune=3201&aar=%C3%A5r"),
    ("/foo/bar", b"q=a b\r\n", "", "/foo?q=a%20b%0D%0A"),
])
def test_an_address_below_a_page_goes_to_the_page(path, query, base, expected):
    assert serve.shallow_address(path, query, base) == expected


def _asgi(content_type: bytes, status: int = 200):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", content_type)]})
        await send({"type": "http.response.body", "body": b"<html>page</html>"})
    return app


def _call(app, path: str, method: str = "GET") -> list[dict]:
    scope = {"type": "http", "method": method, "path": path, "query_string": b"aar=2022"}
    return drive(serve.ShallowAddresses(app), scope)


def test_only_streamlits_page_is_redirected_the_rest_passes_through():
    redirected = _call(_asgi(b"text/html; charset=utf-8"), "/foo/bar")
    assert redirected[0]["status"] == 307
    assert dict(redirected[0]["headers"])[b"location"] == b"/foo?aar=2022"
    assert [m["type"] for m in redirected] == ["http.response.start", "http.response.body"]
    assert redirected[1]["body"] == b""
    # A file, an error or a POST below a page is Streamlit's answer, unchanged.
    for app, path, method in ((_asgi(b"application/javascript"), "/foo/bar.js", "GET"),
                              (_asgi(b"text/html", status=404), "/foo/bar", "GET"),
                              (_asgi(b"text/html"), "/foo/bar", "POST"),
                              (_asgi(b"text/html"), "/foo", "GET")):
        passed = _call(app, path, method)
        assert passed[0]["status"] in (200, 404) and passed[1]["body"] == b"<html>page</html>"


@pytest.mark.parametrize("path, base, expected", [
    ("/", "", 0), ("", "", 0), ("/profil", "", 1), ("/kart2", "", 1), ("/profil/", "", 1),
    ("/profil/4601", "", None), ("/static", "", None), ("/_stcore", "", None),
    ("/static/js/index.js", "", None),
    ("/ik/profil", "ik", 1), ("/ik/", "ik", 0), ("/ik", "/ik/", 0), ("/profil", "ik", None),
    ("/iks/profil", "ik", None),
])
def test_the_apps_pages_are_known_by_their_depth(path, base, expected):
    assert serve.page_depth(path, base) == expected


def test_the_app_page_speaks_the_apps_language_and_a_page_below_the_root_knows_its_server():
    html = b'<!doctype html><html lang="en"><HEAD data-x="1"><script type="module" src="./a.js"></script>'
    assert serve.app_page(html, "nb", below_root=True) == (
        b'<!doctype html><html lang="nb"><HEAD data-x="1">' + serve.SERVER_ADDRESS_SCRIPT
        + b'<script type="module" src="./a.js"></script>')
    assert serve.app_page(html, "en", below_root=False) == html
    assert serve.app_page(b"<html><body>x", "nb", below_root=True) == b'<html lang="nb"><body>x'
    assert serve.app_page(b"<p>no page</p>", "nb", below_root=True) == b"<p>no page</p>"


@pytest.mark.parametrize("query, expected", [
    (b"", "nb"), (b"lang=en", "en"), (b"aar=2022&lang=en", "en"), (b"lang=de", "nb"),
    (b"lang=en&lang=nb", "nb"), (b"lang=nb&lang=en", "en"), (b"lang=%E6", "nb"),
])
def test_the_link_says_the_language(query, expected):
    assert serve.link_language(query) == expected


def _served(app, path: str, headers: list | None = None, query: bytes = b"") -> list[dict]:
    seen = {}

    async def recording(scope, receive, send):
        seen.update(scope)
        await app(scope, receive, send)

    scope = {"type": "http", "method": "GET", "path": path, "query_string": query,
             "headers": headers or [], "extensions": {"http.response.pathsend": {}}}
    return [*drive(serve.AppPage(recording), scope), seen]


def _page_in_parts(content_type: bytes = b"text/html; charset=utf-8", encoding: bytes | None = None):
    async def app(scope, receive, send):
        headers = [(b"content-type", content_type), (b"content-length", b"40"),
                   (b"etag", b'"abc"'), (b"last-modified", b"Tue, 01 Dec 2026 10:19:26 GMT"),
                   (b"cache-control", b"no-cache")]
        await send({"type": "http.response.start", "status": 200,
                    "headers": headers + ([(b"content-encoding", encoding)] if encoding else [])})
        await send({"type": "http.response.body", "body": b'<html lang="en"><head>', "more_body": True})
        await send({"type": "http.response.body", "body": b"</head></html>"})
    return app


def test_streamlits_page_is_made_the_apps_the_rest_passes_through():
    start, body, scope = _served(_page_in_parts(), "/profil")
    assert body["body"] == b'<html lang="nb"><head>' + serve.SERVER_ADDRESS_SCRIPT + b"</head></html>"
    headers = dict(start["headers"])
    assert headers[b"content-length"] == str(len(body["body"])).encode()
    assert b"etag" not in headers and b"last-modified" not in headers  # no longer the file's
    assert headers[b"cache-control"] == b"no-cache"
    assert "http.response.pathsend" not in scope["extensions"]  # the body must come as bytes
    start, body, _ = _served(_page_in_parts(), "/", query=b"kommune=4601&lang=en")
    assert body["body"] == b'<html lang="en"><head></head></html>'
    # A file, a page deeper down, an encoded body or a range: Streamlit's answer, unchanged.
    for app, path, headers_in in ((_page_in_parts(b"application/javascript"), "/profil", []),
                                  (_page_in_parts(), "/profil/4601", []),
                                  (_page_in_parts(encoding=b"gzip"), "/profil", []),
                                  (_page_in_parts(), "/profil", [(b"range", b"bytes=0-10")])):
        start, first, last, _ = _served(app, path, headers_in)
        assert dict(start["headers"])[b"etag"] == b'"abc"'
        assert first["body"] + last["body"] == b'<html lang="en"><head></head></html>'


def test_the_first_page_request_does_not_wait_for_pandas():
    """The middleware reads the link's language on the browser's first request; on a
    fresh start that request had waited ~0.4 s for i18n's import of pandas."""
    import subprocess

    code = ("import sys; from dashboard import serve; "
            "assert serve.link_language(b'lang=en') == 'en'; "
            "print(sorted(m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(serve.__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"


def test_garbage_collection_resumes_after_the_warm_up_even_if_it_fails(monkeypatch):
    """main() pauses the collector for the start-up; the warm-up turns it back on with
    what start-up made frozen out of later collections, whatever happens on the way."""
    import gc

    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))  # not this test process's objects

    def no_store(port):
        raise OSError("the store's disk went away")

    monkeypatch.setattr(serve, "_import_and_load", no_store)
    gc.disable()
    try:
        with pytest.raises(OSError):
            serve._warm_up(8501)
        assert gc.isenabled() and frozen == [True]
    finally:
        gc.enable()


def test_the_static_folder_is_there_before_streamlit_looks_for_it(tmp_path):
    script = tmp_path / "app.py"
    serve.static_folder_for(script)
    assert (tmp_path / "static").is_dir()
    serve.static_folder_for(script)  # already there: nothing happens
    (tmp_path / "static").rmdir()
    (tmp_path / "static").write_text("not a folder")  # cannot be made: left to Streamlit's warning
    serve.static_folder_for(script)


def test_connections_reply_without_waiting_for_the_browsers_ack(monkeypatch):
    """Every connection the app's listening socket accepts has Nagle's algorithm off."""
    from streamlit.web.server.starlette import starlette_server

    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)
    serve._replies_without_nagle()
    listener = starlette_server._bind_socket("127.0.0.1", 0, 8)
    with listener, socket.create_connection(listener.getsockname()[:2], timeout=5):
        listener.setblocking(True)
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_the_welcome_gives_the_addresses_without_looking_up_the_external_one(monkeypatch, capsys):
    from streamlit import net_util

    def external_ip():
        raise AssertionError("the external address was looked up")

    monkeypatch.setattr(net_util, "get_external_ip", external_ip)
    monkeypatch.setattr(net_util, "get_internal_ip", lambda: "192.0.2.7")
    serve._say_where()
    out = capsys.readouterr().out
    assert "Local URL: http://localhost:" in out and "Network URL: http://192.0.2.7:" in out
    monkeypatch.setattr(net_util, "get_internal_ip", lambda: "127.0.0.1")  # no network
    serve._say_where()
    out = capsys.readouterr().out
    assert "Local URL: http://localhost:" in out and "Network URL" not in out


def test_the_repl_check_is_marked_made_only_where_streamlit_would_say_nothing(monkeypatch):
    from streamlit import delta_generator, runtime

    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(runtime, "exists", lambda: False)  # no server: Streamlit may warn
    serve._skip_repl_check()
    assert delta_generator._use_warning_has_been_displayed is False
    monkeypatch.setattr(runtime, "exists", lambda: True)
    serve._skip_repl_check()
    assert delta_generator._use_warning_has_been_displayed is True
