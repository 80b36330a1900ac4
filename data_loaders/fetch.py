"""Getting the bytes of a source: from the publisher over HTTP, or from a mirror directory.

Everything after the bytes arrive is the same code in both modes. The HTTP path honours
each publisher's limits: a per-host rate limit (SSB: 30 requests a minute per IP), a
timeout on every request, and retries with exponential backoff on 429 and 5xx that
respect a Retry-After header.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests

from .settings import Settings

USER_AGENT = "Integreringskart/1.0 (+https://github.com/; statistics dashboard)"

# Requests allowed per window, per host. SSB publishes 30 requests / 60 s per IP.
RATE_LIMITS: dict[str, tuple[int, float]] = {"data.ssb.no": (30, 60.0)}


class SourceUnavailable(RuntimeError):
    """A source could not be read; the message says which and why, in plain words."""


@dataclass(frozen=True)
class Fetched:
    content: bytes
    origin: str  # the URL or mirror file it came from
    retrieved: datetime  # when we read it (UTC)
    from_mirror: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class RateLimiter:
    """Sliding-window limiter: at most `limit` calls per `window` seconds."""

    def __init__(self, limit: int, window: float, clock=time.monotonic, sleep=time.sleep):
        self.limit, self.window = limit, window
        self.clock, self.sleep = clock, sleep
        self.calls: deque[float] = deque()
        self.lock = threading.Lock()

    def wait(self) -> float:
        """Block until a call is allowed; return the seconds waited."""
        waited = 0.0
        with self.lock:
            while True:
                now = self.clock()
                while self.calls and now - self.calls[0] >= self.window:
                    self.calls.popleft()
                if len(self.calls) < self.limit:
                    self.calls.append(now)
                    return waited
                pause = self.window - (now - self.calls[0])
                self.sleep(pause)
                waited += pause


def _retry_after_seconds(value: str | None, default: float) -> float:
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
            return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
        except (TypeError, ValueError):
            return default


class Fetcher:
    def __init__(self, settings: Settings, session: requests.Session | None = None,
                 sleep=time.sleep, backoff: float = 2.0, max_wait: float = 120.0,
                 rate_limits: dict[str, tuple[int, float]] | None = None):
        self.settings = settings
        self.rate_limits = RATE_LIMITS if rate_limits is None else rate_limits
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.sleep = sleep
        self.backoff = backoff
        self.max_wait = max_wait
        self.limiters: dict[str, RateLimiter] = {}
        self.log: list[str] = []  # what happened, for the refresh report and tests

    # -- mirror -------------------------------------------------------------------------
    def read_mirror(self, relative_path: str) -> Fetched:
        assert self.settings.mirror is not None
        path = (self.settings.mirror / relative_path).resolve()
        if not path.is_file():
            raise SourceUnavailable(
                f"Fant ikke {relative_path} i speilmappen {self.settings.mirror} "
                f"(not found in the mirror directory)."
            )
        return Fetched(path.read_bytes(), str(path), datetime.now(timezone.utc), True)

    def mirror_has(self, relative_path: str) -> bool:
        return bool(self.settings.mirror) and (self.settings.mirror / relative_path).is_file()

    # -- network ------------------------------------------------------------------------
    def _limiter(self, url: str) -> RateLimiter | None:
        host = urlsplit(url).hostname or ""
        for suffix, (limit, window) in self.rate_limits.items():
            if host == suffix or host.endswith("." + suffix):
                return self.limiters.setdefault(host, RateLimiter(limit, window))
        return None

    def get(self, url: str) -> Fetched:
        """GET with timeout, rate limit and retries. Raises SourceUnavailable."""
        limiter = self._limiter(url)
        attempts = self.settings.max_retries + 1
        last_problem = ""
        for attempt in range(attempts):
            if limiter:
                waited = limiter.wait()
                if waited:
                    self.log.append(f"rate limit: waited {waited:.1f} s before {url}")
            try:
                response = self.session.get(
                    url, timeout=(self.settings.connect_timeout, self.settings.read_timeout)
                )
            except requests.Timeout:
                last_problem = "tidsavbrudd (timeout)"
                wait = self.backoff * 2**attempt
            except requests.ConnectionError as exc:
                last_problem = f"ingen forbindelse (connection failed: {type(exc).__name__})"
                wait = self.backoff * 2**attempt
                if attempt >= 1:  # no network at all: say so quickly instead of waiting
                    self.log.append(f"GET {url} -> {last_problem}; giving up")
                    break
            else:
                if response.status_code == 200:
                    self.log.append(f"GET {url} -> 200 ({len(response.content)} bytes)")
                    return Fetched(response.content, url, datetime.now(timezone.utc), False)
                last_problem = f"HTTP {response.status_code}"
                if response.status_code != 429 and response.status_code < 500:
                    self.log.append(f"GET {url} -> {response.status_code} (not retried)")
                    break
                wait = _retry_after_seconds(
                    response.headers.get("Retry-After"), self.backoff * 2**attempt
                )
            self.log.append(f"GET {url} -> {last_problem}; attempt {attempt + 1}/{attempts}")
            if attempt + 1 < attempts:
                self.sleep(min(wait, self.max_wait))
        raise SourceUnavailable(f"Kunne ikke hente {url}: {last_problem} (could not fetch).")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
