"""Scenes in the app: build a deck from the views shown, save and load it, step through
it with buttons, the arrow keys or a presentation clicker (Page Up / Page Down).

The deck is kept in st.session_state["deck"]; the scene shown is ?scene=N and the deck
itself travels in ?scener=<token>, so each scene's URL is its permalink. Stepping to a
scene resets the view and switches to the scene's page with the scene's parameters:
the pages then read the view from the URL as for any shared link.
"""

from __future__ import annotations

import re
import time

import streamlit as st
import streamlit.components.v2 as components

from data_loaders.store import Store

from . import exports, i18n, map_first, page_scroll, scene_log, scenes, styles, view_state as vs

# Keys that step through the scenes. Clickers send Page Up / Page Down (some send the
# arrow keys). Ignored while a form field, slider, tab list or menu has the focus, so
# the arrow keys keep their usual meaning there.
_KEYS_JS = """
export default function ({ setTriggerValue }) {
  const steps = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
  const busy = 'input, textarea, select, [role="slider"], [role="tab"], [role="listbox"], ' +
               '[role="combobox"], [role="option"], [role="menu"], [contenteditable="true"]';
  const onKey = (event) => {
    const step = steps[event.key];
    if (!step || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const page = event.key === 'PageUp' || event.key === 'PageDown';
    const target = event.target;
    // Page Up / Page Down always step (a clicker must work whatever has the focus, even
    // the year slider); the arrow keys only when no form field or slider wants them.
    if (!page && target && target.closest && target.closest(busy)) return;
    event.preventDefault();
    event.stopPropagation();
    setTriggerValue('step', step);
  };
  document.addEventListener('keydown', onKey, true);  // capture: before the focused widget
  return () => document.removeEventListener('keydown', onKey, true);
}
"""
_scene_keys = components.component("integreringskart.scene_keys", js=_KEYS_JS)

# The bar shown over the page in the presentation view (no sidebar there).
# Beside the map's zoom buttons (bottom left), clear of the legend (bottom right).
_BAR_CSS = ("<style>.st-key-ik_scenebar{position:fixed;left:5rem;bottom:0.6rem;z-index:1000;"
            "width:auto;max-width:560px;background:rgba(255,255,255,0.96);border-radius:8px;"
            "padding:2px 8px;box-shadow:0 1px 5px rgba(0,0,0,0.35)}"
            # As wide as its buttons and count (and title, up to 560 px): a 560 px bar
            # with "2/2" in it covered the map's foot for nothing.
            ".st-key-ik_scenebar [data-testid='stColumn']{width:auto;flex:0 1 auto;min-width:0}"
            ".st-key-ik_scenebar [data-testid='stMarkdownContainer']{margin-bottom:0}"
            # px, not rem: the presentation view's larger root size on the profile and
            # compare pages would cut "Neste" to "Nes…" in the bar's fixed width.
            ".st-key-ik_scenebar p{font-size:17px;margin:0;white-space:nowrap;overflow:hidden;"
            "text-overflow:ellipsis}</style>")
# The key listener and the fixed bar take no room, but the page's column would still put
# a gap (1rem) after each: cancel it, so a deck does not push the map 32 px down (its
# bottom then went behind the bar).
_NO_GAP_CSS = ("<style>.st-key-ik_scene_keys,"
               "[data-testid='stLayoutWrapper']:has(> .st-key-ik_scenebar){margin-bottom:-1rem}</style>")
# On the profile and compare pages the bar goes into the right margin the presentation
# view keeps free (under the exit icon), stacked and icon-only: across the foot of the
# screen it covered what stood there (a chart's warning, a table's header). The buttons
# keep their labels for screen readers and as tooltips.
_MARGIN_CSS = ("<style>.st-key-ik_scenebar{position:fixed;right:0.45rem;bottom:0.6rem;z-index:1000;"
               "width:auto;background:rgba(255,255,255,0.96);border-radius:8px;padding:4px;"
               "box-shadow:0 1px 5px rgba(0,0,0,0.35);gap:0.3rem}"
               f".st-key-ik_scenebar button p{{{styles.ICON_ONLY_LABEL}}}"
               # Streamlit pulls a Markdown block's foot up by 1rem (its last paragraph's
               # margin); without that margin the count went under the next button.
               ".st-key-ik_scenebar [data-testid='stMarkdownContainer']{margin-bottom:0}"
               ".st-key-ik_scenebar [data-testid='stMarkdownContainer'] p{font-size:15px;margin:0;"
               "text-align:center}</style>")


