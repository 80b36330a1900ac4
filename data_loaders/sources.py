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
    # Who republished the figures where this is not the publisher's own file (IMDi's
    # exports of SSB tables): the source line says "SSB 09817 via IMDi".
    via: str = ""


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
    # A required source stops the refresh when it fails; an optional one leaves its
    # indicators honestly missing and says why in the refresh report.
    required: bool = True
    # The source writes 0 (not only '.') for a code out of use in a year, as IMDi's wide
    # files do. False where it lists only the codes in use, so that every 0 is a count
    # (flyktning_botid_flytting: Holtålen's 0 moved here in 2018, filed under 1644).
    zero_placeholders: bool = True
    # Dimension codes of a PxWebApi table -> indicator name parts (live JSON-stat).
    jsonstat_names: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    # The table's name in English where `table` is more than an id (source lines in
    # the English interface); empty: the same as `table`.
    table_en: str = ""

    def url(self, settings: Settings) -> str | None:
        return settings.base_urls[self.base] + self.live_path if self.live_path else None

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
            zero_placeholders=False,
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
                    via="IMDi",
                ),
            ),
            attribution="Kilde: SSB (via IMDi)",
            required=False,
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
            table_en="131 (changes)",
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
            id="ssb_09588",
            publisher="SSB",
            table="09588",
            title_nb="Flytting etter innvandringskategori, kommune",
            title_en="Migration by immigrant category, kommune",
            licence=LICENCE_NLOD,
            homepage="https://www.ssb.no/statbank/table/09588",
            live_format="jsonstat2_migration",
            # Assumed query (to confirm against the live API): all kommuner summed to
            # today's, immigrant category A (all) and B (immigrants), five flows, all
            # years: 357 x 2 x 5 x ~20 = ~71,000 cells.
            live_path=PXWEB.format(table="09588")
            + "&valueCodes[Region]=*&codelist[Region]=agg_KommSummer"
            + "&valueCodes[InnvandrKat]=A,B&valueCodes[ContentsCode]=*&valueCodes[Tid]=*",
            base="ssb",
            representations=(
                Representation("jsonstat2_migration", ("ssb/tables/09588.json",)),
                Representation("imdi_migration", (
                    "imdi/older/befolkning_flytting-2013.csv",
                    "imdi/older/befolkning_flytting-kommune-2014.csv"), via="IMDi"),
            ),
            attribution="Kilde: SSB (via IMDi)",
            required=False,
            jsonstat_names=(
                ("ContentsCode", (("Innflytting", "in_migration"), ("Utflytting", "out_migration"),
                                  ("Nettoinnflytting", "net_migration"),
                                  ("Innvandring", "immigration"), ("Utvandring", "emigration"))),
                ("InnvandrKat", (("A", ""), ("B", "_immigrants"))),
            ),
        ),
        Source(
            id="ssb_11607",
            publisher="SSB",
            table="11607",
            title_nb="Sysselsatte 15–74 år etter innvandringskategori, kommune",
            title_en="Employed aged 15–74 by immigrant category, kommune",
            licence=LICENCE_NLOD,
            homepage="https://www.ssb.no/statbank/table/11607",
            live_format="jsonstat2_employment",
            # Assumed query: employed persons and employment rate for immigrants (B) and
            # the rest (A-B as 'Befolkningen eksklusive innvandrere'): ~357 x 2 x 2 x 10.
            live_path=PXWEB.format(table="11607")
            + "&valueCodes[Region]=*&codelist[Region]=agg_KommSummer"
            + "&valueCodes[InnvandrKat]=*&valueCodes[ContentsCode]=*&valueCodes[Tid]=*",
            base="ssb",
            representations=(
                Representation("jsonstat2_employment", ("ssb/tables/11607.json",)),
                Representation("imdi_employment",
                               ("imdi/older/sysselsatte_innvkat-kommune-2006_2014.csv",), via="IMDi"),
            ),
            attribution="Kilde: SSB (via IMDi)",
            required=False,
            jsonstat_names=(
                ("ContentsCode", (("Sysselsatte", "employed_"),
                                  ("Personer", "population_15_74_"))),
                ("InnvandrKat", (("B", "immigrants"), ("C", "rest"))),
            ),
        ),
        Source(
            id="ssb_intro",
            publisher="SSB",
            table="13215",
            title_nb="Tidligere deltakere i introduksjonsprogrammet etter status, kommune",
            title_en="Former introduction programme participants by status, kommune",
            licence=LICENCE_NLOD,
            homepage="https://www.ssb.no/statbank/table/13215",
            live_format="jsonstat2_intro",
            live_path=PXWEB.format(table="13215")
            + "&valueCodes[Region]=*&codelist[Region]=agg_KommSummer"
            + "&valueCodes[ContentsCode]=*&valueCodes[Tid]=*",
            base="ssb",
            representations=(
                Representation("jsonstat2_intro", ("ssb/tables/13215.json",)),
                Representation("imdi_intro_status", (
                    "imdi/older/intro_status_arbutd-kommune-2011_2013.csv",
                    "imdi/older/intro_status_arbutd-kommune-2014.csv"), via="IMDi"),
            ),
            attribution="Kilde: SSB (via IMDi)",
            required=False,
            jsonstat_names=(
                ("ContentsCode", (("Avsluttet", "intro_cohort_"),
                                  ("ArbUtd", "intro_work_or_education_count_"))),
                ("Tidsperiode", (("1", "1y"), ("2", "2y"), ("3", "3y"), ("4", "4y"), ("5", "5y"))),
            ),
        ),
        # Centrality class and KOSTRA group per kommune: KLASS correspondences from the
        # kommune classification (131) to the centrality index (128) and to the KOSTRA
        # groups (112). Classification ids to confirm against the live API. The mirror
        # holds both in one file.
        Source(
            id="klass_centrality",
            publisher="SSB KLASS",
            table="128 (sentralitet)",
            table_en="128 (centrality)",
            title_nb="Sentralitetsklasse per kommune (2024)",
            title_en="Centrality class per kommune (2024)",
            licence=LICENCE_NLOD,
            homepage="https://www.ssb.no/klass/klassifikasjoner/128",
            live_format="klass_correspondence_centrality",
            live_path="/api/klass/v1/classifications/131/correspondsAt.json"
            "?targetClassificationId=128&date=2024-01-01&language=nb",
            base="ssb",
            representations=(Representation(
                "centrality_csv", ("klass/sentralitet-kostragruppe-2024.csv",)),),
            attribution="Kilde: SSB",
            required=False,
        ),
        Source(
            id="klass_kostra",
            publisher="SSB KLASS",
            table="112 (KOSTRA-grupper)",
            table_en="112 (KOSTRA groups)",
            title_nb="KOSTRA-gruppe per kommune (2024)",
            title_en="KOSTRA group per kommune (2024)",
            licence=LICENCE_NLOD,
            homepage="https://www.ssb.no/klass/klassifikasjoner/112",
            live_format="klass_correspondence_kostra",
            live_path="/api/klass/v1/classifications/131/correspondsAt.json"
            "?targetClassificationId=112&date=2024-01-01&language=nb",
            base="ssb",
            representations=(Representation(
                "kostra_csv", ("klass/sentralitet-kostragruppe-2024.csv",)),),
            attribution="Kilde: SSB",
            required=False,
        ),
        Source(
            id="imdi_fylke_references",
            publisher="IMDi",
            table="bofasthet og introduksjonsresultater per fylke",
            table_en="staying and introduction programme results by fylke",
            title_nb="Bofasthet etter fem år og arbeid/utdanning etter introduksjonsprogrammet, per fylke",
            title_en="Staying after five years and work/education after the introduction programme, by fylke",
            licence=LICENCE_NLOD,
            homepage="https://www.imdi.no/tall-og-statistikk/",
            # Small summaries IMDi published as files, not through the CSV API.
            live_format="fylke_references",
            live_path="",
            base="imdi",
            representations=(Representation("fylke_references", (
                "imdi/extra/bofasthet_fylke.csv", "imdi/extra/intro_arbeid_utdanning_fylke.csv")),),
            attribution="Kilde: IMDi",
            required=False,
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
