"""The view's state, shared by all pages, mirrored in the URL and restored from it.

URL parameters (Norwegian, as users see them):
  ?kommune=4601&indikator=settled_per_1000&aar=2022&fylke=46&gruppe=kostra
  &kommuner=4601,1103,5001&lang=en&present=1&palett=kontrast&zoom=kommune&skala=alle
  &skalaer=egne (the compare page: one chart per kommune, each with its own scale)
  &tall=intro_work_or_education_5y-2019 (Om dataene: the kommune's figure it traces,
  of any indicator, map or not; the map's own is traced by indikator and aar)
  (&scener=...&scene=N belong to scenes, see dashboard/scenes.py)
The canonical state lives in st.session_state["view"]. Widgets have their own keys
("w_<name>"), are set from the state before they are drawn and write back through
on_change, because Streamlit forgets a widget's key when a page without that widget
runs. Whenever the URL differs from what the app last wrote (a shared link, the
browser's back button, a link between pages), it is read again. Anything unknown or
malicious is dropped with a short note.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_loaders.catalogue import DEFAULT_INDICATOR, INDICATORS
from data_loaders.store import Store

from . import i18n, map_first, page_scroll, param_rules, scene_log
from .peers import KIND_LABEL, MAX_COMPARE

URL_KEYS = ("kommune", "indikator", "aar", "fylke", "gruppe", "kommuner", "zoom", "skala", "skalaer",
            "tall", "lang", "present", "palett")
# Parameters that widgets keep in the URL themselves (st.tabs(bind="query-params")):
# left alone here, Streamlit owns them.
WIDGET_URL_KEYS = ("fane",)


# The session's settings, as the sidebar's widgets keep them in st.session_state.
SESSION_KEYS_IN_STATE = ("lang", "present", "contrast")


def keep_session_settings() -> None:
    """Called first in every run. The sidebar's widgets show the session's settings
    (language, presentation view, palette), and Streamlit forgets a widget's state after
    a finished run that did not draw it: a run that switches page (a scene step) ends
    before the sidebar, so the presentation view switched on there fell back to the
    normal layout. Written back as the session's own, they outlive such a run."""
    for key in SESSION_KEYS_IN_STATE:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def presenting() -> bool:
    """Presentation view (?present=1): the map fills the screen, no sidebar or chrome."""
    if "present" not in st.session_state:
        st.session_state["present"] = st.query_params.get("present") == "1"
    return bool(st.session_state["present"])


def contrast() -> bool:
    """The high-contrast palette (?palett=kontrast), for projectors and low vision."""
    if "contrast" not in st.session_state:
        st.session_state["contrast"] = st.query_params.get("palett") == "kontrast"
    return bool(st.session_state["contrast"])


def language() -> str:
    lang = st.session_state.get("lang")
    if lang not in i18n.LANGUAGES:
        raw = st.query_params.get("lang")
        lang = raw if raw in i18n.LANGUAGES else "nb"
        st.session_state["lang"] = lang
    return lang


def default_year(store: Store, indicator: str) -> int | None:
    years = store.years(indicator)
    if not years:
        return None
    # Prefer the last full year: a part year is not the best first impression.
    partial = set(store.values[(store.values["indicator"] == indicator)
                               & (store.values["status"] == "partial-year")]["year"])
    full = [y for y in years if y not in partial]
    return (full or years)[-1]


def nearest_year(years: list[int], year: int) -> int:
    """The year in `years` closest to `year` (the later one on a tie)."""
    return min(years, key=lambda y: (abs(y - year), -y))


def state() -> dict:
    return st.session_state.setdefault("view", {})


def get(key: str, default=None):
    return state().get(key, default)


def put(key: str, value) -> None:
    state()[key] = value


def put_step(key: str, value) -> None:
    """A step of the map's animation: its fragment writes no address, so the view and
    the record of the view last written move together. Otherwise the view would differ
    from that record for the whole animation, and sync_from_url would take Back pressed
    meanwhile for a stale address."""
    put(key, value)
    if "_view_written" in st.session_state:
        st.session_state["_view_written"][key] = value


