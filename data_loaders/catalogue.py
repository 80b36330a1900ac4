"""The indicator catalogue: one declarative list that drives the pickers, legends,
definitions, source lines, the "about the data" page and the CSV export.

Counts come straight from a source (harmonised to 2024 kommuner). Rates are derived
from a numerator and a denominator that are themselves counts in the store, so any
group of kommuner (fylke, peer group, Norway) gets its rate from summed counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Indicator:
    id: str
    label_nb: str
    label_en: str
    unit_nb: str
    unit_en: str
    definition_nb: str
    definition_en: str
    sources: tuple[str, ...]
    topic: str  # "settlement" | "migration" | "population"
    decimals: int = 0
    numerator: str | None = None
    denominator: tuple[str, ...] = ()  # summed when several
    scale: float = 1.0
    on_map: bool = True
    caveats_nb: tuple[str, ...] = field(default=())
    caveats_en: tuple[str, ...] = field(default=())
    # "count" (from a source), "rate" (numerator / denominator x scale), "difference"
    # (numerator minus the denominator), "growth" (% change of `numerator` since the
    # year before), "class" (a category code, e.g. centrality 1-6: never summed).
    kind: str = "count"
    palette: str = "sequential"  # "diverging" when values can be negative
    # Derived denominators are approximate: summed over a merger, marked as estimates.
    merge_is_estimate: bool = False
    # Moves between kommuner (in- and out-migration, and their rates): summed over a
    # merger they include the moves between the former kommuner (an estimate, as above);
    # over a fylke or peer group, the moves between its kommuner, so a group's figure is
    # the sum of its kommuner's, not the group's own flow, and says so.
    moves_between_kommuner: bool = False
    goal: float | None = None  # a reference line (the national 70 % goal)
    small_cohort: str | None = None  # count indicator whose value < 10 earns a warning

    @property
    def sum_over_merger_is_estimate(self) -> bool:
        return self.merge_is_estimate or self.moves_between_kommuner

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_nb

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_nb

    def definition(self, lang: str) -> str:
        return self.definition_en if lang == "en" else self.definition_nb

    def caveats(self, lang: str) -> tuple[str, ...]:
        return self.caveats_en if lang == "en" else self.caveats_nb

    def year_caveats(self, year: int, lang: str) -> tuple[str, ...]:
        """The caveats of one year's figures: those that open with it or with years that
        hold it ("2014: ...", "2011–2013: ...")."""
        def holds(caveat: str) -> bool:
            m = re.match(r"(\d{4})(?:–(\d{4}))?:", caveat)
            return bool(m) and int(m[1]) <= year <= int(m[2] or m[1])
        return tuple(c for c in self.caveats(lang) if holds(c))


PART_YEAR_NB = ("Bosettingstallene ble hentet før året var omme: det siste året er et "
                "delår og merket slik.")
PART_YEAR_EN = ("The settlement figures were retrieved before the year ended: the last "
                "year is a part year and marked as such.")
SUPPRESSED_NB = "Tall for svært få personer er skjult av personvernhensyn (:), aldri vist som 0."
SUPPRESSED_EN = "Figures for very few persons are suppressed for privacy (:), never shown as 0."
SPLIT_NB = ("Ålesund (1507) ble delt i Ålesund (1508) og Haram (1580) i 2024; tall for "
            "2020–2023 er fordelt etter folketall og merket som anslag.")
SPLIT_EN = ("Ålesund (1507) was split into Ålesund (1508) and Haram (1580) in 2024; figures "
            "for 2020–2023 are apportioned by population and marked as estimates.")
REFORM_NB = ("Tall fra før kommunereformene (2018, 2020, 2024) er summert til dagens 357 "
             "kommuner; merknaden i kartet viser hvilke gamle kommuner som inngår.")
REFORM_EN = ("Figures from before the kommune reforms (2018, 2020, 2024) are summed to "
             "today's 357 kommuner; the map's note shows which former kommuner are included.")

STAY_2014_NB = ("2014: IMDi oppgir ikke tallet for all botid dette året; det er summen av 0–4 "
                "og 5 år eller mer i Norge (2015–2022 er summen lik det oppgitte tallet i hver "
                "kommune).")
STAY_2014_EN = ("2014: IMDi gives no figure for all durations that year; it is the sum of 0–4 "
                "and 5 or more years in Norway (in 2015–2022 the sum equals the published "
                "figure in every kommune).")

# IMDi's third group, "Uoppgitt": whether settled here or moved here is not stated. In
# 2015 it held 21 % of the persons in the file (56 kommuner a quarter or more); each
# kommune's figure with 10 % or more says how many (derive.note_unknown_stay).
STAY_UNKNOWN_NB = ("Personer der IMDi ikke oppgir om de ble bosatt her eller flyttet hit "
                   "(«Uoppgitt»), er holdt utenfor; der de er minst en tidel, står det ved tallet.")
STAY_UNKNOWN_EN = ("Persons for whom IMDi does not state whether they were settled here or "
                   "moved here (\"Uoppgitt\") are left out; where they are a tenth or more, the "
                   "figure says so.")

UNKNOWN_2014_NB = ("2014: Filen har ingen rader «Uoppgitt» dette året; tallet er alle personer "
                   "med flyktningbakgrunn minus dem som ble bosatt her og dem som flyttet hit "
                   "(2015–2022 er alle lik summen av de tre i hver kommune).")
UNKNOWN_2014_EN = ("2014: the file has no \"Uoppgitt\" rows that year; the figure is all persons "
                   "with refugee background less those settled here and those moved here (in "
                   "2015–2022 everyone equals the sum of the three in every kommune).")

INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in [
        Indicator(
            id="settled_per_1000",
            label_nb="Bosatte flyktninger per 1 000 innbyggere",
            label_en="Settled refugees per 1,000 inhabitants",
            unit_nb="per 1 000 innb.", unit_en="per 1,000 inhabitants",
            definition_nb="Flyktninger faktisk bosatt i kommunen i løpet av året, per 1 000 "
                          "innbyggere 1. januar samme år.",
            definition_en="Refugees actually settled in the kommune during the year, per "
                          "1,000 inhabitants on 1 January of that year.",
            sources=("imdi_bosatt_anmodede", "ssb_07459"), topic="settlement", decimals=1,
            numerator="settled_refugees", denominator=("population",), scale=1000,
            kind="rate",
            caveats_nb=(PART_YEAR_NB, SUPPRESSED_NB, REFORM_NB, SPLIT_NB),
            caveats_en=(PART_YEAR_EN, SUPPRESSED_EN, REFORM_EN, SPLIT_EN),
        ),
        Indicator(
            id="settled_refugees",
            label_nb="Bosatte flyktninger", label_en="Settled refugees",
            unit_nb="personer", unit_en="persons",
            definition_nb="Flyktninger faktisk bosatt i kommunen etter avtale med IMDi i "
                          "løpet av året (faktisk bosetting). Tall fra 2012.",
            definition_en="Refugees actually settled in the kommune by agreement with IMDi "
                          "during the year. Figures from 2012.",
            sources=("imdi_bosatt_anmodede",), topic="settlement",
            caveats_nb=(PART_YEAR_NB, SUPPRESSED_NB, REFORM_NB, SPLIT_NB),
            caveats_en=(PART_YEAR_EN, SUPPRESSED_EN, REFORM_EN, SPLIT_EN),
        ),
        Indicator(
            id="settlement_requested",
            label_nb="Anmodet om å bosette", label_en="Settlement requested",
            unit_nb="personer", unit_en="persons",
            definition_nb="Antall flyktninger IMDi ba kommunen om å bosette for året.",
            definition_en="Number of refugees IMDi asked the kommune to settle that year.",
            sources=("imdi_bosatt_anmodede",), topic="settlement",
            caveats_nb=(SUPPRESSED_NB, REFORM_NB, SPLIT_NB),
            caveats_en=(SUPPRESSED_EN, REFORM_EN, SPLIT_EN),
        ),
        Indicator(
            id="settlement_decided",
            label_nb="Vedtatt å bosette", label_en="Settlement decided",
            unit_nb="personer", unit_en="persons",
            definition_nb="Antall flyktninger kommunestyret vedtok å bosette for året.",
            definition_en="Number of refugees the municipal council decided to settle that year.",
            sources=("imdi_bosatt_anmodede",), topic="settlement",
            caveats_nb=(SUPPRESSED_NB, REFORM_NB, SPLIT_NB),
            caveats_en=(SUPPRESSED_EN, REFORM_EN, SPLIT_EN),
        ),
        Indicator(
            id="refugees_stayed_share",
            label_nb="Flyktninger som ble boende (andel bosatt her)",
            label_en="Refugees who stayed (share settled here)",
            unit_nb="%", unit_en="%",
            definition_nb="Av personer med flyktningbakgrunn som bor i kommunen: andelen som "
                          "ble bosatt her, av dem som ble bosatt her eller flyttet hit etter "
                          "bosetting i en annen kommune (Bosatt her / (Bosatt her + Flyttet hit)). "
                          + STAY_UNKNOWN_NB,
            definition_en="Of persons with refugee background living in the kommune: the share "
                          "settled here, of those settled here or moved here after settlement "
                          "elsewhere (Settled here / (Settled here + Moved here)). " + STAY_UNKNOWN_EN,
            sources=("imdi_flyktning_botid_flytting",), topic="migration", decimals=1,
            numerator="refugees_settled_here",
            denominator=("refugees_settled_here", "refugees_moved_here"), scale=100,
            kind="rate",
            caveats_nb=("Kommuner med få personer med flyktningbakgrunn mangler i kilden og "
                        "vises som manglende.", STAY_2014_NB, REFORM_NB, SPLIT_NB),
            caveats_en=("Kommuner with few persons with refugee background are absent from "
                        "the source and shown as missing.", STAY_2014_EN, REFORM_EN, SPLIT_EN),
        ),
        Indicator(
            id="immigrant_share",
            label_nb="Innvandrere og norskfødte med innvandrerforeldre",
            label_en="Immigrants and Norwegian-born to immigrant parents",
            unit_nb="% av befolkningen", unit_en="% of population",
            definition_nb="Innvandrere og norskfødte med innvandrerforeldre 1. januar, i prosent "
                          "av befolkningen 1. januar.",
            definition_en="Immigrants and Norwegian-born to immigrant parents on 1 January, as "
                          "a percentage of the population on 1 January.",
            sources=("ssb_09817", "ssb_07459"), topic="population", decimals=1,
            numerator="immigrant_population", denominator=("population",), scale=100,
            kind="rate",
            caveats_nb=(REFORM_NB,), caveats_en=(REFORM_EN,),
        ),
        Indicator(
            id="population",
            label_nb="Folkemengde 1. januar", label_en="Population on 1 January",
            unit_nb="personer", unit_en="persons",
            definition_nb="Bosatte personer i kommunen 1. januar, på dagens kommunegrenser.",
            definition_en="Residents of the kommune on 1 January, on today's boundaries.",
            sources=("ssb_07459",), topic="population",
            caveats_nb=("For kommuner berørt av delinger (Narvik, Hamarøy, Heim, Hitra, "
                        "Orkland før 2020) finnes ikke folketall på dagens grenser.", SPLIT_NB),
            caveats_en=("For kommuner touched by splits (Narvik, Hamarøy, Heim, Hitra, "
                        "Orkland before 2020) there is no population on today's boundaries.",
                        SPLIT_EN),
        ),
        Indicator(
            id="immigrant_population",
            label_nb="Innvandrere og norskfødte med innvandrerforeldre (antall)",
            label_en="Immigrants and Norwegian-born to immigrant parents (number)",
            unit_nb="personer", unit_en="persons",
            definition_nb="Innvandrere og norskfødte med to innvandrerforeldre, 1. januar.",
            definition_en="Immigrants and Norwegian-born with two immigrant parents, 1 January.",
            sources=("ssb_09817",), topic="population", on_map=False,
        ),
        Indicator(
            id="refugees_settled_here",
            label_nb="Flyktninger bosatt her og fortsatt bosatt",
            label_en="Refugees settled here and still living here",
            unit_nb="personer", unit_en="persons",
            definition_nb="Personer med flyktningbakgrunn som ble bosatt i kommunen og fortsatt bor der.",
            definition_en="Persons with refugee background settled in the kommune and still living there.",
            sources=("imdi_flyktning_botid_flytting",), topic="migration", on_map=False,
            caveats_nb=(STAY_2014_NB,), caveats_en=(STAY_2014_EN,),
        ),
        Indicator(
            id="refugees_moved_here",
            label_nb="Flyktninger som flyttet hit",
            label_en="Refugees who moved here",
            unit_nb="personer", unit_en="persons",
            definition_nb="Personer med flyktningbakgrunn som flyttet hit etter bosetting i en annen kommune.",
            definition_en="Persons with refugee background who moved here after settlement elsewhere.",
            sources=("imdi_flyktning_botid_flytting",), topic="migration", on_map=False,
            caveats_nb=(STAY_2014_NB,), caveats_en=(STAY_2014_EN,),
        ),
    ]
}

GROSS_NB = ("Summert over en sammenslåing teller inn- og utflytting også flyttinger mellom "
            "de tidligere kommunene; slike summer er merket som anslag. For fylker og "
            "kommunegrupper er tallet summen av kommunenes, med flyttinger mellom kommunene i "
            "gruppen: mer enn fylkets egen inn- eller utflytting. Nettoflytting er eksakt.")
GROSS_EN = ("Summed over a merger, in- and out-migration include moves between the former "
            "kommuner; such sums are marked as estimates. For fylker and groups of kommuner "
            "the figure is the sum of the kommuner's, with the moves between them: more than "
            "the fylke's own in- or out-migration. Net migration is exact.")
OLD_SERIES_NB = ("Speilet har disse tallene for 2013–2014 (IMDis eksport av SSB-tall, på "
                 "kommuneinndelingen det året), omregnet til dagens kommuner.")
OLD_SERIES_EN = ("The mirror holds these figures for 2013–2014 (IMDi's export of SSB figures, "
                 "on that year's kommune division), converted to today's kommuner.")
EMPLOYMENT_NB = ("Andel sysselsatte 15–74 år (registerbasert). Kilden oppgir prosent i hele "
                 "tall; nevneren for grupper av kommuner er avledet av den og er derfor "
                 "omtrentlig (±0,5 prosentpoeng). 2006–2014 i speilet.")
EMPLOYMENT_EN = ("Share employed, 15–74 years (register-based). The source gives whole "
                 "percentages; the denominator for groups of kommuner is derived from them "
                 "and so approximate (±0.5 percentage points). 2006–2014 in the mirror.")
INTRO_NB = ("Tidligere deltakere i introduksjonsprogrammet, status i november. Små kull er "
            "usikre: under 10 personer vises en advarsel. 2011–2014 i speilet. Kildefilene "
            "skriver 0 også der tallet mangler (5 år etter i 2011 er 0 i alle kommuner): et "
            "kull på 0 vises derfor som manglende, ikke som 0.")
# The rows of IMDi's 2011-2013 file out of line (parse_older.out_of_line_rows).
INTRO_OUT_OF_LINE_NB = (
    "2011–2013: I IMDis fil for 2011–2013 står tallene for 3–5 år etter én til to rader for "
    "langt ned fra 1504 Ålesund og nordover: det samme kullet et år senere står hos neste "
    "kommune (Trondheims 125 tre år etter i 2013 hos Hemne, 87 fire år etter hos Snillfjord "
    "med 980 innbyggere, 0 hos Trondheim). De brukes ikke: kommunene i Møre og Romsdal, "
    "Trøndelag, Nordland, Troms og Finnmark har ingen tall for 3–5 år etter før 2014.")
INTRO_OUT_OF_LINE_EN = (
    "2011–2013: In IMDi's file for 2011–2013 the figures for 3–5 years after stand one or two "
    "rows too low from 1504 Ålesund northwards: the same cohort a year later stands at the next "
    "kommune (Trondheim's 125 three years after in 2013 at Hemne, 87 four years after at "
    "Snillfjord with 980 inhabitants, 0 at Trondheim). They are not used: the kommuner of Møre "
    "og Romsdal, Trøndelag, Nordland, Troms and Finnmark have no figure 3–5 years after before 2014.")
INTRO_EN = ("Former participants in the introduction programme, status in November. Small "
            "cohorts are uncertain: below 10 persons a warning is shown. 2011–2014 in the mirror. "
            "The source files write 0 also where the figure is missing (5 years after in 2011 is "
            "0 in every kommune): a cohort of 0 is therefore shown as missing, not as 0.")


def _count(id, label_nb, label_en, definition_nb, definition_en, sources, topic, **extra):
    return Indicator(id=id, label_nb=label_nb, label_en=label_en, unit_nb="personer",
                     unit_en="persons", definition_nb=definition_nb,
                     definition_en=definition_en, sources=sources, topic=topic,
                     on_map=False, **extra)


MIGRATION_FLOWS = {
    # id: (nb, en, nb definition, en definition)
    "in_migration": ("Innflytting fra andre kommuner", "In-migration from other kommuner",
                     "Personer som flyttet til kommunen fra en annen kommune i løpet av året.",
                     "Persons who moved to the kommune from another kommune during the year."),
    "out_migration": ("Utflytting til andre kommuner", "Out-migration to other kommuner",
                      "Personer som flyttet fra kommunen til en annen kommune i løpet av året.",
                      "Persons who moved from the kommune to another kommune during the year."),
    "net_migration": ("Nettoinnflytting", "Net migration",
                      "Innflytting minus utflytting mellom kommuner.",
                      "In-migration minus out-migration between kommuner."),
    "immigration": ("Innvandring fra utlandet", "Immigration from abroad",
                    "Personer som flyttet til kommunen fra utlandet i løpet av året.",
                    "Persons who moved to the kommune from abroad during the year."),
    "emigration": ("Utvandring til utlandet", "Emigration abroad",
                   "Personer som flyttet fra kommunen til utlandet i løpet av året.",
                   "Persons who moved from the kommune abroad during the year."),
}
GROUPS = {
    "": ("", "", "alle", "everyone"),
    "_immigrants": (", innvandrere", ", immigrants", "innvandrere", "immigrants"),
    "_rest": (", befolkningen ellers", ", rest of the population",
              "befolkningen utenom innvandrere", "the population other than immigrants"),
}


# Flows between kommuner. Immigration and emigration cross the border, so their sums over
# a merger or a fylke are exact, as is net migration.
BETWEEN_KOMMUNER = ("in_migration", "out_migration")


def gross_caveat(flow: str, lang: str) -> tuple[str, ...]:
    """The caveat on sums of moves between kommuner, for those flows only."""
    return ((GROSS_EN if lang == "en" else GROSS_NB),) if flow in BETWEEN_KOMMUNER else ()


def _migration_indicators() -> list[Indicator]:
    out = []
    for flow, (nb, en, def_nb, def_en) in MIGRATION_FLOWS.items():
        between = flow in BETWEEN_KOMMUNER
        for suffix, (g_nb, g_en, who_nb, who_en) in GROUPS.items():
            extra = {}
            if suffix == "_rest":
                extra = dict(kind="difference", numerator=flow, denominator=(f"{flow}_immigrants",))
            out.append(_count(
                f"{flow}{suffix}", nb + g_nb, en + g_en,
                f"{def_nb} Gjelder {who_nb}.", f"{def_en} Covers {who_en}.",
                ("ssb_09588",), "migration", moves_between_kommuner=between,
                palette="diverging" if flow.startswith("net") else "sequential",
                caveats_nb=gross_caveat(flow, "nb") + (OLD_SERIES_NB,),
                caveats_en=gross_caveat(flow, "en") + (OLD_SERIES_EN,), **extra))
        out.append(Indicator(
            id=f"{flow}_per_1000", label_nb=f"{nb} per 1 000 innbyggere",
            label_en=f"{en} per 1,000 inhabitants", unit_nb="per 1 000 innb.",
            unit_en="per 1,000 inhabitants",
            definition_nb=f"{def_nb} Per 1 000 innbyggere 1. januar samme år.",
            definition_en=f"{def_en} Per 1,000 inhabitants on 1 January of that year.",
            sources=("ssb_09588", "ssb_07459"), topic="migration", decimals=1, kind="rate",
            numerator=flow, denominator=("population",), scale=1000,
            palette="sequential" if not flow.startswith("net") else "diverging",
            on_map=flow in ("in_migration", "out_migration", "net_migration"),
            moves_between_kommuner=between,
            caveats_nb=gross_caveat(flow, "nb") + (OLD_SERIES_NB,),
            caveats_en=gross_caveat(flow, "en") + (OLD_SERIES_EN,)))
    return out


def _employment_indicators() -> list[Indicator]:
    out = []
    # (group, bokmål and English after "Sysselsatte"/"Employed", and as a plain name)
    for group, employed_nb, nb, employed_en, en in [
            ("immigrants", "innvandrere", "innvandrere", "immigrants", "immigrants"),
            ("rest", "i befolkningen ellers", "befolkningen ellers",
             "people in the rest of the population", "rest of the population")]:
        out.append(_count(f"employed_{group}", f"Sysselsatte {employed_nb}", f"Employed {employed_en}",
                          f"Sysselsatte personer 15–74 år, {nb}.",
                          f"Employed persons aged 15–74, {en}.", ("ssb_11607",), "work"))
        out.append(_count(f"population_15_74_{group}", f"Personer 15–74 år, {nb} (avledet)",
                          f"Persons aged 15–74, {en} (derived)",
                          "Sysselsatte / sysselsettingsandel × 100 (kilden oppgir ikke nevneren).",
                          "Employed / employment rate × 100 (the source does not give the "
                          "denominator).", ("ssb_11607",), "work", merge_is_estimate=True))
        out.append(Indicator(
            id=f"employment_rate_{group}", label_nb=f"Sysselsatte {employed_nb} (andel)",
            label_en=f"Employment rate, {en}", unit_nb="% av 15–74 år", unit_en="% of 15–74",
            definition_nb=f"Sysselsatte {employed_nb} i prosent av personer 15–74 år i samme gruppe.",
            definition_en=f"Employed {employed_en} as a percentage of persons aged 15–74 in that group.",
            sources=("ssb_11607",), topic="work", decimals=0, kind="rate",
            numerator=f"employed_{group}", denominator=(f"population_15_74_{group}",),
            scale=100, on_map=group == "immigrants",
            caveats_nb=(EMPLOYMENT_NB,), caveats_en=(EMPLOYMENT_EN,)))
    return out


def _intro_indicators() -> list[Indicator]:
    out = []
    for n in range(1, 6):
        years_nb = "ett år" if n == 1 else f"{n} år"
        years_en = "one year" if n == 1 else f"{n} years"
        out_of_line = {"caveats_nb": (INTRO_OUT_OF_LINE_NB,), "caveats_en": (INTRO_OUT_OF_LINE_EN,)
                       } if n >= 3 else {}
        out.append(_count(f"intro_cohort_{n}y", f"Tidligere deltakere, {years_nb} etter",
                          f"Former participants, {years_en} after",
                          f"Personer som avsluttet introduksjonsprogrammet for {years_nb} siden.",
                          f"Persons who completed the introduction programme {years_en} before.",
                          ("ssb_intro",), "work", **out_of_line))
        out.append(_count(f"intro_work_or_education_count_{n}y",
                          f"I arbeid eller utdanning, {years_nb} etter (antall)",
                          f"In work or education, {years_en} after (number)",
                          "Tidligere deltakere som er sysselsatt og/eller i utdanning.",
                          "Former participants in employment and/or education.",
                          ("ssb_intro",), "work", **out_of_line))
        out.append(Indicator(
            id=f"intro_work_or_education_{n}y",
            label_nb=f"I arbeid eller utdanning {years_nb} etter introduksjonsprogrammet",
            label_en=f"In work or education {years_en} after the introduction programme",
            unit_nb="%", unit_en="%",
            definition_nb=(f"Andel av dem som avsluttet introduksjonsprogrammet for {years_nb} "
                           "siden, som er i arbeid og/eller utdanning i november."),
            definition_en=(f"Share of those who completed the introduction programme {years_en} "
                           "before who are in work and/or education in November."),
            sources=("ssb_intro",), topic="work", decimals=0, kind="rate",
            numerator=f"intro_work_or_education_count_{n}y",
            denominator=(f"intro_cohort_{n}y",), scale=100, on_map=n == 1,
            goal=70.0 if n == 1 else None, small_cohort=f"intro_cohort_{n}y",
            caveats_nb=(INTRO_NB, *out_of_line.get("caveats_nb", ())),
            caveats_en=(INTRO_EN, *out_of_line.get("caveats_en", ()))))
    return out


def _stay_by_time() -> list[Indicator]:
    unknown_2014 = {"caveats_nb": (UNKNOWN_2014_NB,), "caveats_en": (UNKNOWN_2014_EN,)}
    out = [_count("refugees_stay_unknown", "Flyktninger med uoppgitt bosetting",
                  "Refugees with settlement not stated",
                  "Personer med flyktningbakgrunn som bor i kommunen, der IMDi ikke oppgir om de "
                  "ble bosatt her eller flyttet hit («Uoppgitt»).",
                  "Persons with refugee background living in the kommune for whom IMDi does not "
                  "state whether they were settled here or moved here (\"Uoppgitt\").",
                  ("imdi_flyktning_botid_flytting",), "migration", **unknown_2014)]
    for suffix, nb, en in [("_0_4y", "0–4 år i Norge", "0–4 years in Norway"),
                           ("_5y_plus", "5 år eller mer i Norge", "5 years or more in Norway")]:
        for base, b_nb, b_en in [("refugees_settled_here", "Flyktninger bosatt her",
                                  "Refugees settled here"),
                                 ("refugees_moved_here", "Flyktninger som flyttet hit",
                                  "Refugees who moved here"),
                                 ("refugees_stay_unknown", "Flyktninger med uoppgitt bosetting",
                                  "Refugees with settlement not stated")]:
            out.append(_count(f"{base}{suffix}", f"{b_nb}, {nb}", f"{b_en}, {en}",
                              f"{b_nb}, {nb}.", f"{b_en}, {en}.",
                              ("imdi_flyktning_botid_flytting",), "migration",
                              **(unknown_2014 if base == "refugees_stay_unknown" else {})))
        out.append(Indicator(
            id=f"refugees_stayed_share{suffix}", label_nb=f"Flyktninger som ble boende, {nb}",
            label_en=f"Refugees who stayed, {en}", unit_nb="%", unit_en="%",
            definition_nb=f"Andel bosatt her av bosatt her og flyttet hit, {nb}. {STAY_UNKNOWN_NB}",
            definition_en=f"Share settled here of settled here and moved here, {en}. {STAY_UNKNOWN_EN}",
            sources=("imdi_flyktning_botid_flytting",), topic="migration", decimals=1,
            kind="rate", numerator=f"refugees_settled_here{suffix}",
            denominator=(f"refugees_settled_here{suffix}", f"refugees_moved_here{suffix}"),
            scale=100, on_map=False))
    return out


def _other_indicators() -> list[Indicator]:
    return [
        Indicator(id="population_growth", label_nb="Befolkningsvekst", label_en="Population growth",
                  unit_nb="% siste år", unit_en="% over the year",
                  definition_nb="Endring i folkemengden fra 1. januar året før til 1. januar, i prosent.",
                  definition_en="Change in population from 1 January the year before to 1 January, in per cent.",
                  caveats_nb=("Folketallet er oppgitt etter 2024-grensene ved å summere tidligere "
                              "kommunenummer. Der en del av en kommune ble flyttet til en annen "
                              "(grensejusteringer, mange i 2020), vises det som vekst eller nedgang "
                              "det året: Stad +6,3 % og Midt-Telemark −4,4 % i 2020.",
                              "For en gruppe (fylke, Norge) sammenlignes bare kommuner med tall "
                              "begge år."),
                  caveats_en=("Population on the 2024 boundaries is the sum of former kommune "
                              "numbers. Where part of a kommune moved to another (boundary "
                              "adjustments, many in 2020), it shows as growth or decline that year: "
                              "Stad +6.3 % and Midt-Telemark −4.4 % in 2020.",
                              "For a group (fylke, Norway), only kommuner with figures in both "
                              "years are compared."),
                  sources=("ssb_07459",), topic="population", decimals=1, kind="growth",
                  numerator="population", palette="diverging"),
        Indicator(id="centrality_class", label_nb="Sentralitetsklasse", label_en="Centrality class",
                  unit_nb="klasse (1 mest sentral – 6 minst)", unit_en="class (1 most central – 6 least)",
                  definition_nb="SSBs sentralitetsindeks i seks klasser (2020-indeksen, 2024-kommuner).",
                  definition_en="Statistics Norway's centrality index in six classes (the 2020 index, "
                                "2024 kommuner).",
                  sources=("klass_centrality",), topic="population", kind="class", on_map=False),
        Indicator(id="kostra_group", label_nb="KOSTRA-gruppe", label_en="KOSTRA group",
                  unit_nb="gruppe (EKG01–EKG17)", unit_en="group (EKG01–EKG17)",
                  definition_nb="SSBs gruppering av kommuner etter folkemengde, bundne kostnader og frie inntekter.",
                  definition_en="Statistics Norway's grouping of kommuner by population, fixed costs and free income.",
                  sources=("klass_kostra",), topic="population", kind="class", on_map=False),
    ]


for _indicator in (_migration_indicators() + _employment_indicators() + _intro_indicators()
                   + _stay_by_time() + _other_indicators()):
    INDICATORS[_indicator.id] = _indicator

DEFAULT_INDICATOR = "settled_per_1000"
TOPICS = {"settlement": ("Bosetting", "Settlement"), "migration": ("Flytting", "Migration"),
          "work": ("Arbeid og utdanning", "Work and education"),
          "population": ("Befolkning", "Population")}


def map_indicators() -> list[Indicator]:
    """The map's indicators, grouped by topic in the picker (each topic's in one run)."""
    order = list(TOPICS)
    return sorted((i for i in INDICATORS.values() if i.on_map), key=lambda i: order.index(i.topic))


def derived() -> list[Indicator]:
    """Indicators computed from others, in an order where inputs come first."""
    order = {"difference": 0, "rate": 1, "growth": 2}
    return sorted((i for i in INDICATORS.values() if i.kind in order),
                  key=lambda i: order[i.kind])
