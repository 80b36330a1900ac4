"""The declarative catalogue of data sources: where each one lives on the web, where it
lives in a mirror directory, what format each representation has, and its licence.

A mirror may hold a source in the publisher's own format at the URL path (IMDi CSV,
GeoJSON) or, where the reference mirror has no raw API response (SSB, KLASS), as a
documented extract. `representations` lists what a mirror may hold, in order of
preference; the live path always uses the API.
"""

from __future__ import annotations

from dataclasses import dataclass

from .settings import Settings

LICENCE_NLOD = "NLOD 2.0 / CC BY 4.0"
LICENCE_KARTVERKET = "CC BY 4.0"


@dataclass(frozen=True)
class Representation:
    format: str  # name of the parser in data_loaders.parse
    paths: tuple[str, ...]  # mirror-relative paths; all must exist


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    table: str
    title_nb: str
    title_en: str
    licence: str
    homepage: str
    live_format: str
    live_path: str  # appended to the publisher's base URL
    base: str  # key into Settings.base_urls
    representations: tuple[Representation, ...]
    # Retrieval dates of the reference mirror's files where its README documents them,
    # keyed by the file's SHA-256 (a different file gets no date rather than a wrong one).
    documented_retrievals: tuple[tuple[str, str], ...] = ()
    attribution: str = ""
    # Counts that accumulate through the year: the year of retrieval is a part year.
    accumulates_through_year: bool = False

    def url(self, settings: Settings) -> str:
        return settings.base_urls[self.base] + self.live_path

    def documented_retrieval(self, sha256: str) -> str | None:
        return dict(self.documented_retrievals).get(sha256)


PXWEB = "/api/pxwebapi/v2/tables/{table}/data?lang=no&outputFormat=json-stat2"

