"""Integreringskart: entry point. The frame (navigation, shared sidebar); pages do the rest.

Run with `bin/run` (see README); Streamlit serves ./static so the map needs no CDN.
"""

from __future__ import annotations

import streamlit as st

from dashboard import connection_note, i18n, map_first, page_links, resources, scene_ui, styles, view_state
from data_loaders.settings import PROJECT_ROOT

st.set_page_config(page_title="Integreringskart", layout="wide",
                   page_icon=str(PROJECT_ROOT / "assets/favicon.png"),  # local: works offline
                   # Open beside the page on a screen wide enough, closed on a phone
                   # (open, it covered 70 % of a 390 px screen on every page).
                   initial_sidebar_state="auto")
resources.ensure_static_assets()
# Tighter frame: on a projector or a 720p stream the map should fit without scrolling.
# Tables made by dashboard.tables.html_table: compact (the map's side column is narrow
# at 1280 px), figures right-aligned, lines that hold in the dark theme too.
st.html("<style>.block-container{padding-top:1.4rem;padding-bottom:1rem}"
        "h3{padding-top:0.2rem}"
        # Below 1200 px (a 1024x768 projector beside the sidebar) Streamlit's 5rem side
        # margins cost the page 110 px of width, and its headings took two lines each.
        "@media (max-width: 1200px){.block-container{padding-left:1.5rem;padding-right:1.5rem}"
        ".stMain h3{font-size:1.4rem}}"
        # A phone: the header's sidebar button sat on the title's first line, and a wide
        # table (the profile's overview) ran off the screen: it scrolls sideways instead.
        "@media (max-width: 640px){.block-container{padding-top:3.9rem}"
        ".ik-table{display:block;overflow-x:auto}}"
        # A page link with the keyboard's focus looked like the open page (the same grey
        # pill, no ring): a ring as the other controls have.
        "[data-testid='stSidebar'] a[data-testid='stPageLink-NavLink']:focus-visible"
        "{outline:2px solid #0b5394;outline-offset:2px}"
        # Captions (sources, notes, "no figure") in a grey a projector keeps: Streamlit's
        # 60 % of the text colour is ~3.9:1 on white, under WCAG's 4.5:1 for small text.
        "[data-testid='stCaptionContainer']{color:rgba(49,51,63,0.82);opacity:1}"
        ".ik-table{border-collapse:collapse;width:100%;font-size:0.875rem;margin-bottom:0.6rem}"
        ".ik-table th,.ik-table td{border:1px solid rgba(128,128,128,0.3);padding:0.3rem 0.5rem;"
        "text-align:left;vertical-align:top}"
        ".ik-table th{font-weight:600}"
        ".ik-table .num{text-align:right;font-variant-numeric:tabular-nums}"
        # A metric's label (kommune, year, unit) wraps in the narrow side column rather
        # than lose its unit to an ellipsis ("Trondheim - Tråante 2018 (per 1 00…").
        "[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer'] p{white-space:normal;"
        "overflow:visible;text-overflow:clip}"
        # A drop-down list as wide as its labels, not its box: at 1280 px the indicator
        # picker's box cut "Flytting: Flyktninger som ble boende (andel b…".
        "[data-testid='stSelectboxVirtualDropdown']{min-width:max-content;"
        "max-width:calc(100vw - 1rem)}</style>")

map_first.start_run()
view_state.keep_session_settings()  # before anything reads them
lang = view_state.language()
view_state.contrast()
store, problem = resources.load_store(lang)
if store is not None and resources.load_boundaries() is None:
    store = None  # figures without the map's boundaries: the "no data" page says what to fetch
bundle, bundle_problem = resources.bundle_status(lang)
if bundle_problem:  # a bad bundle never costs the data we had
    st.error(i18n.t("bundle_bad", lang, why=bundle_problem), icon=":material/error:")
presenting = view_state.presenting() and store is not None
if presenting:
    # Presentation view: nothing but the content, sized for a projector or a 720p stream.
    st.html("<style>header[data-testid='stHeader'],[data-testid='stSidebar'],"
            "[data-testid='stSidebarCollapsedControl'],[data-testid='stToolbar']{display:none}"
            ".block-container{padding:0.6rem 1.2rem 0.4rem;max-width:100%}"
            "label p{font-size:1.05rem}"
            # A click between the controls focuses the main area (a scroll region) and a
            # key after it (a clicker's) showed Streamlit's focus ring, an inset shadow on
            # its ::before, as a grey frame round the whole slide.
            "[data-testid='stMain']:focus-visible::before{box-shadow:none}</style>")

if store is None:
    pages = [st.Page("pages/ingen_data.py", title=i18n.t("no_data_title", lang), icon=":material/warning:",
                     default=True, url_path="ingen-data")]
