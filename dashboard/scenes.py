"""Scenes: an ordered list of views a presenter steps through.

A scene is a page and the URL parameters of a view on it, plus an optional title. A deck
of scenes is saved as a small JSON file:

    {"format": "integreringskart-scener", "version": 1, "title": "Lunsjseminar",
     "scenes": [{"title": "Bosatte per 1000, 2022", "page": "kart",
                 "params": {"indikator": "settled_per_1000", "aar": "2022", "fylke": "46"}}]}

and travels in links as `?scener=<token>&scene=N` (the same JSON, compressed and
base64url-encoded), so every scene has its own permalink and a deck needs no server.
A deck is validated as a whole against the store: one bad scene and nothing is loaded,
with a message naming the scene and the problem. Pure: no Streamlit here.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass, field

from data_loaders.store import Store

from . import param_rules
from .peers import MAX_COMPARE

FORMAT = "integreringskart-scener"
VERSION = 1
MAX_SCENES = 50
MAX_BYTES = 100_000  # a deck is a few hundred bytes; anything far larger is not one
PAGES = ("kart", "profil", "sammenlign")
PAGE_FILES = {"kart": "pages/kart.py", "profil": "pages/profil.py", "sammenlign": "pages/sammenlign.py"}
# The view parameters a scene may carry on each page (the rest of a URL is left out).
PAGE_PARAMS = {
    "kart": ("indikator", "aar", "fylke", "kommune", "zoom", "skala", "palett"),
    "profil": ("kommune", "gruppe", "fane", "palett"),
    "sammenlign": ("kommuner", "skalaer", "palett"),
}


class SceneError(ValueError):
    """A deck that cannot be loaded; the message says why, for people."""

    def __init__(self, nb: str, en: str):
        super().__init__(nb)
        self.nb, self.en = nb, en

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.nb


@dataclass(frozen=True)
class Scene:
    page: str
    params: dict[str, str] = field(default_factory=dict)
    title: str = ""

    def as_dict(self) -> dict:
        out = {"page": self.page, "params": dict(self.params)}
        if self.title:
            out["title"] = self.title
        return out


@dataclass(frozen=True)
class Deck:
    scenes: tuple[Scene, ...]
    title: str = ""

    def as_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "title": self.title,
                "scenes": [s.as_dict() for s in self.scenes]}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def token(self) -> str:
        """The deck for a URL: compact JSON, deflated, base64url without padding."""
        compact = json.dumps(self.as_dict(), ensure_ascii=False, separators=(",", ":"))
        packed = zlib.compress(compact.encode("utf-8"), 9)
        return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def _fail(nb: str, en: str):
    raise SceneError(nb, en)


def _problem(key: str, value: str) -> tuple[str, str]:
    """What is wrong with a scene's parameter (bokmål, English)."""
    if key in param_rules.CHOICES:
        allowed = ", ".join(param_rules.CHOICES[key])
        return f"«{key}» kan være {allowed}.", f"'{key}' can be {allowed}."
    return {
        "indikator": (f"ukjent indikator «{value}».", f"unknown indicator '{value}'."),
        "aar": (f"året «{value}» finnes ikke for denne indikatoren.",
                f"the year '{value}' does not exist for this indicator."),
        "kommune": (f"ukjent kommunenummer «{value}».", f"unknown kommune number '{value}'."),
        "kommuner": (f"«kommuner» må være 1–{MAX_COMPARE} kjente kommunenummer, hvert én gang.",
                     f"'kommuner' must be 1–{MAX_COMPARE} known kommune numbers, each once."),
        "fylke": (f"ukjent fylkesnummer «{value}».", f"unknown fylke number '{value}'."),
        "fane": ("«fane» må være navnet på en av profilens faner.",
                 "'fane' must be the name of one of the profile's tabs."),
    }[key]


