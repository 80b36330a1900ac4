"""Interface text in Norwegian bokmål (default) and English, and number formatting
for each locale (1 234,5 in bokmål; 1,234.5 in English)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

LANGUAGES = ("nb", "en")

TEXTS: dict[str, dict[str, str]] = {
    "page_map": {"nb": "Kart", "en": "Map"},
    "page_about": {"nb": "Om dataene", "en": "About the data"},
    "indicator": {"nb": "Hva vil du se?", "en": "What do you want to see?"},
    "year": {"nb": "År", "en": "Year"},
    "fylke": {"nb": "Fylke", "en": "County (fylke)"},
    "all_norway": {"nb": "Hele landet", "en": "All of Norway"},
    "language": {"nb": "Språk / Language", "en": "Språk / Language"},
    "selected": {"nb": "Valgt kommune", "en": "Selected kommune"},
    "none_selected": {"nb": "Klikk på en kommune i kartet for å velge den.",
                      "en": "Click a kommune on the map to select it."},
    "pick_kommune": {"nb": "Eller velg kommune", "en": "Or pick a kommune"},
    "no_kommune": {"nb": "(ingen valgt)", "en": "(none selected)"},
    "top": {"nb": "Høyest", "en": "Highest"},
    "bottom": {"nb": "Lavest", "en": "Lowest"},
    "fylke_focus_note": {"nb": "Antallene gjelder hele landet; kommuner utenfor fylket vises uten farge.",
                         "en": "Counts are for all of Norway; kommuner outside the fylke are shown without colour."},
    "chart_key": {"nb": "Lesenøkkel: bleke søyler og egne punktformer er anslag, delår eller "
                        "ufullstendige summer; «:» er skjult (få personer) og «–» mangler tall. "
                        "Ingen av dem er null.",
                  "en": "Key: faded bars and their own point shapes are estimates, part years or "
                        "incomplete sums; ':' is suppressed (few persons) and '–' has no figure. "
                        "Neither is zero."},
    "rank_title": {"nb": "Rangering {year}", "en": "Ranking {year}"},
    "small_cohort": {"nb": "kull på {n}", "en": "cohort of {n}"},
    "small_cohort_tip": {"nb": "kull på {n} personer, svært usikker",
                         "en": "cohort of {n} persons, very uncertain"},
    "rank_ties": {"nb": "{count} kommuner har {value} {unit}; tabellen viser {shown} av dem (etter tallet før avrunding, deretter kommunenummer).",
                  "en": "{count} kommuner have {value} {unit}; the table shows {shown} of them (by the figure before rounding, then kommune number)."},
    "small_cohorts_unranked": {
        "nb": "Ikke rangert: {n} med kull på under 10 personer (andelen av så få er svært usikker); "
              "kartet viser dem, med en advarsel.",
        "en": "Not ranked: {n} with a cohort of fewer than 10 persons (a share of so few is very "
              "uncertain); the map shows them, with a warning."},
    "download_csv": {"nb": "Tallene i kartet (CSV)", "en": "The figures on the map (CSV)"},
    "kommune": {"nb": "Kommune", "en": "Kommune"},
    "value": {"nb": "Verdi", "en": "Value"},
    "status": {"nb": "Status", "en": "Status"},
    "note": {"nb": "Merknad", "en": "Note"},
    "norway": {"nb": "Norge", "en": "Norway"},
    "source": {"nb": "Kilde", "en": "Source"},
    "definition": {"nb": "Definisjon", "en": "Definition"},
    "map_caption": {
        "nb": "Kartet viser «{label}», {year}. Grå skravur: mangler tall; lilla: skjult av "
              "personvernhensyn; stiplet kant: delår, anslag eller ufullstendig sum.",
        "en": "The map shows “{label}”, {year}. Grey hatching: no figure; purple: suppressed "
              "for privacy; dashed outline: part year, estimate or incomplete sum.",
    },
    "unknown_kommune": {"nb": "Kommunenummeret {value} i lenken finnes ikke i dag; ingen kommune er valgt.",
                        "en": "The kommune code {value} in the link does not exist today; no kommune is selected."},
    "former_kommune": {"nb": "{value} var nummeret til {name} før en kommune- eller fylkesreform; i dag: {targets}. Velg en av dem.",
                       "en": "{value} was the code of {name} before a kommune or county reform; today: {targets}. Choose one of them."},
    "former_kommune_one": {"nb": "{value} var nummeret til {name} før en kommune- eller fylkesreform; i dag: {targets}, vist her.",
                           "en": "{value} was the code of {name} before a kommune or county reform; today: {targets}, shown here."},
    "unknown_indicator": {"nb": "Indikatoren {value} i lenken finnes ikke på kartet; viser {label}.",
                          "en": "The indicator {value} in the link is not on the map; showing {label}."},
    # Short: the indicator is named in its picker right above, and a longer toast is cut
    # with Streamlit's English "view more".
    "year_moved": {"nb": "Ingen tall for {old} her; viser {new}, nærmeste år med tall.",
                   "en": "No figures for {old} here; showing {new}, the nearest year with figures."},
    "unknown_year": {"nb": "Året {value} i lenken har ingen tall for {label}; viser {year}.",
                     "en": "The year {value} in the link has no figures for {label}; showing {year}."},
    "unknown_fylke": {"nb": "Fylkesnummeret {value} i lenken finnes ikke i dag; viser hele landet.",
                      "en": "The fylke code {value} in the link does not exist today; showing all of Norway."},
    "connection_lost_title": {"nb": "Ingen kontakt med serveren", "en": "No contact with the server"},
    "connection_lost": {
        "nb": "Det som vises nå, blir stående, men kan ikke endres før forbindelsen er tilbake. "
              "Sjekk nettverket; siden kobler seg til igjen av seg selv.",
        "en": "What is shown stays, but cannot change until the connection is back. "
              "Check the network; the page reconnects by itself."},
    "trace_needs_kommune": {
        "nb": "Lenken viser til tallet «{label}» {year}, men ikke til noen kommune. Velg en "
              "kommune på kartet eller i kommuneprofilen, og følg «Slik er tallet laget».",
        "en": "The link names the figure “{label}” {year}, but no kommune. Choose a kommune on "
              "the map or in the kommune profile, and follow “How this figure was made”."},
    "unknown_figure": {"nb": "Lenken viser til et tall som ikke finnes: {value}.",
                       "en": "The link names a figure that does not exist: {value}."},
    "unknown_group": {"nb": "Sammenligningsgruppen {value} i lenken finnes ikke; sammenligner med {group}.",
                      "en": "The comparison group {value} in the link does not exist; comparing with {group}."},
    "unknown_setting": {"nb": "Verdien {value} for «{key}» i lenken er ukjent og ble oversett.",
                        "en": "The value {value} for '{key}' in the link is unknown and was ignored."},
    "unknown_param": {"nb": "Lenken har en innstilling appen ikke kjenner, {key}; den ble oversett.",
                      "en": "The link has a setting the app does not know, {key}; it was ignored."},
    "unknown_page": {"nb": "Appen har ingen side {page}; her er kartet.",
                     "en": "The app has no page {page}; here is the map."},
    "param_twice": {"nb": "{key} står flere ganger i lenken; den siste verdien, {value}, er brukt.",
                    "en": "{key} appears more than once in the link; the last value, {value}, is used."},
    "unknown_tab": {"nb": "Profilen har ingen fane {value}; viser fanen {tab}.",
                    "en": "The profile has no tab {value}; showing the tab {tab}."},
    "kommuner_unknown": {"nb": "Kommunenummeret {value} i lenken finnes ikke i dag og er utelatt.",
                         "en": "The kommune code {value} in the link does not exist today and was left out."},
    "kommuner_twice": {"nb": "{value} står flere ganger i lenken; vises én gang.",
                       "en": "{value} appears more than once in the link; shown once."},
    "kommuner_many": {"nb": "Lenken har {n} kommuner; bare de {max} første vises (utelatt: {left}).",
                      "en": "The link has {n} kommuner; only the first {max} are shown (left out: {left})."},
    "open_profile": {"nb": "Profil: {name}", "en": "Profile: {name}"},
    "page_profile": {"nb": "Kommuneprofil", "en": "Kommune profile"},
    "page_compare": {"nb": "Sammenlign kommuner", "en": "Compare kommuner"},
    "back_to_map": {"nb": "Tilbake til kartet", "en": "Back to the map"},
    "back_to_profile": {"nb": "Tilbake til profilen", "en": "Back to the profile"},
    "trace_title": {"nb": "Slik er tallet laget: {label}, {kommune}, {year}",
                    "en": "How this figure was made: {label}, {kommune}, {year}"},
    "trace_intro": {"nb": "Tallet for kommunen og året du valgte, og tallene det er regnet ut fra.",
                    "en": "The figure for the kommune and year you chose, and the figures it "
                          "is computed from."},
    "trace_computed": {"nb": "Beregnet", "en": "Computed"},
    "trace_no_formula": {"nb": "Ingen utregning: tallet selv eller et av tallene det regnes "
                                "ut fra er skjult eller mangler.",
                         "en": "No calculation: the figure itself or one it is computed from "
                               "is suppressed or missing."},
    "figure": {"nb": "Tall", "en": "Figure"},
    "trace_link": {"nb": "Slik er tallet laget", "en": "How this figure was made"},
    "trace_link_year": {"nb": "Slik er tallet laget: {label}, {name} {year}",
                        "en": "How the figure was made: {label}, {name} {year}"},
    "trace_link_later": {"nb": "Slik er tallet laget: {n} år etter, {name} {year}",
                         "en": "How the figure was made: {n} years after, {name} {year}"},
    "unknown_figure_year": {"nb": "«{label}» har ingen tall for {year} i lenken; viser {shown}.",
                            "en": "'{label}' has no figure for {year} in the link; showing {shown}."},
    "compare_with": {"nb": "Sammenlign med", "en": "Compare with"},
    "profile_years": {"nb": "Kartet viste {year}. Oversikten bruker siste år med tall for hver indikator; "
                             "diagrammene under viser alle år.",
                      "en": "The map showed {year}. The overview uses each indicator's latest year with "
                            "figures; the charts below show every year."},
    "alone_in_group": {"nb": "{name} er den eneste kommunen i {alone}, så profilen sammenligner med {peer}.",
                       "en": "{name} is the only kommune in {alone}, so the profile compares with {peer}."},
    "show_table": {"nb": "Vis som tabell", "en": "Show as a table"},
    "download": {"nb": "Last ned", "en": "Download"},
    "download_note": {"nb": "Hver fil har tittel, kilde, hentedato og lenke tilbake hit.",
                      "en": "Every file carries its title, source, retrieval date and a link back here."},
    "download_map": {"nb": "Last ned kartet", "en": "Download the map"},
    "map_html": {"nb": "Kart som HTML (virker uten nett)", "en": "Map as HTML (works offline)"},
    "map_png": {"nb": "Kart som bilde (PNG)", "en": "Map as an image (PNG)"},
    "no_figures": {"nb": "Ingen tall for denne kommunen i datagrunnlaget.",
                   "en": "No figures for this kommune in the data."},
    "all_suppressed": {"nb": "Skjult alle år (få personer); linjene under er gruppenes.",
                       "en": "Suppressed every year (few persons); the lines below are the groups'."},
    "choose_kommune": {"nb": "Velg kommune", "en": "Choose a kommune"},
    "present": {"nb": "Presentasjonsvisning", "en": "Presentation view"},
    "present_help": {"nb": "Kartet fyller skjermen, uten sidepanel. Lenken (?present=1) kan "
                             "deles.", "en": "The map fills the screen, without the sidebar. "
                             "The link (?present=1) can be shared."},
    "present_exit": {"nb": "Avslutt", "en": "Exit"},
    "play": {"nb": "Spill av", "en": "Play"},
    "play_help": {"nb": "Spill av årene på kartet, ett år om gangen.",
                  "en": "Play the years on the map, one year at a time."},
    "pause": {"nb": "Pause", "en": "Pause"},
    "speed": {"nb": "Fart", "en": "Speed"},
    "speed_slow": {"nb": "Sakte", "en": "Slow"},
    "speed_normal": {"nb": "Middels", "en": "Medium"},
    "speed_fast": {"nb": "Raskt", "en": "Fast"},
    "fixed_scale": {"nb": "Samme fargeskala for alle år", "en": "One colour scale for all years"},
    "fixed_scale_help": {"nb": "Klassene regnes ut fra alle årene, så en farge betyr det samme i "
                                 "hvert år (slås på når årene spilles av).",
                         "en": "The classes are computed from all years, so a colour means the same "
                               "in every year (turned on when the years are played)."},
    "scale_all_years": {"nb": "Samme klasser i alle år", "en": "Same classes in every year"},
    "rank_while_playing": {"nb": "Kartet spiller av årene; rangeringen viser {year} til du stopper.",
                           "en": "The map plays the years; the ranking shows {year} until you pause."},
    "year_playing": {"nb": "År (spilles av: se kartet)", "en": "Year (playing: see the map)"},
    "contrast": {"nb": "Høykontrast-farger", "en": "High-contrast colours"},
    "contrast_help": {"nb": "Sterkere fargetrinn og svarte grenser, for prosjektor og svakt syn.",
                      "en": "Stronger colour steps and black borders, for projectors and low vision."},
    "zoom_kommune": {"nb": "Zoom inn på kommunen", "en": "Zoom to the kommune"},
    "map_as_table": {"nb": "Vis kartet som tabell", "en": "Show the map as a table"},
    "scenes": {"nb": "Scener", "en": "Scenes"},
    "scenes_help": {"nb": "Lag en rekke visninger til et foredrag, lagre dem som fil og bla med "
                            "piltastene eller en presentasjonsklikker.",
                    "en": "Build a series of views for a talk, save them as a file and step through "
                          "them with the arrow keys or a presentation clicker."},
    "scene_title": {"nb": "Tittel på scenen", "en": "Scene title"},
    "deck_title": {"nb": "Tittel på listen", "en": "Title of the list"},
    "deck_title_hint": {"nb": "f.eks. Lunsjseminar, Hamar", "en": "e.g. Lunch seminar, Hamar"},
    "scene_add": {"nb": "Legg til denne visningen", "en": "Add this view"},
    "scene_not_added": {"nb": "Visningen ble ikke lagt til: {why} Velg det som mangler, og legg den til igjen.",
                        "en": "The view was not added: {why} Choose what is missing and add it again."},
    "scene_remove": {"nb": "Fjern {n}", "en": "Remove {n}"},  # the narrow sidebar: short
    "scene_remove_help": {"nb": "Fjern scene {n} fra listen", "en": "Remove scene {n} from the list"},
    "scene_clear": {"nb": "Tøm listen", "en": "Clear list"},
    "scene_save": {"nb": "Lagre scenene (JSON)", "en": "Save the scenes (JSON)"},
    "scene_load": {"nb": "Last inn en scenefil", "en": "Load a scene file"},
    "scene_loaded": {"nb": "Lastet inn {name}: {n} scene(r).", "en": "Loaded {name}: {n} scene(s)."},
    "scene_bad": {"nb": "Scenene ble ikke lastet: {why} Ingenting er endret.",
                  "en": "The scenes were not loaded: {why} Nothing was changed."},
    "scene_prev": {"nb": "Forrige scene", "en": "Previous scene"},
    "scene_prev_short": {"nb": "Forrige", "en": "Back"},
    "scene_next_short": {"nb": "Neste", "en": "Next"},
    "scene_next": {"nb": "Neste scene", "en": "Next scene"},
    "scene_of": {"nb": "Scene {i} av {n}", "en": "Scene {i} of {n}"},
    "scene_unknown": {"nb": "Lenken ber om scene «{number}», men listen har {n} scene(r). Viser scene 1.",
                      "en": "The link asks for scene '{number}', but the list has {n} scene(s). Showing scene 1."},
    "scene_link": {"nb": "Lenke til denne scenen", "en": "Link to this scene"},
    "scene_empty": {"nb": "Ingen scener ennå.", "en": "No scenes yet."},
    "scene_keys": {"nb": "Bla: ← → eller Page Up / Page Down.",
                   "en": "Step: ← → or Page Up / Page Down."},
    "bundle_bad": {"nb": "Datapakken ble ikke brukt: {why} Appen bruker dataene den hadde.",
                   "en": "The data bundle was not used: {why} The app keeps the data it had."},
    "data_bundle": {"nb": "Fra datapakken {name} (laget {created}), uten nett",
                    "en": "From the data bundle {name} (made {created}), offline"},
    "bundle_no_refresh": {"nb": "Dataene kommer fra datapakken {name}; oppdatering fra nettet er slått av.",
                          "en": "The data comes from the bundle {name}; refreshing from the network is off."},
    "refresh_by_operator": {"nb": "Dataene oppdateres av den som driver denne tjenesten "
                                  "(python -m data_loaders refresh).",
                            "en": "The data is refreshed by whoever runs this service "
                                  "(python -m data_loaders refresh)."},
    "no_data_title": {"nb": "Ingen data ennå", "en": "No data yet"},
    "data_date": {"nb": "Data bygget {built}", "en": "Data built {built}"},
    # Exports (dashboard/exports.py): captions, the Excel "Om" sheet, alt text.
    "tables": {"nb": "Tabeller og hentedato", "en": "Tables and retrieval dates"},
    "link": {"nb": "Lenke til visningen", "en": "Link to this view"},
    "open": {"nb": "Åpne visningen i Integreringskart", "en": "Open this view in Integreringskart"},
    "map_base": {"nb": "Kartgrunnlag", "en": "Boundaries"},
    "about_sheet": {"nb": "Om", "en": "About"},
    "data_sheet": {"nb": "Data", "en": "Data"},
    "title": {"nb": "Tittel", "en": "Title"},
    "description": {"nb": "Beskrivelse", "en": "Description"},
    "exported": {"nb": "Eksportert", "en": "Exported"},
    "missing_note": {
        "nb": "Tomme verdiceller er aldri 0: kolonnen status sier hvorfor. «suppressed» = "
              "skjult av personvernhensyn (: i kilden), «missing» = mangler tall (– eller . "
              "i kilden). «estimated» og «incomplete» er anslag og ufullstendige summer.",
        "en": "Empty value cells are never 0: the status column says why. 'suppressed' = "
              "hidden for privacy (: in the source), 'missing' = no figure (– or . in the "
              "source). 'estimated' and 'incomplete' are estimates and incomplete sums."},
    "map_alt": {
        "nb": "Kart over Norges {n} kommuner farget etter {label} i {year}{range}{gaps}.",
        "en": "Map of Norway's {n} kommuner coloured by {label} in {year}{range}{gaps}."},
    "map_range": {"nb": ": fra {low} ({low_name}) til {high} ({high_name}) {unit}",
                  "en": ": from {low} ({low_name}) to {high} ({high_name}) {unit}"},
    "map_gaps": {"nb": "; {n} uten tall", "en": "; {n} without a figure"},
}

# What each status means, for the about page and the figure traced there.
STATUS_MEANING = {
    "estimated": {
        "nb": "Anslag: tallet for en kommune som senere ble delt, fordelt etter folketall "
              "(Ålesund 2020–2023); en sum over sammenslåtte kommuner som teller med "
              "flyttinger mellom dem; eller en andel over flere kommuner (sammenslått kommune, "
              "fylke, gruppe) der nevneren er regnet ut av avrundede andeler (sysselsatte: "
              "kilden oppgir ikke antall personer 15–74 år).",
        "en": "Estimate: the figure of a kommune later split, apportioned by population "
              "(Ålesund 2020–2023); a sum over merged kommuner that counts the moves "
              "between them; or a share over several kommuner (a merged kommune, a fylke, a "
              "group) whose denominator is derived from rounded shares (employment: the "
              "source does not give the number of persons aged 15–74)."},
    "incomplete": {
        "nb": "Ufullstendig sum: noen av de tidligere kommunene som utgjør dagens kommune er "
              "skjult eller mangler tall; summen er de som har tall, og kan være for lav. En "
              "andel eller rate er regnet over de tidligere kommunene som har tall i både teller "
              "og nevner, når de hadde minst halvparten av innbyggerne (eller er en nedre grense "
              "der bare telleren mangler en del).",
        "en": "Incomplete sum: some of the former kommuner that make up today's kommune are "
              "suppressed or have no figure; the sum is of those that have one and may be too low. "
              "A share or rate is over the former kommuner with figures in both count and "
              "denominator, where they held at least half of the people (or a lower bound where "
              "only the count lacks a part)."},
    "partial-year": {
        "nb": "Delår: tallene ble hentet før året var omme.",
        "en": "Part year: the figures were retrieved before the year ended."},
    "suppressed": {
        "nb": "Skjult: kilden viser : for svært få personer, av personvernhensyn. Aldri vist som 0.",
        "en": "Suppressed: the source shows : for very few persons, for privacy. Never shown as 0."},
    "missing": {
        "nb": "Mangler tall: kilden har ikke tallet (. eller ingen rad), eller en del av "
              "beregningen mangler. Aldri vist som 0.",
        "en": "No figure: the source has none (. or no row), or a part of the calculation is "
              "missing. Never shown as 0."},
    "unmatched": {
        "nb": "Ikke regnet ut: tallene det regnes ut fra, dekker ikke de samme tidligere kommunene "
              "(en del er skjult eller mangler i det ene, men er med i det andre), eller de "
              "tidligere kommunene som har tall i begge, hadde under halvparten av innbyggerne. "
              "Aldri vist som 0.",
        "en": "Not computed: the figures it is computed from do not cover the same former kommuner "
              "(a part is suppressed or missing in one, but counted in the other), or the former "
              "kommuner with figures in both held less than half of the people. Never shown as 0."},
}


def status_meaning(status: str, lang: str) -> str:
    return STATUS_MEANING.get(status, {}).get(lang, "")


STATUS_TEXT = {
    "ok": {"nb": "", "en": ""},
    "estimated": {"nb": "anslag", "en": "estimate"},
    "incomplete": {"nb": "ufullstendig sum", "en": "incomplete sum"},
    "partial-year": {"nb": "delår", "en": "part year"},
    "suppressed": {"nb": "skjult (få personer)", "en": "suppressed (few persons)"},
    "missing": {"nb": "mangler tall", "en": "no figure"},
    "unmatched": {"nb": "ikke regnet ut", "en": "not computed"},
}


# The profile's tabs (bokmål, English). A tab is kept in the URL by its label (?fane=),
# so a link or a scene made in one language is translated to the other's label.
PROFILE_TABS = (("Bosetting", "Settlement"), ("Bli boende", "Staying"),
                ("Flytting og arbeid", "Migration and work"),
                ("Etter introduksjonsprogrammet", "After the introduction programme"))


def profile_tab_labels(lang: str) -> list[str]:
    return [en if lang == "en" else nb for nb, en in PROFILE_TABS]


def profile_tab(label: str | None, lang: str) -> str | None:
    """A tab label from either language, in `lang`; None when it is no tab's label."""
    for pair in PROFILE_TABS:
        if label in pair:
            return pair[1] if lang == "en" else pair[0]
    return None