def deck() -> scenes.Deck | None:
    return st.session_state.get("deck")


def index() -> int:
    return st.session_state.get("scene_index", 0)


def permalink(current: scenes.Deck, i: int) -> str:
    """The absolute URL of scene i (0-based)."""
    return vs.absolute_url(current.scenes[i].page, scenes.permalink_params(current, i, vs.session_params()))


def _set_deck(new: scenes.Deck | None, i: int = 0, in_url: bool = True) -> None:
    """Keep the deck, and put it in the URL: the URL's deck is the one in use. With
    `in_url` False (the view shown is not scene i), the URL holds neither."""
    st.session_state["deck"] = new
    st.session_state["scene_index"] = i
    st.session_state["_deck_token"] = new.token() if new else None
    if new and in_url:
        st.query_params["scener"] = st.session_state["_deck_token"]
        st.query_params["scene"] = str(i + 1)
    else:
        vs.drop_scene_link()


def _request(i: int) -> None:
    """Callbacks cannot switch pages: remember the wish, the script acts on it."""
    current = deck()
    if current:
        st.session_state["_goto_scene"] = max(0, min(i, len(current.scenes) - 1))


def _on_key() -> None:
    # Keys pressed in quick succession can arrive while a page switch has unmounted the
    # component (its state is then gone): such a key is simply dropped.
    result = st.session_state.get("ik_scene_keys")
    step = result.get("step") if hasattr(result, "get") else None
    scene_log.note("key", step=step)
    if step in (1, -1):
        _request(st.session_state.get("_goto_scene", index()) + step)


def _go(i: int, tries: int = 0) -> None:
    """Show scene i: switch to its page with its parameters. `tries`: how often this
    step was switched again (see _switch_again)."""
    current = deck()
    scene = current.scenes[i]
    st.session_state["scene_index"] = i
    # A scene is a whole view: nothing from the last one stays, and the view is read
    # from the scene's URL even when that URL is the one already shown.
    st.session_state.pop("view", None)
    st.session_state.pop("_url_written", None)
    st.session_state["playing"] = False
    page_scroll.mark_arrival()  # the scene's page opens at its top, or at its saved tab
    if scene.page == "profil":
        # The profile's tab is a widget bound to ?fane=: it is opened through its state
        # (the scene's tab, or the first), never written into the URL by hand.
        lang = vs.language()
        st.session_state["fane"] = (i18n.profile_tab(scene.params.get("fane"), lang)
                                    or i18n.profile_tab_labels(lang)[0])
    params = {k: v for k, v in scenes.permalink_params(current, i, vs.session_params()).items()
              if k != "fane"}
    # Until the scene's page has run to its end (view_state marks it done), a run of
    # any other scene or page is a late rerun from the browser (see _switch_again).
    st.session_state["_scene_switch"] = {"to": i, "tries": tries, "done": False, "arriving": False}
    scene_log.note("go", to=i, page=scene.page)
    st.switch_page(scenes.PAGE_FILES[scene.page], query_params=params)