else:
    pages = [  # the order of scenes.PAGES first
        st.Page("pages/kart.py", title=i18n.t("page_map", lang), icon=":material/map:", default=True,
                url_path="kart"),
        st.Page("pages/profil.py", title=i18n.t("page_profile", lang), icon=":material/location_city:",
                url_path="profil"),
        st.Page("pages/sammenlign.py", title=i18n.t("page_compare", lang), icon=":material/compare_arrows:",
                url_path="sammenlign"),
        st.Page("pages/om_dataene.py", title=i18n.t("page_about", lang), icon=":material/info:",
                url_path="om-dataene"),
    ]
# The pages' links are the app's own (drawn below, after the page's run): Streamlit's
# sidebar menu opened a page with a bare address, which the page then completed as a
# second entry in the browser's history, so Back took two presses.
with view_state.unknown_page_as_note(tuple(page.url_path for page in pages), lang):
    navigation = st.navigation(pages, position="hidden")
page_ids = ("kart", "profil", "sammenlign", "om-dataene") if store is not None else ()  # as `pages`
page_id = next((p for p, page in zip(page_ids, pages) if page is navigation), None)
if store is not None:
    scene_ui.follow_url(store, lang, page_id)  # may switch page (a scene from a link or a key)
    scene_ui.presenter_bar(lang, page_id)
if presenting and page_id != "kart":  # the map page has its own exit beside its controls
    # Text a room can read: Streamlit sizes its text in rem, so one root size scales it
    # all (the map page sizes its own overlays for presenting). The exit stays on screen
    # as an icon in a right margin kept free for it (and for the scene buttons), so it
    # never covers a chart; its label stays for screen readers and as the tooltip.
    # The page title smaller than Streamlit's (2.75rem): at 720p it cost the compare
    # chart its year axis, below the fold.
    # 19px on a 1280x720 screen, and in proportion on a larger one (28.5px at 1080p),
    # so a slide reads the same from the back of the room on any projector.
    st.html("<style>html{font-size:clamp(19px, min(2.64vh, 1.485vw), 40px)}"
            ".block-container{padding-right:4.2rem}"
            ".stMain .block-container h1{font-size:2.1rem;padding:0.2rem 0 0.6rem}"
            # Not the narrow screen's smaller headings (1.4rem below 1200 px): never
            # smaller than at 720p on a 1024x768 projector.
            ".stMain h3{font-size:1.75rem}"
            ".st-key-ik_exit{position:fixed;top:0.5rem;right:0.5rem;z-index:1000;width:auto}"
            + styles.audience_height_css() +
            f".st-key-ik_exit button p{{{styles.ICON_ONLY_LABEL}}}</style>")
    with st.container(key="ik_exit"):
        st.button(i18n.t("present_exit", lang), icon=":material/close_fullscreen:", key="ik_exit_button",
                  help=i18n.t("present_exit", lang),
                  on_click=lambda: st.session_state.update(present=False, playing=False))

# The sidebar after the page; while the map page draws its first map alone
# (dashboard.map_first) only its foot, which keeps the sidebar, and so the map's width,
# where they will stay: the browser draws elements in the order they come.
with view_state.page_run():
    navigation.run()
with st.sidebar:
    if not map_first.held():
        linked = pages if page_id and not presenting else []
        if linked:
            page_links.draw(page_ids, linked)
            st.divider()
        page_links.mark(linked, lang)
        st.toggle(i18n.t("present", lang), key="present",
                  help=i18n.t("present_help", lang))
        st.segmented_control(i18n.t("language", lang), options=list(i18n.LANGUAGES), key="lang",
                             format_func={"nb": "Norsk (bokmål)", "en": "English"}.get)
        st.toggle(i18n.t("contrast", lang), key="contrast", help=i18n.t("contrast_help", lang))
        if store is not None:
            scene_ui.sidebar_panel(store, lang, page_id)
    if store is not None:
        st.caption(i18n.t("data_date", lang, built=store.meta["built_at"][:10])
                   + (" · speilmappe" if store.meta.get("mode") == "mirror" and lang == "nb"
                      else " · mirror" if store.meta.get("mode") == "mirror" else ""))
        if bundle is not None:
            st.caption(i18n.t("data_bundle", lang, name=bundle.path.name, created=bundle.created_at[:10]))
        st.caption(f"© Kartverket (CC BY 4.0) · {i18n.t('source', lang)}: IMDi, SSB (NLOD)")
if not map_first.held():  # not on the way to the first map: it costs that a component
    connection_note.watch(lang)
if store is not None:
    scene_ui.end_run()
map_first.end_run()