def _current_url() -> dict[str, str]:
    keys = URL_KEYS + WIDGET_URL_KEYS
    return {k: st.query_params.get(k) for k in keys if st.query_params.get(k) is not None}


# Every parameter some part of the app reads (scenes own the last two).
KNOWN_URL_KEYS = frozenset(URL_KEYS + WIDGET_URL_KEYS + ("scene", "scener"))


def tidy_url(lang: str) -> list[str]:
    """Drop parameters no part of the app reads (?foo=bar, a typo such as ?år=2020) and
    keep one value of a repeated one (the last, as Streamlit reads it), so the address
    says only what is shown; one note for each."""
    notes = []
    for key in list(st.query_params.keys()):
        values = st.query_params.get_all(key)
        if key not in KNOWN_URL_KEYS:
            del st.query_params[key]
            notes.append(i18n.t("unknown_param", lang, key=_quoted(key)))
        elif len(values) > 1:
            st.query_params[key] = values[-1]
            notes.append(i18n.t("param_twice", lang, key=_quoted(key), value=_quoted(values[-1])))
    return notes[:4]


def sync_from_url(store: Store, page: str) -> None:
    """Read the URL into the state when it is new to us (first load, a shared link,
    back/forward, a link from another page). `page`: the page's id in PAGE_URL_KEYS."""
    lang = language()
    tidied = tidy_url(lang)
    if tidied:
        st.session_state["_url_notes"] = st.session_state.get("_url_notes", []) + tidied
    url = _current_url()
    if st.session_state.get("_url_written") == url and "view" in st.session_state:
        return
    if ("view" in st.session_state and "_url_written" in st.session_state
            and st.session_state.get("_view_written_on") == _page()
            and state() != st.session_state.get("_view_written")):
        # A control on this page changed the view since the address was last written:
        # this run's address can be older than the view. Keys pressed on the year slider
        # faster than the browser applied each new address came back with the address of
        # two presses ago, which undid the last ones. The view wins, and the page writes
        # it. (Back and forward change no view; a page switch is always read.)
        return
    if "view" not in st.session_state or st.session_state.get("_view_written_on") not in (None, _page()):
        # A link opened, or another page's link or Back followed: it may name a place
        # on the page (the profile's tab the planner left, ?fane=).
        page_scroll.mark_arrival()
    view = state()
    bad = param_rules.invalid(url, store, view.get("indikator") or DEFAULT_INDICATOR)
    ok = {key: value for key, value in url.items() if key not in bad}

    view["indikator"] = ok.get("indikator") or view.get("indikator") or DEFAULT_INDICATOR
    years = store.years(view["indikator"])
    year = int(ok["aar"]) if "aar" in ok else view.get("aar") if view.get("aar") in years else None
    if ("aar" in bad and re.fullmatch(r"[0-9]{4}", url["aar"]) and years
            and int(url["aar"]) in store.values["year"].unique()):
        # A year that other figures have (2005 for settlement per 1,000, from 2012):
        # the nearest one this indicator has. A year of no table (1066): the default.
        year = nearest_year(years, int(url["aar"]))
    view["aar"] = year or default_year(store, view["indikator"])
    # Kommune and fylke stay from the session when the address does not name them and
    # its page does not keep them (the compare page); a page that keeps them in its
    # address had none chosen there (Back to the map before a kommune was clicked:
    # kept from the session, Back was a dead press that also wrote the kommune into
    # the older entry). Zoom and colour scale hold only while a link names them.
    owned = PAGE_URL_KEYS[page]
    view["kommune"] = ok.get("kommune") if "kommune" in url or "kommune" in owned else view.get("kommune")
    if "kommune" in bad:  # an old link to Bergen (1201) opens Bergen (4601); the note says so
        view["kommune"] = todays_kommune(url["kommune"], store)
    if view["kommune"] not in store.kommuner:
        view["kommune"] = None
    view["fylke"] = ok.get("fylke") if "fylke" in url or "fylke" in owned else view.get("fylke")
    view["zoom"] = ok.get("zoom")
    view["skala"] = ok.get("skala")
    view["skalaer"] = ok.get("skalaer")
    view["tall"] = ok.get("tall") or _nearest_figure(url.get("tall"), store)
    view["gruppe"] = ok.get("gruppe") or view.get("gruppe") or "kostra"
    if "kommuner" in url:
        view["kommuner"] = todays_kommune_list(url["kommuner"], store)[:MAX_COMPARE]
    view.setdefault("kommuner", [])

    notes = link_notes(url, bad, view, store, lang)
    st.session_state["_url_notes"] = st.session_state.get("_url_notes", []) + notes
    st.session_state["_url_written"] = url
    _note_written()


