"""The indicator catalogue: one declarative list that drives the pickers, legends,
definitions, source lines, the "about the data" page and the CSV export.

Counts come straight from a source (harmonised to 2024 kommuner). Rates are derived
from a numerator and a denominator that are themselves counts in the store, so any
group of kommuner (fylke, peer group, Norway) gets its rate from summed counts.
"""

from __future__ import annotations

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

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_nb

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_nb

    def definition(self, lang: str) -> str:
        return self.definition_en if lang == "en" else self.definition_nb

    def caveats(self, lang: str) -> tuple[str, ...]:
        return self.caveats_en if lang == "en" else self.caveats_nb


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
                          "bosetting i en annen kommune (Bosatt her / (Bosatt her + Flyttet hit)).",
            definition_en="Of persons with refugee background living in the kommune: the share "
                          "settled here, of those settled here or moved here after settlement "
                          "elsewhere (Settled here / (Settled here + Moved here)).",
            sources=("imdi_flyktning_botid_flytting",), topic="migration", decimals=1,
            numerator="refugees_settled_here",
            denominator=("refugees_settled_here", "refugees_moved_here"), scale=100,
            caveats_nb=("Kommuner med få personer med flyktningbakgrunn mangler i kilden og "
                        "vises som manglende.", REFORM_NB, SPLIT_NB),
            caveats_en=("Kommuner with few persons with refugee background are absent from "
                        "the source and shown as missing.", REFORM_EN, SPLIT_EN),
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
            sources=("ssb_09817", "ssb_07459"), topic="migration", decimals=1,
            numerator="immigrant_population", denominator=("population",), scale=100,
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
        ),
        Indicator(
            id="refugees_moved_here",
            label_nb="Flyktninger som flyttet hit",
            label_en="Refugees who moved here",
            unit_nb="personer", unit_en="persons",
            definition_nb="Personer med flyktningbakgrunn som flyttet hit etter bosetting i en annen kommune.",
            definition_en="Persons with refugee background who moved here after settlement elsewhere.",
            sources=("imdi_flyktning_botid_flytting",), topic="migration", on_map=False,
        ),
    ]
}

DEFAULT_INDICATOR = "settled_per_1000"


def map_indicators() -> list[Indicator]:
    return [i for i in INDICATORS.values() if i.on_map]


def rates() -> list[Indicator]:
    return [i for i in INDICATORS.values() if i.is_rate]
