"""dashboard.quick_static answers with the bytes and headers Streamlit's own handlers
give, and leaves every other request to them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit import file_util
from streamlit.web.server.starlette.starlette_routes import create_app_static_serving_routes
from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_handler

from dashboard import quick_static
from dashboard.quick_static import Folder, QuickStaticFiles, streamlits_folders
from tests.asgi import drive

FRONTEND_JS = Path(file_util.get_static_dir()) / "static" / "js"


def _scope(path: str, method: str = "GET", headers: list | None = None) -> dict:
    return {"type": "http", "method": method, "path": path, "raw_path": path.encode(),
            "root_path": "", "query_string": b"", "headers": headers or [],
            "http_version": "1.1", "scheme": "http", "server": ("127.0.0.1", 8501),
            "asgi": {"version": "3.0", "spec_version": "2.4"}}  # no waiting for a disconnect


async def _streamlit_would_answer(scope, receive, send):
    await send({"type": "http.response.start", "status": 299, "headers": []})
    await send({"type": "http.response.body", "body": b"Streamlit's answer"})


def _answer(messages: list[dict]) -> tuple[int, dict, bytes]:
    start, *bodies = messages
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in bodies)


def _passed_through(middleware, scope) -> bool:
    return _answer(drive(middleware, scope))[0] == 299


@pytest.fixture()
def static_serving():
    from streamlit.testing.v1.util import patch_config_options

    with patch_config_options({"server.enableStaticServing": True}):
        yield


def test_streamlits_frontend_files_come_as_streamlit_sends_them():
    quick = QuickStaticFiles(_streamlit_would_answer, streamlits_folders("", None))
    streamlits = create_streamlit_static_handler(file_util.get_static_dir(), None)
    # The first page's largest script, a small chunk, a style sheet and a font.
    names = [max(FRONTEND_JS.glob("index.*.js"), key=lambda p: p.stat().st_size),
             min(FRONTEND_JS.glob("*.js"), key=lambda p: p.stat().st_size),
             next((FRONTEND_JS.parent / "css").glob("*.css")),
             next((FRONTEND_JS.parent / "media").glob("*.woff2"))]
    for file in names:
        path = "/static/" + file.relative_to(FRONTEND_JS.parent).as_posix()
        ours = _answer(drive(quick, _scope(path)))
        assert ours[0] == 200, path
        assert ours == _answer(drive(streamlits, _scope(path))), path
        assert ours[2] == file.read_bytes()
        assert ours[1][b"cache-control"].startswith(b"public, immutable")


def test_the_apps_static_files_come_as_streamlit_sends_them(tmp_path, static_serving):
    from starlette.routing import Router

    (tmp_path / "static" / "data").mkdir(parents=True)
    (tmp_path / "static" / "leaflet.js").write_text("var L = {};\n" * 100, encoding="utf-8")
    (tmp_path / "static" / "data" / "kommuner-0123456789abcdef.json.gz").write_bytes(b"\x1f\x8b" + bytes(300))
    script = str(tmp_path / "app.py")
    quick = QuickStaticFiles(_streamlit_would_answer, streamlits_folders("", script))
    streamlits = Router(create_app_static_serving_routes(script, None))
    for path in ("/app/static/leaflet.js", "/app/static/data/kommuner-0123456789abcdef.json.gz"):
        ours = _answer(drive(quick, _scope(path)))
        assert ours[0] == 200, path
        assert ours == _answer(drive(streamlits, {**_scope(path), "app": streamlits})), path
    assert ours[1][b"content-type"] == b"application/gzip"
    assert ours[1][b"access-control-allow-origin"] == b"*"


def test_without_static_serving_the_apps_folder_is_left_to_streamlit(tmp_path):
    from streamlit.testing.v1.util import patch_config_options

    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "leaflet.js").write_text("var L = {};", encoding="utf-8")
    with patch_config_options({"server.enableStaticServing": False}):  # Streamlit's default
        quick = QuickStaticFiles(_streamlit_would_answer, streamlits_folders("", str(tmp_path / "app.py")))
    assert _passed_through(quick, _scope("/app/static/leaflet.js"))


@pytest.fixture()
def folder(tmp_path) -> Path:
    root = tmp_path / "served"
    (root / "js").mkdir(parents=True)
    (root / "js" / "chunk.abc.js").write_text("export const a = 1;", encoding="utf-8")
    (root / "page.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not to be served", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", root / "js" / "link.js")
    return root


def _quick(root: Path, prefix: str = "/static/") -> QuickStaticFiles:
    return QuickStaticFiles(_streamlit_would_answer, [Folder(
        prefix=prefix, root=os.path.realpath(root), headers=((b"cache-control", b"public"),),
        answered_here=lambda name: not name.endswith(".html"))])


def test_a_plain_get_for_a_file_inside_the_folder_is_answered_here(folder):
    status, headers, body = _answer(drive(_quick(folder), _scope("/static/js/chunk.abc.js")))
    assert (status, body) == (200, b"export const a = 1;")
    assert headers[b"content-length"] == b"19"
    assert headers[b"content-type"].startswith((b"text/javascript", b"application/javascript"))
    assert headers[b"cache-control"] == b"public" and b"etag" in headers


@pytest.mark.parametrize(("path", "method", "headers"), [
    ("/static/js/chunk.abc.js", "HEAD", []),
    ("/static/js/chunk.abc.js", "POST", []),
    ("/static/js/chunk.abc.js", "GET", [(b"range", b"bytes=0-3")]),
    ("/static/js/chunk.abc.js", "GET", [(b"if-none-match", b'"x"')]),
    ("/static/js/chunk.abc.js", "GET", [(b"if-modified-since", b"Tue, 01 Dec 2026 10:19:26 GMT")]),
    ("/static/js/missing.js", "GET", []),
    ("/static/js", "GET", []),  # a folder
    ("/static/", "GET", []),
    ("/static/page.html", "GET", []),  # Streamlit marks it no-cache
    ("/static/../secret.txt", "GET", []),
    ("/static/js/../../secret.txt", "GET", []),
    ("/static//etc/passwd", "GET", []),
    ("/static/js/link.js", "GET", []),  # a link out of the folder
    ("/elsewhere/js/chunk.abc.js", "GET", []),
])
def test_anything_else_is_left_to_streamlit(folder, path, method, headers):
    assert _passed_through(_quick(folder), _scope(path, method, headers))


def test_a_large_file_is_left_to_streamlits_threads(folder, monkeypatch):
    monkeypatch.setattr(quick_static, "MAX_BYTES", 10)
    assert _passed_through(_quick(folder), _scope("/static/js/chunk.abc.js"))


def test_websockets_and_lifespan_pass_through(folder):
    assert _passed_through(_quick(folder), {**_scope("/static/js/chunk.abc.js"), "type": "websocket"})


def test_under_a_base_path_the_files_are_found_below_it():
    quick = QuickStaticFiles(_streamlit_would_answer, streamlits_folders("/ik", None))
    name = next(FRONTEND_JS.glob("index.*.js")).name
    assert _answer(drive(quick, _scope(f"/ik/static/js/{name}")))[0] == 200
    assert _passed_through(quick, _scope(f"/static/js/{name}"))