def follow_url(store: Store, lang: str, page: str | None) -> None:
    """Load a deck from the URL (?scener=...), keep the position in step with ?scene=N
    (the browser's back button), and carry out a pending step. `page`: the page shown."""
    scene_log.new_run(page)
    token = st.query_params.get("scener")
    if not token:  # a position in no deck (or an empty one) means nothing: not kept
        vs.drop_scene_link()
    elif token != st.session_state.get("_deck_token"):
        try:
            loaded = scenes.from_token(token, store)
        except scenes.SceneError as exc:
            # Said once; what we had stays, and the address no longer passes the bad deck on.
            vs.drop_scene_link()
            st.session_state["_scene_note"] = ("error", i18n.t("scene_bad", lang, why=exc.text(lang)))
        else:
            number = st.query_params.get("scene")
            i = _scene_number(number, len(loaded.scenes))
            if number is not None and i is None:  # said after the switch to scene 1
                st.session_state["_scene_note"] = ("warning", i18n.t(
                    "scene_unknown", lang, number=number if re.fullmatch(r"[0-9]{1,6}", number) else "…",
                    n=len(loaded.scenes)))
                st.query_params["scene"] = "1"
            i = i or 0
            st.session_state["deck"], st.session_state["scene_index"] = loaded, i
            st.session_state["_deck_token"] = token
            shown = scenes.capture(page or "", {k: st.query_params[k] for k in st.query_params})
            if (shown.page, shown.params) != (loaded.scenes[i].page, loaded.scenes[i].params):
                _go(i)  # a link to the deck (or a shortened one): show the scene itself
    elif deck():
        i = _scene_number(st.query_params.get("scene"), len(deck().scenes))
        if "_goto_scene" not in st.session_state:  # a newer step wins
            _switch_again(i, page)
        if i is not None and page != deck().scenes[i].page:
            # Another page with this scene's address (a late rerun past the limit, a
            # hand-made link): the address must not claim a scene the screen does not show.
            scene_log.note("drop: another page", page=page)
            vs.drop_scene_link()
        elif i is not None:
            st.session_state["scene_index"] = i  # e.g. the browser's back button
    if "_goto_scene" in st.session_state:
        scene_log.note("step")
        _go(st.session_state.pop("_goto_scene"))
    if note := st.session_state.get("_scene_note"):  # forgotten at the run's end (end_run)
        kind, text = note
        if kind == "error":
            st.error(text, icon=":material/error:")
        else:
            st.warning(text, icon=":material/info:")


def end_run() -> None:
    """The frame's last step: a note on a scene link has been said, unless this run drew
    the map alone (dashboard.map_first), when the whole page's run, a second later, says
    it again (it had taken it away). A run cut short by a page switch never gets here:
    the note is said on the page switched to."""
    if not map_first.held():
        st.session_state.pop("_scene_note", None)


# How often one step is switched again (see _switch_again). Under CPU load a flurry of
# four keys brought three late reruns of the old page for one step. Bounded, so that a
# switch that never reaches its end cannot hold the viewer: past this, the back button
# and the page links win (and follow_url keeps the address honest).
SWITCH_AGAIN_MAX = 6


def _switch_again(i: int | None, page: str | None) -> None:
    """A key pressed while the browser is still switching to a scene sends a rerun of
    what it showed before: the old page, with the old scene's address or already the
    new one. Run as it comes, it would show the old scene (or a mix) while the address
    bar ends at the new scene. Seen as: the last switch has not yet run to its end, and
    this run is not its scene on its page. Then switch again, a few times per step.
    `i`: the scene in this run's address (None: none)."""
    switch = st.session_state.get("_scene_switch")
    if not switch or switch["done"]:
        return
    to = switch["to"]
    # Only a run of the scene on its own page can complete the switch: view_state marks
    # it done when such a run reaches its end (a late rerun of the old page may already
    # carry the new scene's number, and must not).
    switch["arriving"] = to < len(deck().scenes) and i == to and page == deck().scenes[to].page
    scene_log.note("pending", page=page)
    if not switch["arriving"] and switch["tries"] < SWITCH_AGAIN_MAX and to < len(deck().scenes):
        _go(to, switch["tries"] + 1)
    if switch["arriving"] and not switch.get("read"):
        # The scene's view afresh from its address, once per switch (a later arriving
        # run may carry a choice the viewer made meanwhile): a late run in between may
        # have read another scene's view into the session (the profile of scene 3
        # showed scene 2's year).
        switch["read"] = True
        st.session_state.pop("view", None)
        st.session_state.pop("_url_written", None)
    # Not switched again: this run shows what it shows, and view_state.write_url sends
    # its address again at its end, as for any run while a switch is pending.


def _scene_number(number: str | None, count: int) -> int | None:
    """The index of `?scene=N` (1-based in the URL), or None if it names no scene."""
    if number and re.fullmatch(r"[0-9]{1,3}", number) and 1 <= int(number) <= count:
        return int(number) - 1
    return None


def _uploader_key() -> str:
    # A new key after each file read: the uploader is empty again, and the same file
    # is never read twice (Streamlit may call on_change again when the page changes).
    return f"w_scene_file_{st.session_state.get('_scene_uploads', 0)}"