def _page() -> str | None:
    """The page this run shows (its script's hash)."""
    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx else None


def _note_written() -> None:
    """Remember the view the address now says, and on which page (see sync_from_url)."""
    st.session_state["_view_written"] = dict(state())
    st.session_state["_view_written_on"] = _page()


def _quoted(value: str) -> str:
    """A value from the link, shown in a note: quoted, and only if it is plain (a
    crafted link must not put Markdown or a long text on the page)."""
    if not re.fullmatch(r"[\w\-]{1,40}", value):  # the longest indicator id has 32
        return "«…»"
    return "«" + value.replace("_", "\\_") + "»"  # an id like settled_per_100, not italics


def _nearest_figure(value: str | None, store: Store) -> str | None:
    """A ?tall= naming an indicator and a year it lacks: that indicator's nearest year
    ('intro_work_or_education_5y-2011' -> '...-2012'); None otherwise."""
    named = param_rules.figure_named(value)
    years = store.years(named[0]) if named else []
    return f"{named[0]}-{nearest_year(years, named[1])}" if years else None


def todays_kommune(code: str, store: Store) -> str | None:
    """The one kommune that has all of a former kommune's land today (1201 -> 4601
    Bergen), or None (a split such as 1507, or no former code)."""
    targets = store.meta.get("former_targets", {}).get(code) or []
    return targets[0] if len(targets) == 1 else None


def todays_kommune_list(value: str, store: Store) -> list[str]:
    """A link's list of kommuner ("3005,4601") as today's, each once: a former code
    counts as the kommune that has all its land."""
    return param_rules.kommune_list(",".join(todays_kommune(c, store) or c for c in value.split(",")), store)


def _former_note(value: str, store: Store, lang: str) -> str | None:
    """A former kommune's code in a link: whose it was and which kommuner have its land
    today (the same sentence on every page; the compare page said "does not exist")."""
    targets = store.meta.get("former_targets", {}).get(value)
    if not targets:
        return None
    return i18n.t("former_kommune" if len(targets) > 1 else "former_kommune_one", lang,
                  value=_quoted(value), name=store.meta.get("former_kommuner", {}).get(value, value),
                  targets=", ".join(f"{c} {store.kommuner[c]}" for c in targets))


def link_notes(url: dict[str, str], bad: list[str], view: dict, store: Store, lang: str) -> list[str]:
    """One sentence per thing in the link that was not used, saying what is shown instead."""
    label = INDICATORS[view["indikator"]].label(lang).lower()
    notes = []
    for key in bad:
        value = url[key]
        if key == "kommune":
            notes.append(_former_note(value, store, lang) or i18n.t("unknown_kommune", lang, value=_quoted(value)))
        elif key == "indikator":
            named = INDICATORS.get(value)  # in the catalogue, not on the map: by its name
            notes.append(i18n.t("unknown_indicator", lang, label=label,
                                value=f"«{named.label(lang)}»" if named else _quoted(value)))
        elif key == "aar":
            notes.append(i18n.t("unknown_year", lang, value=_quoted(value), label=label, year=view["aar"]))
        elif key == "fylke":
            notes.append(i18n.t("unknown_fylke", lang, value=_quoted(value)))
        elif key == "tall" and view.get("tall"):  # a year the indicator lacks: the nearest
            indicator, shown = param_rules.traced_figure(view["tall"], store)
            notes.append(i18n.t("unknown_figure_year", lang, label=INDICATORS[indicator].label(lang),
                                year=_quoted(str(param_rules.figure_named(value)[1])), shown=shown))
        elif key == "tall":
            notes.append(i18n.t("unknown_figure", lang, value=_quoted(value)))
        elif key == "gruppe":
            notes.append(i18n.t("unknown_group", lang, value=_quoted(value),
                                group=i18n.mid_sentence(KIND_LABEL[view["gruppe"]][lang == "en"])))
        elif key == "kommuner":
            codes = [c for c in value.split(",") if c]
            unknown = [c for c in dict.fromkeys(codes) if c not in store.kommuner]
            notes += [_former_note(c, store, lang) or i18n.t("kommuner_unknown", lang, value=_quoted(c))
                      for c in unknown[:3]]
            twice = [c for c in dict.fromkeys(codes) if codes.count(c) > 1 and c in store.kommuner]
            notes += [i18n.t("kommuner_twice", lang, value=f"{store.kommuner[c]} ({c})") for c in twice[:3]]
            # Counted as the view counts them: Drammen's 3005 (today 3301) had not been
            # counted, and a sixth kommune left silently.
            known = todays_kommune_list(value, store)
            if len(known) > MAX_COMPARE:
                named, rest = i18n.at_most([f"{store.kommuner[c]} ({c})" for c in known[MAX_COMPARE:]], 3, lang)
                notes.append(i18n.t("kommuner_many", lang, n=len(known), max=MAX_COMPARE,
                                    left=i18n.join_words(named + ([rest] if rest else []), lang)))
        elif key == "fane":
            notes.append(i18n.t("unknown_tab", lang, value=_quoted(value),
                                tab="«" + i18n.profile_tab_labels(lang)[0] + "»"))
        elif key in param_rules.CHOICES:
            notes.append(i18n.t("unknown_setting", lang, key=key, value=_quoted(value)))
    return notes