def t(key: str, lang: str, /, **values) -> str:  # positional: {key} may be a placeholder
    text = TEXTS[key].get(lang) or TEXTS[key]["nb"]
    return text.format(**values) if values else text


def shown_status(status: str, conversion: str | None = None) -> str:
    """The status a reader is told: a rate left out because its inputs cover different
    former kommuner ('unmatched', derive.py) is "not computed", not "suppressed (few
    persons)": Drammen settled 94 refugees in 2018, and only Svelvik's part was hidden.
    So is a rate over matched parts that hold less than half the people ('minor')."""
    # Imported here: harmonise imports pandas (~0.5 s), and dashboard.serve reads this
    # module's LANGUAGES while answering the browser's very first request.
    from data_loaders.harmonise import conversion_pieces

    if status in ("suppressed", "missing") and conversion_pieces(conversion).keys() & {"unmatched", "minor"}:
        return "unmatched"
    return status


def no_figure_label(status: str, lang: str, conversions) -> str:
    """A map legend's label for the kommuner drawn as `status` ('suppressed' or
    'missing'): with "ikke regnet ut" beside it where some of them are rates not computed
    (`conversions`: theirs), drawn alike ("skjult (få personer) / ikke regnet ut")."""
    words = status_text(status, lang)
    if any(shown_status(status, c) == "unmatched" for c in conversions):
        words += " / " + status_text("unmatched", lang)
    return words