def _load_file(store: Store, lang: str) -> None:
    upload = st.session_state.get(_uploader_key())
    if upload is None:
        return
    st.session_state["_scene_uploads"] = st.session_state.get("_scene_uploads", 0) + 1
    try:
        loaded = scenes.from_json(upload.getvalue(), store)
    except scenes.SceneError as exc:
        _say("error", i18n.t("scene_bad", lang, why=exc.text(lang)))
        return
    _set_deck(loaded)
    _say("success", i18n.t("scene_loaded", lang, n=len(loaded.scenes), name=upload.name))
    _request(0)


# How long the panel's message on a loaded file (or a refused one) stays at least,
# counted from when the first scene is shown. A loaded file switches to its first
# scene, which may take several runs (a page switch, a rerun the browser sent before it
# learnt of the switch): said in one run only, the message was gone before it could be
# read (seen in CI); counted from the upload, it was gone on a slow machine (CI again).
MESSAGE_S = 10.0


def _say(kind: str, text: str) -> None:
    st.session_state["_scene_message"] = (kind, text, time.monotonic())


def _add(page: str, store: Store, lang: str) -> None:
    title = st.session_state.get("w_scene_title", "")
    scene = scenes.capture(page, {k: st.query_params[k] for k in st.query_params}, title)
    current = deck()
    updated = scenes.Deck((*(current.scenes if current else ()), scene), current.title if current else "")
    try:  # checked as a saved file is when loaded: a scene it would refuse is not added
        scenes.from_dict(updated.as_dict(), store)
    except scenes.SceneError as exc:
        _say("error", i18n.t("scene_not_added", lang, why=exc.text(lang)))
        return
    _set_deck(updated, len(updated.scenes) - 1)
    st.session_state["w_scene_title"] = ""


def _remove(i: int) -> None:
    current = deck()
    rest = tuple(s for j, s in enumerate(current.scenes) if j != i)
    # The view shown was the scene removed: the address is a plain link to it now.
    _set_deck(scenes.Deck(rest, current.title) if rest else None, max(0, min(i, len(rest) - 1)),
              in_url=False)


def _retitle() -> None:
    current = deck()
    if current:
        title = st.session_state.get("w_deck_title", "").strip()[:120]
        _set_deck(scenes.Deck(current.scenes, title), index(), in_url="scene" in st.query_params)


def deck_file_name(current: scenes.Deck) -> str:
    """'integreringskart-scener_Lunsjseminar-pa-Hamar.json' for a deck titled so."""
    return exports.file_stem(current.title).replace("integreringskart", "integreringskart-scener", 1) + ".json"


def _clear() -> None:
    _set_deck(None)


def _step_buttons(lang: str, current: scenes.Deck, where: str) -> None:
    """Previous / "Scene i of n: title" / next: in one row in the presentation bar, the
    line above the two buttons in the (narrow) sidebar."""
    i, n = index(), len(current.scenes)
    if where == "bar":
        left, middle, right = st.columns([1.5, 3, 1.25], vertical_alignment="center")
    elif where == "margin":  # stacked: previous, the count, next
        left, middle, right = st.container(), st.container(), st.container()
    else:
        middle = st.container()
        left, right = st.columns(2)
    left.button(i18n.t("scene_prev_short", lang), icon=":material/arrow_back:", key=f"ik_{where}_prev",
                disabled=i == 0, help=i18n.t("scene_prev", lang), on_click=_request, args=(i - 1,))
    title = current.scenes[i].title
    count = f"{i + 1}/{n}" if where in ("bar", "margin") else i18n.t("scene_of", lang, i=i + 1, n=n)
    middle.markdown(count + (f": {i18n.plain_markdown(title)}" if title and where != "margin" else ""))
    right.button(i18n.t("scene_next_short", lang), icon=":material/arrow_forward:",
                 key=f"ik_{where}_next", disabled=i == n - 1, help=i18n.t("scene_next", lang),
                 on_click=_request, args=(i + 1,))


# Streamlit's file uploader speaks only English (streamlit/streamlit#13500): in the
# bokmål UI its two texts are swapped for Norwegian ones by CSS. The English text is
# made invisible and takes no room (and is silent for screen readers); the Norwegian
# one is generated content, which screen readers do read.
_UPLOADER_NB_CSS = "<style>" + "".join(
    f".st-key-ik_scene_upload {where}{{visibility:hidden;font-size:0}}"
    f".st-key-ik_scene_upload {where}::after{{content:'{text}';visibility:visible;font-size:14px}}"
    for where, text in (("button [data-testid='stMarkdownContainer'] p", "Last opp"),
                        ("[data-testid='stFileUploaderDropzoneInstructions'] span",
                         "Høyst 200 MB per fil • JSON"))) + "</style>"