def url_notes() -> list[str]:
    """The notes on the link, said once: kept, though, through a run that draws the map
    alone (dashboard.map_first), so that they stay when the whole page follows."""
    notes = st.session_state.get("_url_notes", [])
    if not map_first.held():
        st.session_state["_url_notes"] = []
    return notes


@contextlib.contextmanager
def unknown_page_as_note(url_paths: tuple[str, ...], lang: str) -> Iterator[None]:
    """Around st.navigation: an address naming no page (/kart2, a typo) opens the map
    with a note in the user's language, like any other unknown part of a link, instead
    of Streamlit's English "Page not found" dialog. The page asked for is read from
    Streamlit's page manager and the dialog's message held back from this session's
    queue; if a release renames either, the dialog comes back, nothing worse."""
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    asked = getattr(manager, "intended_page_name", None)
    if (not isinstance(asked, str) or not asked or asked in url_paths
            or getattr(manager, "intended_page_script_hash", None)):
        yield
        return

    def enqueue_all_but_dialog(msg, enqueue=ctx.enqueue) -> None:
        try:
            dialog = msg.HasField("page_not_found")
        except ValueError:  # a release without that message
            dialog = False
        if not dialog:
            enqueue(msg)

    ctx.enqueue = enqueue_all_but_dialog  # this session's run only
    try:
        yield
    finally:
        del ctx.enqueue  # the class's method again
    st.session_state["_url_notes"] = (st.session_state.get("_url_notes", [])
                                      + [i18n.t("unknown_page", lang, page=_quoted(asked))])


# What each page keeps in its address (pages write these; links to a page carry these).
# A link that carries exactly what its page will write makes a page switch one entry in
# the browser's history: with fewer keys, the page added them as a second entry, and
# Back landed on the same view (a dead press).
PAGE_URL_KEYS = {
    "kart": ("kommune", "indikator", "aar", "fylke", "zoom", "skala"),
    "profil": ("kommune", "gruppe", "indikator", "aar"),
    "sammenlign": ("kommuner", "skalaer"),
    "om-dataene": ("kommune", "indikator", "aar"),  # only while it traces a kommune's figure
}
# ... or, tracing a figure a link names with ?tall= (from the profile), that instead.
TRACE_URL_KEYS = ("kommune", "tall")


def page_url_keys(page: str) -> tuple[str, ...]:
    """The keys `page` writes into its address for the view in the state."""
    if page == "om-dataene" and not get("kommune"):
        return ()
    if page == "om-dataene" and get("tall"):
        return TRACE_URL_KEYS
    return PAGE_URL_KEYS[page]


