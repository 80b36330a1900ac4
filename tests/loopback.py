"""A loopback HTTP server that answers on the live sources' URL paths from the mirror,
so the live code path (requests, retries, rate limit, timeouts) runs end to end.

Where the mirror holds no raw API response (SSB PxWebApi, KLASS changes), the server
transcodes the mirror's files into the API's format at test time (nothing is stored).
Faults can be injected per path: a status code for the first N requests, or a delay."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from data_loaders import kommuner, parse
from tests.conftest import FIXTURES


def klass_changes_json(mirror: Path) -> bytes:
    current = kommuner.current_kommuner(
        parse.klass_codes_csv((mirror / "klass/kommuner-131-2026.csv").read_bytes()))
    changes, _validity, names = kommuner.fhi_changes(
        (mirror / "klass/kommune-endringer-2018-2024.xlsx").read_bytes(),
        (mirror / "klass/kommunenummer-historisk-til-2024.csv").read_bytes(), current)
    records = [{"oldCode": c.old, "oldName": names.get(c.old, ""), "oldShortName": None,
                "newCode": c.new, "newName": names.get(c.new, ""), "newShortName": None,
                "changeOccurred": f"{c.year}-01-01"} for c in changes if c.year >= 1995]
    return json.dumps({"codeChanges": records}, ensure_ascii=False).encode("utf-8")


def population_jsonstat(mirror: Path) -> bytes:
    """SSB 07459 with codelist agg_KommSummer, as JSON-stat 2.0, from the mirror extract."""
    pop = parse.ssb_population_extract(
        (mirror / "ssb/07459-folkemengde-2024grenser-1986-2026.csv").read_bytes())
    codes = sorted(pop["code"].unique())
    years = sorted(pop["year"].unique())
    cell = {(r.code, r.year): r.value for r in pop.itertuples()}
    values, status = [], {}
    for code in codes:
        for year in years:
            v = cell.get((code, year))
            if v is None or v != v:
                status[str(len(values))] = "."
                values.append(None)
            else:
                values.append(int(v))
    doc = {
        "version": "2.0", "class": "dataset", "label": "07459 (transcoded from the mirror)",
        "id": ["Region", "ContentsCode", "Tid"], "size": [len(codes), 1, len(years)],
        "dimension": {
            "Region": {"category": {"index": [f"K-{c}" for c in codes],
                                    "label": {f"K-{c}": c for c in codes}}},
            "ContentsCode": {"category": {"label": {"Personer1": "Personer"}}},
            "Tid": {"category": {"index": [str(y) for y in years],
                                 "label": {str(y): str(y) for y in years}}},
        },
        "value": values, "status": status,
    }
    return json.dumps(doc).encode("utf-8")


class Loopback:
    def __init__(self, mirror: Path):
        self.mirror = mirror
        self.faults: dict[str, list] = defaultdict(list)  # path -> [(status|delay, ...)]
        self.requests: list[str] = []
        self.last_query = ""
        self._cache: dict[str, bytes] = {}
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                loopback.requests.append(self.path)
                path = urlsplit(self.path).path
                loopback.last_query = urlsplit(self.path).query
                faults = loopback.faults.get(path)
                if faults:
                    kind, value, headers = faults.pop(0)
                    if kind == "delay":
                        time.sleep(value)
                    else:
                        self.send_response(value)
                        for k, v in headers.items():
                            self.send_header(k, v)
                        self.end_headers()
                        return
                body = loopback.body(path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def body(self, path: str) -> bytes | None:
        m = self.mirror
        if path.startswith("/download_csv/k/"):
            file = m / "imdi/k" / (path.rsplit("/", 1)[1] + ".csv")
            return file.read_bytes() if file.is_file() else None
        if path.startswith("/robhop/fylker-og-kommuner/main/"):
            file = m / "geo" / path.split("/main/", 1)[1]
            return file.read_bytes() if file.is_file() else None
        if path == "/api/klass/v1/classifications/131/codesAt.csv":
            return (m / "klass/kommuner-131-2026.csv").read_bytes()
        if path == "/api/klass/v1/classifications/104/codesAt.csv":
            return (m / "klass/fylker-104-2026.csv").read_bytes()
        if path == "/api/klass/v1/classifications/131/changes.json":
            return self._cached(path, lambda: klass_changes_json(m))
        if path == "/api/pxwebapi/v2/tables/07459/data":
            return self._cached(path, lambda: population_jsonstat(m))
        if path == "/api/pxwebapi/v2/tables/09817/data":
            return (FIXTURES / "ssb_09817_small.json").read_bytes()
        if path == "/api/pxwebapi/v2/tables/09588/data":
            return (FIXTURES / "ssb_09588_small.json").read_bytes()
        if path == "/api/klass/v1/classifications/131/correspondsAt.json" and \
                "targetClassificationId=112" in self.last_query:
            return (FIXTURES / "klass_131_to_112_small.json").read_bytes()
        return None  # 11607, the introduction table, centrality: not served (optional)

    def _cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def fail(self, path: str, status: int, times: int = 1, headers: dict | None = None):
        self.faults[path].extend([("status", status, headers or {})] * times)

    def delay(self, path: str, seconds: float, times: int = 1):
        self.faults[path].extend([("delay", seconds, {})] * times)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