def status_text(status: str, lang: str, conversion: str | None = None) -> str:
    """The status in words; with the figure's `conversion`, as `shown_status` tells it."""
    status = shown_status(status, conversion)
    return STATUS_TEXT.get(status, {}).get(lang, status)


def mid_sentence(label: str) -> str:
    """A group's name inside a sentence: 'sentralitetsklasse 1'; an acronym keeps its
    capitals ('KOSTRA-gruppe 13')."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def join_words(words: list[str], lang: str) -> str:
    """'A, B og C' ('A, B and C')."""
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + (" and " if lang == "en" else " og ") + words[-1]


def at_most(words: list[str], most: int | None, lang: str) -> tuple[list[str], str]:
    """The first words of a list too long for its place, and what stands for the rest:
    (words, "") if they are at most `most`; else (the first most - 1, "22 andre")."""
    if not most or len(words) <= most:
        return words, ""
    rest = len(words) - most + 1
    return words[:most - 1], f"{rest} others" if lang == "en" else f"{rest} andre"


def round_as_shown(value: float, decimals: int) -> float:
    """`value` rounded as format_number shows it (half away from zero)."""
    return float(Decimal(f"{value:.10f}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def plain_markdown(text: str) -> str:
    """Text from data or a file (a scene's title, a fylke's name) for Markdown, shown
    as the text it is, never as Markdown or HTML."""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~$:" else c for c in text)


def format_number(value: float | None, decimals: int, lang: str) -> str:
    """1 234,5 (nb, narrow no-break space as thousands separator) or 1,234.5 (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    # Half away from zero, as SSB and IMDi publish (10 of 16 = 62.5 % is "63"); Python's
    # own formatting rounds half to even ("62"). Ten decimals first, so that a tie that
    # floating point stores a hair below (2.35 as 2.34999…) is still a tie.
    rounded = Decimal(f"{value:.10f}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # -0.04 shown with no decimals is 0, not "-0"
    # The minus sign (U+2212), as the charts and the legend write it: a hyphen beside
    # them looked like a different sign, and screen readers read it as a dash or not at all.
    text = f"{rounded:,.{decimals}f}".replace("-", "\u2212")
    if lang == "en":
        return text
    return text.replace(",", "\u202f").replace(".", ",")