def trace_params(code: str, indicator: str, year: int) -> dict[str, str]:
    """The parameters of a link to Om dataene tracing `code`'s figure of `indicator` in
    `year`: exactly what that page will write, so the switch is one history entry."""
    return {"kommune": code, "tall": f"{indicator}-{year}", **session_params()}


def link_params(page: str) -> dict[str, str]:
    """The parameters of a link to `page` showing the view in the state. To the profile
    also the tab it remembers (Streamlit writes it into the address on arrival, which
    made a second history entry when the link lacked it)."""
    params = url_params(*page_url_keys(page))
    tab = st.session_state.get("fane")
    if page == "profil" and tab and tab != i18n.profile_tab_labels(language())[0]:
        params["fane"] = tab
    return params


class PageEnd(Exception):
    """Raised by end_page inside page_run."""


_frame = threading.local()  # one script thread per session run


@contextlib.contextmanager
def page_run() -> Iterator[None]:
    """Around the frame's navigation.run(): a page may end early with end_page, and the
    frame goes on (to draw the sidebar's page menu)."""
    _frame.running_page = True
    try:
        yield
    except PageEnd:
        pass
    finally:
        _frame.running_page = False


def end_page() -> None:
    """End this page's run here. Under the frame, only the page's run: st.stop() would
    also end the frame's, whose menu is drawn after the page with the view it ended on.
    A page run without the frame (AppTest's switch_page runs the page file alone)
    stops as with st.stop()."""
    if getattr(_frame, "running_page", False):
        raise PageEnd
    st.stop()


def url_params(*keys: str) -> dict[str, str]:
    """The state's URL parameters for `keys` (what a link to another page carries)."""
    view = state()
    out = {}
    for key in keys:
        value = view.get(key)
        if key == "kommuner":
            value = ",".join(value) if value else None
        if value not in (None, "", []):
            out[key] = str(value)
    return {**out, **session_params()}


def session_params() -> dict[str, str]:
    """What the user chose for the whole session (language, presentation view, palette):
    carried by every link, to any page and any scene."""
    out = {}
    if st.session_state.get("lang") == "en":
        out["lang"] = "en"
    if st.session_state.get("present"):
        out["present"] = "1"
    if st.session_state.get("contrast"):
        out["palett"] = "kontrast"
    return out


def absolute_url(page: str, params: dict[str, str]) -> str:
    """The address of a view, for exports and scenes: the page and its parameters under
    PUBLIC_URL (the address the audience can reach, e.g. https://kart.example.no/) if
    set, otherwise the address this browser uses (the map is the app's front page)."""
    base = os.environ.get("PUBLIC_URL") or st.context.url or "http://localhost:8501/"
    parts = urlsplit(base)
    root = parts.path.rstrip("/") if os.environ.get("PUBLIC_URL") else ""
    path = f"{root}/" if page == "kart" else f"{root}/{page}"
    # Commas left as they are: a list of kommuner reads "3301,4601", not "3301%2C4601".
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{urlencode(params, safe=',')}" if params else "")


def permalink(page: str, *keys: str) -> str:
    """The link back to the view shown: the state's parameters for `keys`, plus any
    parameters Streamlit's own widgets keep in the URL (the profile's tab)."""
    params = url_params(*keys)
    params.update({k: st.query_params[k] for k in WIDGET_URL_KEYS if k in st.query_params})
    return absolute_url(page, params)


def write_url(*keys: str, tab: str | None = None) -> None:
    """Show the state in the URL (only the keys this page uses), if it changed.
    `tab`: the profile tab open (its URL parameter is Streamlit's, and may lag a run)."""
    target = url_params(*keys)
    current = {k: st.query_params.get(k) for k in URL_KEYS if st.query_params.get(k) is not None}
    switch = st.session_state.get("_scene_switch")
    if switch and not switch["done"] and current == target:
        # A run while a scene switch is pending sends its address again. The browser may
        # show another: Streamlit's frontend puts a switch's address on the page then
        # shown, and a key's rerun can overtake that switch (the address said scene 1 on
        # the profile of scene 3). No history entry where the browser already shows it;
        # where it did not, the wrong address stays one entry back.
        st.query_params.update({})
    if current != target:
        # One message for all the keys set: each change of the address is one entry in
        # the browser's history, and Back should undo a view, not one key of it (a page
        # switch that set three keys took four presses of Back).
        changed = {k: target[k] for k in URL_KEYS if k in target and current.get(k) != target[k]}
        for key in current.keys() - target.keys():
            del st.query_params[key]
        if changed:
            st.query_params.update(changed)
    st.session_state["_url_written"] = _current_url()
    _note_written()
    _keep_scene_link_true(tab)
    if scene_log.ENABLED:  # the address is read again only for the log
        scene_log.note("written", url=_current_url())


