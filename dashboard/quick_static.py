"""Static files read on the server's event loop, answered with Streamlit's own headers.

Streamlit serves its frontend (/static/...) and the app's ./static folder (/app/static/:
Leaflet, the map's geometry) with Starlette's StaticFiles and FileResponse, which run
every stat, open, read and close of a file on a worker thread: right for large files on
a slow disk. On a session's first page the browser asks for ~70 of Streamlit's scripts
at once while the warm-up imports pandas (dashboard.serve), and each of those steps
handed Python's one lock (the GIL) from thread to thread: with this middleware the
server used ~0.27 s less CPU on the way to the first map, on a machine whose two cores
the browser kept busy too (bench/). These files are small and local, so they are read
here on the event loop in one step, and answered with the headers Streamlit's handlers
give (tests compare the two). Anything else passes through to Streamlit unchanged:
other methods, ranges, conditional requests, a path that is not a regular file inside
the folder, a large file. Placed inside Streamlit's own middleware, whose path checks
and compression apply as before."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass

MAX_BYTES = 4 * 1024 * 1024  # larger files are left to Streamlit's threads
# Requests whose answer is not simply the whole file: left to Streamlit.
LEFT_TO_STREAMLIT = frozenset({b"range", b"if-range", b"if-none-match", b"if-modified-since"})


@dataclass(frozen=True)
class Folder:
    """A folder Streamlit serves: URL path prefix (with the base path, ending in "/"),
    its real path on disk, how Streamlit names a file's type, and the headers it adds."""

    prefix: str
    root: str
    headers: tuple[tuple[bytes, bytes], ...]
    # None: FileResponse guesses the type, as Streamlit's StaticFiles leaves it to do.
    media_type: Callable[[str], str | None] = lambda path: None
    # Which names (below the prefix) this middleware answers; the rest are Streamlit's.
    answered_here: Callable[[str], bool] = lambda name: True


def streamlits_folders(prefix: str, main_script: str | None) -> list[Folder]:
    """Streamlit's frontend assets and, if static serving is on, the ./static folder of
    the app `main_script`, each with the headers Streamlit's handler for it gives.
    `prefix`: the server's base path ("" or "/ik"). Empty if a Streamlit release has
    moved what this needs."""
    try:
        from streamlit import config, file_util
        from streamlit.web.server.component_file_utils import guess_content_type
        from streamlit.web.server.starlette.starlette_server_config import (
            STATIC_ASSET_CACHE_MAX_AGE_SECONDS,
        )
    except ImportError:
        return []
    frontend = os.path.join(file_util.get_static_dir(), "static")
    immutable = f"public, immutable, max-age={STATIC_ASSET_CACHE_MAX_AGE_SECONDS}".encode()
    folders = [Folder(
        prefix=f"{prefix}/static/", root=os.path.realpath(frontend), headers=((b"cache-control", immutable),),
        # Streamlit marks HTML no-cache (the rest immutable): HTML is left to it.
        answered_here=lambda name: not name.endswith(".html"))]
    if main_script and config.get_option("server.enableStaticServing"):
        folders.append(Folder(
            prefix=f"{prefix}/app/static/",
            root=os.path.realpath(file_util.get_app_static_dir(main_script)),
            headers=((b"access-control-allow-origin", b"*"), (b"x-content-type-options", b"nosniff")),
            media_type=guess_content_type))
    return folders


def _safe_file(folder: Folder, relative: str) -> str | None:
    """The file's real path if it is inside the folder (Streamlit's own check)."""
    from streamlit.web.server.component_file_utils import build_safe_abspath

    return build_safe_abspath(folder.root, relative)


def _read(path: str) -> tuple[os.stat_result, bytes] | None:
    """The file's status and bytes, read together; None if it is not a small regular file."""
    try:
        with open(path, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_BYTES:
                return None
            return status, file.read()
    except OSError:
        return None


class QuickStaticFiles:
    """ASGI middleware: a GET for a file in one of `folders` is answered from here (see
    the module's docstring); everything else passes through to `app`."""

    def __init__(self, app, folders: list[Folder]) -> None:
        self.app = app
        self.folders = folders

    def _answer(self, scope) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            return None
        if any(name in LEFT_TO_STREAMLIT for name, _ in scope.get("headers", [])):
            return None
        path = scope.get("path", "")
        folder = next((f for f in self.folders if path.startswith(f.prefix)), None)
        name = path[len(folder.prefix):] if folder else ""
        if not name or not folder.answered_here(name):
            return None
        real = _safe_file(folder, name)
        read = _read(real) if real else None
        if read is None:
            return None
        from starlette.responses import FileResponse

        status, body = read
        headers = FileResponse(real, stat_result=status, media_type=folder.media_type(real)).raw_headers
        return [*headers, *folder.headers], body

    async def __call__(self, scope, receive, send) -> None:
        answer = self._answer(scope)
        if answer is None:
            await self.app(scope, receive, send)
            return
        headers, body = answer
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