SOURCES: dict[str, Source] = {
    s.id: s
    for s in [
        Source(
            id="imdi_bosatt_anmodede",
            publisher="IMDi",
            table="bosatt_anmodede",
            title_nb="Anmodning, vedtak og faktisk bosetting av flyktninger",
            title_en="Refugee settlement: requested, decided and actually settled",
            licence=LICENCE_NLOD,
            homepage="https://www.imdi.no/tall-og-statistikk/",
            live_format="imdi_settlement_csv",
            live_path="/download_csv/k/bosatt_anmodede",
            base="imdi",
            representations=(
                Representation("imdi_settlement_csv", ("imdi/k/bosatt_anmodede.csv",)),
            ),
            documented_retrievals=(
                ("275de86dbda80cb883df8690ac2aa3d122bf478d81990b434fc6db07d1c2a9a3", "2023-09"),
            ),
            attribution="Kilde: IMDi",
            accumulates_through_year=True,
        ),
        Source(
            id="imdi_flyktning_botid_flytting",
            publisher="IMDi",
            table="flyktning_botid_flytting",
            title_nb="Personer med flyktningbakgrunn etter sekundærflytting og botid",
            title_en="Persons with refugee background by secondary migration and time in Norway",
            licence=LICENCE_NLOD,
            homepage="https://www.imdi.no/tall-og-statistikk/",
            live_format="imdi_stay_csv",
            live_path="/download_csv/k/flyktning_botid_flytting",
            base="imdi",
            representations=(
                Representation("imdi_stay_csv", ("imdi/k/flyktning_botid_flytting.csv",)),
            ),
            attribution="Kilde: IMDi",
        ),
        Source(
            id="ssb_07459",
            publisher="SSB",
            table="07459",
            title_nb="Befolkning 1. januar, etter kommune (summert til dagens kommuner)",
            title_en="Population on 1 January by kommune (summed to today's kommuner)",
            licence=LICENCE_NLOD,
            homepage="https://www.ssb.no/statbank/table/07459",
            live_format="jsonstat2_population",
            # Kjonn and Alder are left out so PxWebApi eliminates (sums) them:
            # 357 regions x ~41 years = ~15,000 cells, far below the 800,000 limit.
            live_path=PXWEB.format(table="07459")
            + "&valueCodes[Region]=*&codelist[Region]=agg_KommSummer"
            + "&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=*",
            base="ssb",
            representations=(
                Representation("jsonstat2_population", ("ssb/tables/07459.json",)),
                Representation(
                    "ssb_population_extract",
                    ("ssb/07459-folkemengde-2024grenser-1986-2026.csv",),
                ),
            ),
            attribution="Kilde: SSB",
        ),
        Source(
            id="ssb_09817",
            publisher="SSB",
            table="09817",
            title_nb="Innvandrere og norskfødte med innvandrerforeldre, etter kommune",
            title_en="Immigrants and Norwegian-born to immigrant parents, by kommune",
            licence=LICENCE_NLOD,
            homepage="https://www.ssb.no/statbank/table/09817",
            live_format="jsonstat2_immigrants",
            # Two categories (B immigrants, C Norwegian-born to immigrant parents), all
            # country backgrounds: 357 x 2 x ~15 years = ~11,000 cells.
            live_path=PXWEB.format(table="09817")
            + "&valueCodes[Region]=*&codelist[Region]=agg_KommSummer"
            + "&valueCodes[InnvandrKat]=B,C&valueCodes[Landbakgrunn]=00"
            + "&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=*",
            base="ssb",
            representations=(
                Representation("jsonstat2_immigrants", ("ssb/tables/09817.json",)),
                # IMDi's yearly exports of the same SSB statistic (1986-2015), on the
                # kommune division of each year.
                Representation(
                    "imdi_population_main_groups",
                    ("imdi/older/befolkning_hovedgruppe/01-befolkning_hovedgruppe-kommune-*.csv",),
                ),
            ),
            attribution="Kilde: SSB (via IMDi)",
        ),
        Source(
            id="klass_131",
            publisher="SSB KLASS",
            table="131",
            title_nb="Standard for kommuneinndeling (KLASS 131)",
            title_en="Classification of municipalities (KLASS 131)",
            licence=LICENCE_NLOD,
            homepage="https://www.ssb.no/klass/klassifikasjoner/131",
            live_format="klass_codes_csv",
            live_path="/api/klass/v1/classifications/131/codesAt.csv?date=2024-01-01"
            "&csvSeparator=;&language=nb",
            base="ssb",
            representations=(Representation("klass_codes_csv", ("klass/kommuner-131-2026.csv",)),),
            attribution="Kilde: SSB",
        ),
        Source(
            id="klass_104",
            publisher="SSB KLASS",
            table="104",
            title_nb="Standard for fylkesinndeling (KLASS 104)",
            title_en="Classification of counties (KLASS 104)",
            licence=LICENCE_NLOD,
            homepage="https://www.ssb.no/klass/klassifikasjoner/104",
            live_format="klass_codes_csv",
            live_path="/api/klass/v1/classifications/104/codesAt.csv?date=2024-01-01"
            "&csvSeparator=;&language=nb",
            base="ssb",
            representations=(Representation("klass_codes_csv", ("klass/fylker-104-2026.csv",)),),
            attribution="Kilde: SSB",
        ),
        Source(
            id="klass_131_changes",
            publisher="SSB KLASS",
            table="131 (endringer)",
            title_nb="Endringer i kommunenummer 1995–2024",
            title_en="Kommune code changes 1995–2024",
            licence=LICENCE_NLOD,
            homepage="https://www.ssb.no/klass/klassifikasjoner/131/endringer",
            live_format="klass_changes_json",
            live_path="/api/klass/v1/classifications/131/changes.json"
            "?from=1995-01-01&to=2024-01-02&language=nb",
            base="ssb",
            representations=(
                Representation("klass_changes_json", ("klass/changes-131.json",)),
                # Folkehelseinstituttet's change table (with split weights) plus a
                # historic code list for codes it does not cover.
                Representation(
                    "fhi_changes_xlsx",
                    (
                        "klass/kommune-endringer-2018-2024.xlsx",
                        "klass/kommunenummer-historisk-til-2024.csv",
                    ),
                ),
            ),
            attribution="Kilde: SSB KLASS, Folkehelseinstituttet",
        ),
        Source(
            id="kartverket_kommuner",
            publisher="Kartverket",
            table="Kommuner 2024",
            title_nb="Kommunegrenser 2024 (Kartverket, via robhop/fylker-og-kommuner)",
            title_en="Kommune boundaries 2024 (Kartverket, via robhop/fylker-og-kommuner)",
            licence=LICENCE_KARTVERKET,
            homepage="https://github.com/robhop/fylker-og-kommuner",
            live_format="geojson",
            live_path="/robhop/fylker-og-kommuner/main/Kommuner-S.geojson",
            base="geo",
            representations=(Representation("geojson", ("geo/Kommuner-S.geojson",)),),
            attribution="© Kartverket (CC BY 4.0)",
        ),
    ]
}