SESSION_KEYS = ("lang", "present", "palett")  # how the session looks, not what it shows


def drop_scene_link() -> None:
    """The address names no deck and no scene (the session keeps its deck)."""
    for key in ("scene", "scener"):
        if key in st.query_params:
            del st.query_params[key]


def _keep_scene_link_true(tab: str | None = None) -> None:
    """An address with ?scene=N must open what is on the screen. The view written first
    after a scene is shown is that scene's; once the viewer moves away from it (another
    year, kommune, tab ...), the address drops the scene and the deck, and is a plain
    link to the view again. The deck stays in the session: stepping on still works and
    writes them back."""
    switch = st.session_state.get("_scene_switch")
    if switch and switch.get("arriving"):
        switch["done"] = True  # the scene switched to has run to its end (scene_ui._switch_again)
    if "scene" not in st.query_params or not st.session_state.get("deck"):
        return
    shown = {k: v for k, v in st.session_state["_url_written"].items() if k not in SESSION_KEYS}
    if tab:  # the tab on the screen, whether or not the URL has it yet
        shown["fane"] = tab
    if "fane" in shown:  # the same tab in either language is the same view ...
        shown["fane"] = i18n.profile_tab(shown["fane"], "nb") or shown["fane"]
        if shown["fane"] == i18n.profile_tab_labels("nb")[0]:  # ... and the first is the default
            del shown["fane"]
    position = (st.query_params.get("scener"), st.query_params.get("scene"))
    if st.session_state.get("_scene_view_of") != position:
        st.session_state["_scene_view_of"], st.session_state["_scene_view"] = position, shown
    elif shown != st.session_state.get("_scene_view"):
        scene_log.note("drop: view moved", shown=shown, scene_view=st.session_state.get("_scene_view"))
        drop_scene_link()
        st.session_state["_scene_view_of"] = None


def bind(widget_key: str, state_key: str, only_if_changed: bool = False) -> None:
    """Before drawing a widget: give it the state's value. Given on every run, the value
    goes to the browser with the widget even where it is the same, so a box shows its
    choice in the language now chosen (a box left alone sent back its old label).
    `only_if_changed`: for a widget whose labels never change (the year slider), where
    resending would replace a value the browser already moved on from: a key pressed
    again while the last press was still running was lost that way."""
    value = state().get(state_key)
    if not only_if_changed or st.session_state.get(widget_key) != value:
        st.session_state[widget_key] = value


def on_change(widget_key: str, state_key: str, then=None):
    """A callback that copies the widget's value into the state."""
    def callback():
        put(state_key, st.session_state[widget_key])
        if then:
            then()
    return callback


def start_page(store: Store, page: str, notes_here: bool = True) -> str:
    """What every data page does first: read the URL into the state, show any note on
    what the link contained that does not exist (`notes_here`; else the page places
    them with show_url_notes), and return the language."""
    lang = language()
    sync_from_url(store, page)
    if notes_here:
        show_url_notes(url_notes())
    return lang


def show_url_notes(notes: list[str]) -> None:
    """The notes on a link: one box, or in the presentation view toasts over the page."""
    if notes and presenting():
        # Over the page, not above it: in the presentation view the page fills the
        # screen, and a box above the map pushed its legend and zoom below the screen.
        # Not in a run that draws the map alone: the whole page's run says them.
        if not map_first.held():
            for note in notes:
                st.toast(note, icon=":material/info:", duration="long")
    elif notes:  # one box, however many notes: at 720p three boxes would push the page down
        st.info(notes[0] if len(notes) == 1 else "\n".join(f"- {note}" for note in notes),
                icon=":material/info:")