def presenter_bar(lang: str, page: str | None) -> None:
    """Previous / next over the page (the presentation view has no sidebar)."""
    current = deck()
    if not current:
        return
    _scene_keys(key="ik_scene_keys", on_step_change=_on_key, height=0)
    if not st.session_state.get("present"):
        st.html(_NO_GAP_CSS)
        return
    where = "bar" if page == "kart" else "margin"
    st.html(_NO_GAP_CSS + (_BAR_CSS if where == "bar" else _MARGIN_CSS))
    with st.container(key="ik_scenebar"):
        _step_buttons(lang, current, where)


def sidebar_panel(store: Store, lang: str, page: str) -> None:
    """The scene list in the sidebar: add the view shown, step, save, load."""
    current = deck()
    with st.expander(i18n.t("scenes", lang), expanded=current is not None, icon=":material/slideshow:"):
        st.caption(i18n.t("scenes_help", lang))
        if message := st.session_state.get("_scene_message"):
            kind, text, said_at = message
            (st.error if kind == "error" else st.success)(text)
            switch = st.session_state.get("_scene_switch")
            if switch and not switch["done"]:  # its time starts when the scene is shown
                st.session_state["_scene_message"] = (kind, text, time.monotonic())
            elif time.monotonic() - said_at > MESSAGE_S:
                del st.session_state["_scene_message"]
        if current:
            # The deck's own title names the saved file: one file per talk.
            st.session_state["w_deck_title"] = current.title
            st.text_input(i18n.t("deck_title", lang), key="w_deck_title", max_chars=120,
                          on_change=_retitle, placeholder=i18n.t("deck_title_hint", lang))
            _step_buttons(lang, current, "side")
            for j, scene in enumerate(current.scenes):
                label = f"{j + 1}. {i18n.plain_markdown(scene.title) or scenes_label(scene, store, lang)}"
                st.markdown(f"**{label}**" if j == index() else label)
            st.caption(i18n.t("scene_keys", lang))
            st.markdown(f"[{i18n.t('scene_link', lang)}]({permalink(current, index())})")
            st.download_button(i18n.t("scene_save", lang), current.to_json().encode("utf-8"),
                               file_name=deck_file_name(current), mime="application/json",
                               icon=":material/download:")
            cols = st.columns(2)
            cols[0].button(i18n.t("scene_remove", lang, n=index() + 1), on_click=_remove, args=(index(),),
                           help=i18n.t("scene_remove_help", lang, n=index() + 1))
            cols[1].button(i18n.t("scene_clear", lang), on_click=_clear)
        else:
            st.caption(i18n.t("scene_empty", lang))
        if page in scenes.PAGES:
            st.text_input(i18n.t("scene_title", lang), key="w_scene_title", max_chars=120)
            st.button(i18n.t("scene_add", lang), icon=":material/add:", on_click=_add, args=(page, store, lang))
        with st.container(key="ik_scene_upload"):
            if lang == "nb":
                st.html(_UPLOADER_NB_CSS)
            st.file_uploader(i18n.t("scene_load", lang), type=["json"], key=_uploader_key(),
                             on_change=_load_file, args=(store, lang))


def scenes_label(scene: scenes.Scene, store: Store, lang: str) -> str:
    """A short description of an untitled scene: page, indicator, kommune or fylke, year."""
    from data_loaders.catalogue import INDICATORS

    p = scene.params
    bits = []
    if "indikator" in p:
        bits.append(INDICATORS[p["indikator"]].label(lang))
    if "kommune" in p:
        bits.append(store.kommuner.get(p["kommune"], p["kommune"]))
    if "kommuner" in p:
        bits.append(", ".join(store.kommuner.get(c, c) for c in p["kommuner"].split(",")))
    if "fylke" in p and "kommune" not in p:  # the map of Vestland is not the map of Norway
        bits.append(store.fylker.get(p["fylke"], p["fylke"]))
    if "aar" in p:
        bits.append(p["aar"])
    page = {"kart": i18n.t("page_map", lang), "profil": i18n.t("page_profile", lang),
            "sammenlign": i18n.t("page_compare", lang)}[scene.page]
    return i18n.plain_markdown(f"{page}: {' · '.join(bits)}" if bits else page)