def _check_params(number: int, page: str, params: dict, store: Store) -> dict[str, str]:
    """The scene's parameters as strings, each checked against the store."""
    where = f"Scene {number}"
    if not isinstance(params, dict):
        _fail(f"{where}: «params» må være et objekt.", f"{where}: 'params' must be an object.")
    out: dict[str, str] = {}
    for key, value in params.items():
        if key not in PAGE_PARAMS[page]:
            _fail(f"{where}: ukjent innstilling «{key}» for siden «{page}».",
                  f"{where}: unknown setting '{key}' for the page '{page}'.")
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            _fail(f"{where}: «{key}» må være tekst eller et tall.",
                  f"{where}: '{key}' must be text or a number.")
        out[key] = str(value)
    for key in param_rules.invalid(out, store):
        nb, en = _problem(key, out[key])
        _fail(f"{where}: {nb}", f"{where}: {en}")
    if out.get("zoom") == "kommune" and "kommune" not in out:
        _fail(f"{where}: zoom til kommune krever en kommune.",
              f"{where}: zooming to a kommune needs a kommune.")
    if page == "profil" and "kommune" not in out:
        _fail(f"{where}: en profil trenger en kommune.", f"{where}: a profile needs a kommune.")
    if page == "sammenlign" and "kommuner" not in out:  # an empty page, nothing to show
        _fail(f"{where}: en sammenligning trenger minst én kommune.",
              f"{where}: a comparison needs at least one kommune.")
    return out


def from_dict(doc, store: Store) -> Deck:
    """A deck from parsed JSON, validated whole; SceneError on the first problem."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        _fail("Dette er ikke en scenefil fra Integreringskart.",
              "This is not an Integreringskart scene file.")
    if doc.get("version") != VERSION:
        _fail(f"Scenefila har versjon {doc.get('version')!r}; denne appen leser versjon {VERSION}.",
              f"The scene file has version {doc.get('version')!r}; this app reads version {VERSION}.")
    scenes = doc.get("scenes")
    if not isinstance(scenes, list) or not 1 <= len(scenes) <= MAX_SCENES:
        _fail(f"Scenefila må ha mellom 1 og {MAX_SCENES} scener.",
              f"The scene file must hold between 1 and {MAX_SCENES} scenes.")
    title = doc.get("title", "")
    if not isinstance(title, str):
        _fail("Tittelen må være tekst.", "The title must be text.")
    out = []
    for number, raw in enumerate(scenes, start=1):
        if not isinstance(raw, dict) or raw.get("page") not in PAGES:
            _fail(f"Scene {number}: «page» må være en av {', '.join(PAGES)}.",
                  f"Scene {number}: 'page' must be one of {', '.join(PAGES)}.")
        scene_title = raw.get("title", "")
        if not isinstance(scene_title, str):
            _fail(f"Scene {number}: tittelen må være tekst.", f"Scene {number}: the title must be text.")
        params = _check_params(number, raw["page"], raw.get("params", {}), store)
        out.append(Scene(raw["page"], params, scene_title.strip()[:120]))
    return Deck(tuple(out), title.strip()[:120])


def from_json(data: bytes | str, store: Store) -> Deck:
    """A deck from the bytes of a scene file."""
    if len(data) > MAX_BYTES:
        _fail("Scenefila er for stor til å være en scenefil.", "The file is too large to be a scene file.")
    try:
        doc = json.loads(data)
    except UnicodeDecodeError:
        _fail("Scenefila er ikke tekst (UTF-8), så den er ikke en scenefil.",
              "The scene file is not text (UTF-8), so it is not a scene file.")
    except json.JSONDecodeError as exc:  # where, in words; Python's own text is English only
        _fail(f"Scenefila er ikke gyldig JSON (feil på linje {exc.lineno}, tegn {exc.colno}).",
              f"The scene file is not valid JSON (error at line {exc.lineno}, character {exc.colno}).")
    return from_dict(doc, store)


def from_token(token: str, store: Store) -> Deck:
    """A deck from the `scener` URL parameter."""
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, MAX_BYTES + 1)
        if not inflater.eof and len(data) <= MAX_BYTES:  # a link cut short: the stream stops early
            raise ValueError("truncated")
    except (binascii.Error, ValueError, zlib.error):
        _fail("Scenelenken er skadet og kunne ikke leses.", "The scene link is damaged and could not be read.")
    return from_json(data, store)


def capture(page: str, query: dict[str, str], title: str = "") -> Scene:
    """The scene of the view now shown: its page and the parameters that page keeps."""
    params = {k: v for k, v in query.items() if k in PAGE_PARAMS.get(page, ())}
    return Scene(page, params, title.strip()[:120])


def permalink_params(deck: Deck, index: int, extra: dict[str, str]) -> dict[str, str]:
    """Query parameters of scene `index` (0-based): the view, then the deck and position."""
    return {**deck.scenes[index].params, **extra, "scener": deck.token(), "scene": str(index + 1)}
