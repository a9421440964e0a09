"""Labels in Norwegian (bokmål) and English. `t(key, lang)`; the language comes from `?lang=` in the URL.

Names of indicators, substances and places come from the catalogues' *_nb / *_en columns; this
module holds only the app's own words. A missing key falls back to English, then to the key itself.
"""
from __future__ import annotations

LANGS = ("nb", "en")
DEFAULT_LANG = "nb"


def lang_of(value) -> str:
    """The language of a URL parameter value: 'nb' or 'en' (anything else: the default)."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    value = str(value or "").strip().lower()
    return value if value in LANGS else DEFAULT_LANG


def other(lang: str) -> str:
    return "en" if lang_of(lang) == "nb" else "nb"


def name(row, base: str, lang: str, fallback: str = "") -> str:
    """row[f'{base}_{lang}'] with the other language, then `fallback`, as fallbacks."""
    for key in (f"{base}_{lang_of(lang)}", f"{base}_{other(lang)}"):
        try:
            value = row[key]
        except (KeyError, IndexError, TypeError):
            value = getattr(row, key, None)
        if isinstance(value, str) and value.strip():
            return value
    return fallback


_T: dict[str, tuple[str, str]] = {
    # navigation and shell
    "nav.overview": ("Oversikt", "Overview"),
    "nav.substances": ("Rusmidler", "Substances"),
    "nav.overdoses": ("Overdoser", "Overdoses"),
    "nav.alcohol": ("Alkohol", "Alcohol"),
    "nav.survey": ("Hurtigkartlegging", "Survey rounds"),
    "nav.explorer": ("Utforsker", "Explorer"),
    "nav.quality": ("Datakvalitet", "Data quality"),
    "nav.sources": ("Kilder", "Sources"),
    "nav.switch": ("English", "Norsk"),
    "yes": ("Ja", "Yes"),
    "no": ("Nei", "No"),
    "nav.switch_title": ("Switch to English", "Bytt til norsk"),
    "footer": ("trendvakt · tall fra det publiserte lageret (publish-skjemaet); hver figur oppgir kilden.",
               "trendvakt · data from the published warehouse (publish schema); every chart names its source."),
    "tagline": ("Trendindikatorer for rus- og alkoholovervåking i Norge. Hver figur oppgir kilden; hver visning "
                "kan deles som lenke og lastes ned som CSV.",
                "Trend indicators for drug and alcohol monitoring in Norway. Every chart names its source; every "
                "view can be shared as a link and downloaded as CSV."),
    # common
    "source": ("Kilde", "Source"),
    "sources": ("Kilder", "Sources"),
    "caption_made": ("Laget", "Made"),
    "source_none": ("Kilde: ingen (ingen rader).", "Source: none (no rows)."),
    "source_unreadable": ("Kilde: ikke tilgjengelig (lageret kan ikke leses).",
                          "Source: unavailable (warehouse not readable)."),
    "share": ("Lenke til denne visningen", "Link to this view"),
    "download": ("Last ned viste data (CSV)", "Download shown data (CSV)"),
    "events": ("Vis hendelser", "Show events"),
    "place": ("Sted", "Place"),
    "places": ("Steder", "Places"),
    "year": ("År", "Year"),
    "period": ("Periode", "Period"),
    "value": ("Verdi", "Value"),
    "unit": ("Enhet", "Unit"),
    "measure": ("Mål", "Measure"),
    "provisional": ("Foreløpig (åpne markører, stiplet)", "Provisional (open markers, dashed)"),
    "final": ("Endelig", "Final"),
    "bound_below": ("Øvre grense («under»): stolpe opp til grensen", "Upper bound ('below'): bar up to the bound"),
    "bound_above": ("Nedre grense («over»): pil opp fra grensen", "Lower bound ('above'): arrow up from the bound"),
    "bound_range": ("Intervall (lavest–høyest)", "Range (low–high)"),
    "suppressed": ("Skjult (lite tall)", "Suppressed (small count)"),
    "suppressed_hover": ("skjult: færre enn {n}", "suppressed: fewer than {n}"),
    "suppressed_note": ("Skjulte tall (for få tilfeller til å publiseres) er vist som skraverte stolper opp til "
                        "grensen, ikke som null.",
                        "Suppressed values (too few cases to publish) are drawn as hatched bars up to the "
                        "threshold, not as zero."),
    "not_published_title": ("Ikke publisert ennå", "Not yet published"),
    "not_published": ("Disse tallene er ikke publisert ennå. De kommer med neste oppdatering av lageret.",
                      "These figures are not yet published. They come with the next update of the warehouse."),
    "unavailable": ("Tallene kan ikke leses akkurat nå. Prøv igjen om et minutt.",
                    "The figures cannot be read right now. Try again in a minute."),
    "technical_detail": ("Teknisk detalj (for driften)", "Technical detail (for operators)"),
    "nav.label": ("Visninger", "Views"),
    "404.title": ("Siden finnes ikke", "Page not found"),
    "404.text": ("Det finnes ingen visning på adressen {path}.", "There is no view at the address {path}."),
    "404.home": ("Til oversikten", "Go to the overview"),
    "unavailable_title": ("Lageret er ikke tilgjengelig", "The warehouse is not available"),
    "no_data": ("Ingen data for dette valget.", "No data for this choice."),
    "trend": ("Trend", "Trend"),
    "increasing": ("økende", "increasing"),
    "decreasing": ("synkende", "decreasing"),
    "no_trend": ("ingen klar trend", "no clear trend"),
    "trend_missing": ("trend ikke publisert ennå (publish.trend_stats)", "trend not yet published (publish.trend_stats)"),
    "apc": ("årlig endring {apc:+.1f} % (95 % KI {lo:+.1f} til {hi:+.1f})",
            "annual change {apc:+.1f}% (95% CI {lo:+.1f} to {hi:+.1f})"),
    "change": ("Endring fra forrige periode", "Change from previous period"),
    "latest": ("Siste verdi", "Latest value"),
    "freshness": ("Sist lastet", "Last loaded"),
    "quality_ok": ("Kvalitetskontroller: ingen feil", "Quality checks: none failing"),
    "quality_fail": ("Kvalitetskontroller: {n} feiler", "Quality checks: {n} failing"),
    "quality_unknown": ("Kvalitetsstatus ikke publisert ennå", "Quality status not yet published"),
    "days_ago": ("{d} dager siden", "{d} days ago"),
    "open_detail": ("Åpne", "Open"),
    "events_hint": ("Loddrette linjer: hendelser som kan forklare brudd i seriene.",
                    "Vertical lines: events that may explain breaks in the series."),
    "licence": ("lisens", "licence"),
    "in_repository": ("i kodelageret under {path}", "in the repository under {path}"),
    # substances
    "subs.title": ("Rusmidler", "Substances"),
    "subs.lead": ("Heroin mot sentralstimulerende og de andre gruppene: dødsfall over tid for valgt geografi, "
                  "som antall, rate per 100 000 eller indeks mot et basisår. Under: retningssignaler fra "
                  "trendpanelet på samme tidsakse (▲ økning, ▼ nedgang).",
                  "Heroin versus stimulants and the other groups: deaths over time for the chosen geography, as "
                  "counts, rates per 100,000 or an index to a base year. Below: direction signals from the trend "
                  "panel on the same time axis (▲ increase, ▼ decrease)."),
    "subs.geo": ("Geografi (dødsfall)", "Geography (deaths)"),
    "subs.substances": ("Rusmiddelgrupper", "Substance groups"),
    "subs.panel": ("Sted (trendsignaler)", "Place (trend signals)"),
    "subs.base": ("Basisår (indeks)", "Base year (index)"),
    "measure.count": ("Antall", "Counts"),
    "measure.rate": ("Per 100 000", "Per 100,000"),
    "measure.index": ("Indeks (basisår = 100)", "Index (base year = 100)"),
    "subs.rate_missing": ("Rater for denne geografien er ikke publisert ennå.",
                         "Rates for this geography are not yet published."),
    "subs.signals": ("Trendsignaler", "Trend signals"),
    "subs.signals_hint": ("Hver strek er perioden et signal gjelder; ▲ økning, ▼ nedgang, ◆ stabilt; større "
                          "markør for sterk endring (±2).",
                          "Each bar is the period a signal covers; ▲ increase, ▼ decrease, ◆ stable; bigger "
                          "markers for strong changes (±2)."),
    "deaths_per_100k": ("Dødsfall per 100 000 innbyggere", "Deaths per 100,000 population"),
    "deaths": ("Dødsfall", "Deaths"),
    "index": ("Indeks (basisår = 100)", "Index (base year = 100)"),
    # overdoses
    "od.title": ("Overdoser", "Overdoses"),
    "od.lead": ("Overdosedødsfall mot ambulanseutrykninger ved overdose, for Bergen og sammenligningssteder: "
                "antall, rater per 100 000 og utrykninger per dødsfall der begge finnes.",
                "Overdose deaths against ambulance callouts for overdoses, for Bergen and comparators: counts, "
                "rates per 100,000 and callouts per death where both exist."),
    "od.show": ("Vis", "Show"),
    "od.counts": ("Antall", "Counts"),
    "od.rates": ("Rater per 100 000", "Rates per 100,000"),
    "od.ratio": ("Utrykninger per dødsfall", "Callouts per death"),
    "callouts": ("Ambulanseutrykninger", "Ambulance callouts"),
    "callouts_per_death": ("Utrykninger per dødsfall", "Callouts per death"),
    "od.table": ("Tabell", "Table"),
    # overdoses (issue 11)
    "tab_chart": ("Figur", "Chart"),
    "tab_table": ("Tabell", "Table"),
    "od.measure": ("Mål for dødsfall", "Deaths measure"),
    "od.deaths_rate": ("Dødsfall per 100 000", "Deaths per 100,000"),
    "od.callouts_rate": ("Utrykninger per 100 000", "Callouts per 100,000"),
    "od.suppressed": ("Skjult", "Suppressed"),
    "od.suppressed_value": ("skjult (for få til å publiseres)", "suppressed (too few to publish)"),
    "od.under": ("under", "under"),
    "od.over": ("over", "over"),
    "od.ci": ("95 % KI", "95% CI"),
    "od.yes": ("Ja", "Yes"),
    "od.no": ("Nei", "No"),
    "od.definitions": ("Definisjoner", "Definitions"),
    "od.ratio_note": ("Utrykninger i ambulanseområdet delt på dødsfallene i kommunen; når dødsfallene bare er "
                      "kjent som et intervall, er forholdstallet også et intervall.",
                      "Callouts in the ambulance area divided by the deaths in the municipality; where the deaths are "
                      "known only as a range, so is the ratio."),
    # alcohol
    "alc.title": ("Alkohol", "Alcohol"),
    "alc.lead": ("Salg av øl, vin og brennevin etter drikkegruppe og år: liter, ren alkohol og per innbygger 15 år "
                 "og over.",
                 "Sales of beer, wine and spirits by beverage group and year: litres, pure alcohol and per "
                 "inhabitant aged 15 and over."),
    "alc.litres": ("Liter solgt", "Litres sold"),
    "alc.share": ("Andel av totale liter", "Share of total litres"),
    "alc.pure": ("Liter ren alkohol", "Litres of pure alcohol"),
    "alc.litres_pc": ("Liter per innbygger 15+", "Litres per inhabitant 15+"),
    "alc.pure_pc": ("Ren alkohol per innbygger 15+", "Pure alcohol per inhabitant 15+"),
    "alc.new_missing": ("Ren alkohol og tall per innbygger er ikke publisert ennå for dette stedet.",
                       "Pure alcohol and per-capita figures are not yet published for this place."),
    # survey
    "sv.title": ("Hurtigkartlegging", "Survey rounds"),
    "sv.lead": ("KoRus spurte kommunale tjenester i 2021 hva de så i rusmiljøet under koronatiltakene. Hele "
                "landet: andel som svarte ja med 95 % intervall (Wilson), n i hver etikett. Regioner: bare antall "
                "ble publisert.",
                "KoRus asked municipal services in 2021 what they saw in the local drug scene during the "
                "covid-19 restrictions. Whole country: the share answering yes with its 95% interval (Wilson), n "
                "in every label. Regions: only counts were published."),
    "sv.level": ("Geografi", "Geography"),
    "sv.nation": ("Hele landet", "Whole country"),
    "sv.georegion": ("Landsdeler", "Regions (landsdeler)"),
    "sv.rows": ("Radene bak figuren", "Rows behind the chart"),
    # explorer
    "ex.title": ("Utforsker", "Explorer"),
    "ex.lead": ("Enhver indikator etter geografi og periode, som figur og tabell. CSV-filen har et hode med "
                "definisjon, enhet, kilde, sitering, lisens, årgang og skjuleregel.",
                "Any indicator by geography and period, as chart and table. The CSV file starts with a header "
                "of definition, unit, source, citation, licence, vintage and suppression rule."),
    "ex.indicator": ("Indikator", "Indicator"),
    "ex.series": ("Serie (rusmiddel · kjønn · alder · inndeling)", "Series (substance · sex · age · breakdown)"),
    "ex.period_type": ("Periodetype", "Period type"),
    "ex.years": ("År", "Years"),
    "ex.fallback": ("Viser tallene slik kilden publiserte dem; rater, indekser og stedsnavn er ikke publisert ennå.",
                   "Showing the figures as the source published them; rates, indices and place names are not yet published."),
    "ex.table": ("Tabell", "Table"),
    "ex.rows_shown": ("{n} rader (viser de første {m})", "{n} rows (showing the first {m})"),
    # the explorer CSV's `# ` metadata lines (labels; the values are the catalogue's)
    "csvmeta.export": ("trendvakt-uttrekk", "trendvakt export"),
    "csvmeta.indicator": ("indikator", "indicator"),
    "csvmeta.definition": ("definisjon", "definition"),
    "csvmeta.as_written": ("{text} (slik kilden skriver den, på engelsk)", "{text}"),
    "csvmeta.no_definition": ("ikke publisert ennå (publish.indicators)", "not yet published (publish.indicators)"),
    "csvmeta.unit": ("enhet", "unit"),
    "csvmeta.source": ("kilde", "source"),
    "csvmeta.citation": ("sitering", "citation"),
    "csvmeta.licence": ("lisens", "licence"),
    "csvmeta.url": ("adresse", "url"),
    "csvmeta.vintage": ("årgang", "vintage"),
    "csvmeta.suppression": ("skjermingsregel", "suppression rule"),
    "csvmeta.suppress_below": ("tall under {n} er skjult (verdien er tom, «Skjult» = Ja)",
                               "counts below {n} are suppressed (value blank, is_suppressed = true)"),
    "csvmeta.none": ("ingen", "none"),
    "csvmeta.selection": ("utvalg", "selection"),
    "csvmeta.lineage": ("metadata fra: {meta}; rader fra: {rows}", "metadata from: {meta}; rows from: {rows}"),
    "csvmeta.exported": ("eksportert", "exported"),
    # explorer/substances (issue 11)
    "exs.substance": ("Rusmiddel", "Substance"),
    "exs.years_swapped": ("Fra-året var etter til-året, så årene er byttet om: viser {a}–{b}.",
                          "The From year was after the To year, so the years were swapped: showing {a}–{b}."),
    "exs.compare_hint": ("Sammenlign: velg to steder, for eksempel en kommune og Norge; hvert sted får egen farge, "
                         "strek og navn i tegnforklaringen.",
                         "Compare: choose two places, for example a municipality and Norway; each place gets its "
                         "own colour, line and name in the legend."),
    "exs.index_of": ("Indeksen er regnet på de samme tallene som «{measure}» ({indicator}), med {base} = 100.",
                     "The index is computed on the same figures as '{measure}' ({indicator}), with {base} = 100."),
    "exs.no_base": ("Ingen verdi i basisåret {base} for: {names}. Disse er ikke vist som indeks.",
                    "No value in the base year {base} for: {names}. These are not shown as an index."),
    # quality
    "dq.title": ("Datakvalitet", "Data quality"),
    "dq.lead": ("Per kilde: siste lasting, årgang og ferskhet, avviste filer med årsak, og kontroller som feiler.",
                "Per source: the last load, vintage and freshness, rejected files with reasons, and failing "
                "checks."),
    "dq.status": ("Status per kilde", "Status per source"),
    "dq.no_status": ("Ingen kilde er lastet ennå.", "No source has been loaded yet."),
    "dq.status_green": ("grønn", "green"),
    "dq.status_amber": ("gul", "amber"),
    "dq.status_red": ("rød", "red"),
    "dq.loads": ("Siste lasting per kilde", "Last load per source"),
    "dq.rejections": ("Avviste filer og rader", "Rejected files and rows"),
    "dq.checks": ("Kontroller som feiler eller varsler", "Failing or warning checks"),
    "dq.none_rejected": ("Ingen avviste filer.", "No rejected files."),
    "dq.none_failing": ("Ingen kontroller feiler.", "No failing checks."),
    "dq.source": ("Kilde", "Source"),
    # sources
    "src.title": ("Kilder", "Sources"),
    "src.lead": ("Katalogen over kilder: utgiver, sitering, lisens og dekning (første og siste periode, antall "
                 "observasjoner).",
                 "The source catalogue: publisher, citation, licence and coverage (first and last period, number "
                 "of observations)."),
    "src.publisher": ("Utgiver", "Publisher"),
    "src.citation": ("Sitering", "Citation"),
    "src.licence": ("Lisens", "Licence"),
    "src.coverage": ("Dekning", "Coverage"),
    "src.n": ("Observasjoner", "Observations"),
    "src.indicators": ("Indikatorer", "Indicators"),
}


# Table headings: the column name of the publish view -> (bokmål, English).
_COLUMNS: dict[str, tuple[str, str]] = {
    "geo_name": ("Sted", "Place"), "geo_label": ("Sted", "Place"), "year": ("År", "Year"),
    "period": ("Periode", "Period"), "value": ("Verdi", "Value"), "value_low": ("Nedre", "Low"),
    "value_high": ("Øvre", "High"), "qualifier": ("Presisering", "Qualifier"),
    "is_provisional": ("Foreløpig", "Provisional"), "is_suppressed": ("Skjult", "Suppressed"),
    "rate_per_100k": ("Per 100 000", "Per 100k"), "unit": ("Enhet", "Unit"),
    "source_file": ("Kildefil", "Source file"), "source_row": ("Linje", "Line"),
    "deaths": ("Dødsfall", "Deaths"), "deaths_qualifier": ("Presisering", "Qualifier"),
    "deaths_low": ("Nedre", "Low"), "deaths_high": ("Øvre", "High"),
    "death_rate_per_100k": ("Dødsfall per 100 000", "Deaths per 100k"),
    "callouts": ("Utrykninger", "Callouts"), "callout_rate_per_100k": ("Utrykninger per 100 000", "Callouts per 100k"),
    "callouts_per_death": ("Utrykninger per dødsfall", "Callouts per death"),
    "source_id": ("Kilde", "Source"), "status": ("Status", "Status"), "vintage": ("Versjon", "Vintage"),
    "last_load_id": ("Siste innlasting", "Last load"), "load_id": ("Innlasting", "Load"),
    "rows_loaded": ("Rader lastet", "Rows loaded"), "started_at": ("Startet", "Started"),
    "finished_at": ("Ferdig", "Finished"), "last_loaded_at": ("Sist lastet", "Last loaded"),
    "last_seen": ("Sist sett", "Last seen"), "sha256": ("SHA-256", "SHA-256"), "message": ("Melding", "Message"),
    "freshness": ("Alder", "Freshness"), "source_column": ("Kolonne", "Column"),
    "check_name": ("Kontroll", "Check"), "reason": ("Årsak", "Reason"), "recorded_at": ("Registrert", "Recorded"),
    "layer": ("Lag", "Layer"), "target": ("Mål", "Target"), "severity": ("Alvorlighet", "Severity"),
    "failures": ("Avvik", "Failures"), "details": ("Detaljer", "Details"),
    "publisher": ("Utgiver", "Publisher"), "title": ("Tittel", "Title"), "citation": ("Sitering", "Citation"),
    "licence": ("Lisens", "Licence"), "coverage": ("Dekning", "Coverage"),
    "n_observations": ("Observasjoner", "Observations"), "n_indicators": ("Indikatorer", "Indicators"),
    "url": ("Nettadresse", "URL"),
}


# Units of the indicator catalogue -> (bokmål, English).
_UNITS: dict[str, tuple[str, str]] = {
    "deaths": ("dødsfall", "deaths"), "callouts": ("utrykninger", "callouts"), "litres": ("liter", "litres"),
    "per_100k": ("per 100 000", "per 100,000"), "percent": ("prosent", "percent"), "persons": ("personer", "persons"),
    "direction": ("retning", "direction"), "patients": ("pasienter", "patients"), "needles": ("sprøytespisser", "needles"),
    "syringes": ("sprøyter", "syringes"), "sheets": ("ark", "sheets"), "households": ("husstander", "households"),
    "admissions": ("innleggelser", "admissions"), "deaths_per_year": ("dødsfall per år", "deaths per year"),
}


def unit_label(unit, lang: str) -> str:
    """A catalogue unit in `lang`; an unknown unit is shown as written, underscores as spaces."""
    pair = _UNITS.get(str(unit or ""))
    if pair is None:
        return str(unit or "").replace("_", " ")
    return pair[0] if lang_of(lang) == "nb" else pair[1]


def column_label(column: str, lang: str) -> str:
    """The heading for a publish column in `lang`; unknown columns keep their name, spaced."""
    pair = _COLUMNS.get(column)
    if pair is None:
        return column.replace("_", " ")
    return pair[0] if lang_of(lang) == "nb" else pair[1]


def t(key: str, lang: str = DEFAULT_LANG, **fmt) -> str:
    pair = _T.get(key)
    if pair is None:
        return key
    text = pair[0] if lang_of(lang) == "nb" else pair[1]
    return text.format(**fmt) if fmt else text


# survey rounds (issue 11): the view's chart, table and notes in both languages
_T.update({
    "sv.week": ("uke {week}, {year}", "week {week}, {year}"),
    "sv.situation": ("situasjonen {start}–{end}", "situation {start}–{end}"),
    "sv.nation_title": ("Hele landet: andel som svarte ja, med 95 % intervall (Wilson)",
                        "Whole country: share answering yes, with its 95% interval (Wilson)"),
    "sv.nation_sub": ("Fylt: andel regnet ut fra antallene. Åpen: prosent slik rapporten trykket den "
                      "(antall svarende ikke publisert).",
                      "Filled: share recomputed from the counts. Hollow: percentage as the report printed it "
                      "(number of respondents not published)."),
    "sv.region_title": ("Etter landsdel: antall som svarte ja (andeler kan ikke regnes ut)",
                        "By region: respondents answering yes (counts; shares cannot be computed)"),
    "sv.share_axis": ("Andel som svarte ja (%)", "Share answering yes (%)"),
    "sv.count_axis": ("Svarte ja (antall)", "Answered yes (count)"),
    "sv.label_share": ("{share} % · {yes} av {n}", "{share}% · {yes} of {n}"),
    "sv.label_printed": ("{share} % som trykt", "{share}% as printed"),
    "sv.label_bad": ("⚠ {label}", "⚠ {label}"),
    "sv.hover_share": ("Andel: <b>{share} %</b> (95 % KI {low}–{high} %, Wilson)<br>Ja: {yes} av {n} svarende",
                       "Share: <b>{share}%</b> (95% CI {low}–{high}%, Wilson)<br>Yes: {yes} of n = {n} respondents"),
    "sv.hover_printed": ("Andelen kan ikke regnes ut: antall svarende ble ikke publisert<br>Ja: {yes}",
                         "The share cannot be recomputed: respondents were not published<br>Yes: {yes}"),
    "sv.hover_report": ("Trykt i rapporten: {printed}", "Printed in the report: {printed}"),
    "sv.hover_count": ("Ja: <b>{yes}</b> (antall svarende i landsdelen ikke publisert)",
                       "Yes: <b>{yes}</b> (respondents in the region not published)"),
    "sv.printed_only": ("prosent som trykt (uten n)", "printed % only (no n)"),
    "sv.no_rows": ("Ingen rader fra hurtigkartleggingen er publisert.", "No survey rows are published."),
    "sv.no_counts": ("Ingen antall per landsdel er publisert.", "No regional counts are published."),
    "sv.col.round": ("Runde", "Round"), "sv.col.place": ("Sted", "Place"), "sv.col.question": ("Spørsmål", "Question"),
    "sv.col.yes": ("Ja (antall)", "Yes (count)"), "sv.col.n": ("Svarende (n)", "Respondents (n)"),
    "sv.col.share": ("Andel (%)", "Share (%)"), "sv.col.ci": ("95 % KI (Wilson)", "95% CI (Wilson)"),
    "sv.col.change": ("Endring fra forrige runde", "Change from the previous round"),
    "sv.col.printed": ("Trykt (%)", "Printed (%)"), "sv.col.check": ("Trykt mot antall", "Printed vs counts"),
    "sv.col.qualifier": ("Merknad", "Qualifier"), "sv.col.source_row": ("Kilde (fil:linje)", "Source (file:line)"),
    "sv.not_published": ("ikke publisert", "not published"),
    "sv.not_computable": ("kan ikke regnes ut", "cannot be computed"),
    "sv.check.consistent": ("stemmer", "matches"),
    "sv.check.inconsistent": ("⚠ stemmer ikke", "⚠ does not match"),
    "sv.check.not_checkable": ("kan ikke sjekkes", "cannot be checked"),
    "sv.change_pp": ("{change} prosentpoeng", "{change} percentage points"),
    "sv.change_yes": ("{change} (ja-svar)", "{change} (yes answers)"),
    "sv.note_no_shares": ("Antall svarende per landsdel ble ikke publisert, så andeler og intervaller kan ikke "
                          "regnes ut her: stolpene viser hvor mange som svarte ja.",
                          "Respondents per region were not published, so shares and their intervals cannot be "
                          "computed here: the bars show how many respondents answered yes."),
    "sv.note_hollow": ("Åpne markører: rapporten trykket en prosent, men ikke antall svarende, så andelen kan "
                       "ikke regnes ut på nytt og intet intervall kan tegnes.",
                       "Hollow markers: the report printed a percentage but not the number of respondents, so "
                       "the share cannot be recomputed and no interval can be drawn."),
    "sv.note_bad_head": ("⚠ Trykt prosent stemmer ikke med antallene:", "⚠ Printed percentage does not match the counts:"),
    "sv.note_bad": ("{round}, {place}, «{question}»: rapporten trykket {printed} % for {yes} av {n}, som er {share} %.",
                    "{round}, {place}, «{question}»: the report printed {printed}% for {yes} of {n}, which is {share}%."),
    "sv.table_caption": ("Radene bak figuren, i samme rekkefølge som kilden",
                         "The rows behind the chart, in the order of the source"),
})


# overview/quality (issue 11)
_T.update({
    "ov.data_period": ("Dataperiode", "Data period"),
    "ov.data_up_to": ("data til og med {period}", "data up to {period}"),
    "ov.load_time": ("Lastet inn", "Load time"),
    "ov.loaded": ("lastet {date}", "loaded {date}"),
    "ov.not_published": ("ikke publisert ennå", "not yet published"),
    "ov.newer": ("Nyere, foreløpig tall: {period}: {value}", "Newer, provisional figure: {period}: {value}"),
    "ov.partial": ("Hittil i {period} (ufullstendig periode, foreløpig): {value}",
                   "{period} so far (incomplete period, provisional): {value}"),
    "dq.lead2": ("Per kilde: status (grønn, gul, rød), siste periode med data, siste innlasting og antall rader; "
                 "avviste filer med årsak; varsler og kontroller som feiler. Tekniske id-er vises når du holder "
                 "pekeren over et filnavn.",
                 "Per source: status (green, amber, red), last period covered, last load and rows; rejected files "
                 "with their reasons; warnings and failing checks. Technical ids show when you hover over a file "
                 "name."),
    "dq.all_sources": ("Alle kilder", "All sources"),
    "dq.covers_to": ("data til {date}", "data up to {date}"),
    "dq.last_load": ("lastet {date}", "loaded {date}"),
    "dq.rows": ("{n} rader", "{n} rows"),
    "dq.why_rejected_old": ("den nyeste filen ble avvist; forrige godkjente versjon er publisert",
                            "the newest file was rejected; its last good vintage is published"),
    "dq.why_rejected": ("filen ble avvist, og ingenting fra den er publisert",
                        "the file was rejected and nothing of it is published"),
    "dq.why_removed": ("fjernet fra kildemappen; radene er tatt ut av tallene",
                       "removed from the source folder; its rows left the figures"),
    "dq.why_warnings": ("lastet med varsler", "loaded with warnings"),
    "dq.file_loaded": ("lastet", "loaded"),
    "dq.file_unchanged": ("uendret", "unchanged"),
    "dq.file_rejected": ("avvist", "rejected"),
    "dq.file_removed": ("fjernet", "removed"),
    "dq.row_n": ("rad {n}", "row {n}"),
    "dq.column_c": ("kolonne {c}", "column {c}"),
    "dq.h_source": ("Kilde", "Source"),
    "dq.h_file": ("Fil", "File"),
    "dq.h_status": ("Status", "Status"),
    "dq.h_outcome": ("Siste innlasting", "Last run"),
    "dq.h_vintage": ("Publisert versjon fra", "Published version of"),
    "dq.h_loaded": ("Sist lastet", "Last loaded"),
    "dq.h_rows": ("Rader", "Rows"),
    "dq.h_reason": ("Merknad", "Note"),
    "dq.h_why": ("Årsak", "Reason"),
    "dq.h_where": ("Hvor i filen", "Where in the file"),
    "dq.h_value": ("Verdi", "Value"),
    "dq.h_when": ("Dato", "Date"),
    "dq.h_found": ("Hva kontrollen fant", "What the check found"),
    "dq.h_count": ("Antall rader", "Rows affected"),
    # Data quality in the page's language (issue 11): the sentence around a check's own note, and
    # per rejection code (ingest/problems.py Problem.check) what went wrong, in words. A unit test
    # (tests/unit/test_quality_words.py) fails when a code in ingest/ or expectations/ has none.
    "dq.rows_break_one": ("1 rad bryter regelen", "1 row breaks the rule"),
    "dq.rows_break_many": ("{n} rader bryter regelen", "{n} rows break the rule"),
    "dq.rule_broken": ("Regelen er brutt", "The rule is broken"),
    "dq.at_line": ("linje {lines}", "line {lines}"),
    "dq.at_lines": ("linjene {lines}", "lines {lines}"),
    "dq.values_found": ("Verdier som ble funnet: {values}.", "Values found: {values}."),
    "dq.rule_unnamed": ("Regelen {check} (uten norsk forklaring).", "The rule {check}."),
    "dq.why_warnings_one": ("lastet med 1 varsel; se kontrollene nedenfor", "loaded with 1 warning; see the checks below"),
    "dq.why_warnings_many": ("lastet med {n} varsler; se kontrollene nedenfor",
                             "loaded with {n} warnings; see the checks below"),
    "dq.why_reloaded": ("lastet på nytt: innholdet eller kildebeskrivelsen er endret, eller det ble bedt om ny lasting",
                        "loaded again: its content or its spec changed, or a new load was asked for"),
    "dq.problem_other": ("Filen bryter regelen {check}.", "The file breaks the rule {check}."),
    "dq.problem.spec_error": ("Kildebeskrivelsen har en feil og må rettes av den som skrev den.",
                              "The source's spec is wrong and must be fixed by whoever wrote it."),
    "dq.problem.file_name_not_utf8": ("Filnavnet har tegn som ikke kan leses (ikke UTF-8); gi filen et nytt navn.",
                                      "The file name is not valid UTF-8; rename the file."),
    "dq.problem.broken_symlink": ("Snarveien peker på en fil som ikke finnes.",
                                  "The symbolic link points to a file that does not exist."),
    "dq.problem.symlink_outside_data_dir": ("Snarveien peker ut av datamappen; legg selve filen i kildemappen.",
                                            "The symbolic link points outside the data folder; put the file itself in the source folder."),
    "dq.problem.unreadable_file": ("Filen kan ikke leses (tilgang, en skadet fil eller en fil som forsvant underveis).",
                                   "The file cannot be read (permissions, a damaged file or one that vanished)."),
    "dq.problem.not_a_file": ("Dette er ikke en vanlig datafil (for eksempel en mappe med filnavn).",
                              "This is not a regular data file (for example a folder named like one)."),
    "dq.problem.empty_file": ("Filen er tom; det er ingenting å laste inn.", "The file is empty; there is nothing to load."),
    "dq.problem.no_source": ("Ingen kildebeskrivelse passer til filen; legg til en, eller flytt filen til riktig kildemappe.",
                             "No source spec matches the file; add one, or move the file to its source's folder."),
    "dq.problem.binary_file": ("Filen inneholder binære tegn; den er skadet eller ikke en tekstfil.",
                               "The file contains binary bytes; it is damaged or not a text table."),
    "dq.problem.truncated_record": ("Filen slutter midt i en linje; den siste raden kan være avkuttet.",
                                    "The file ends mid-line; its last row may be cut short."),
    "dq.problem.wrong_encoding": ("Filen har en annen tegnkoding enn kilden er satt opp med; lagre den på nytt med riktig tegnkoding.",
                                  "The file is not in the encoding its source declares; save it again in that encoding."),
    "dq.problem.wrong_delimiter": ("Kolonnene er skilt med et annet tegn enn kilden er satt opp med.",
                                   "The columns are separated by another character than the source declares."),
    "dq.problem.wrong_field_count": ("Raden har et annet antall felt enn overskriftslinjen.",
                                     "The row has another number of fields than the header."),
    "dq.problem.missing_header": ("Overskriftslinjen mangler eller står ikke der kilden er satt opp med.",
                                  "The header line is missing or not where the source declares it."),
    "dq.problem.empty_header": ("En kolonne har ingen overskrift.", "A column has no header."),
    "dq.problem.duplicate_column": ("To kolonner har samme overskrift.", "Two columns have the same header."),
    "dq.problem.missing_column": ("En kolonne som kilden skal ha, mangler i filen.",
                                  "A column the source must have is missing from the file."),
    "dq.problem.unmapped_header": ("En kolonneoverskrift passer ikke med det kildebeskrivelsen oppgir.",
                                   "A column header does not match what the source's spec declares."),
    "dq.problem.wrong_type": ("Verdien har feil type (for eksempel tekst der det skal stå et tall eller en dato).",
                              "The value has the wrong type (for example text where a number or a date belongs)."),
    "dq.problem.wrong_value": ("Verdien er ikke en av dem kilden kan ha.", "The value is not one the source may have."),
    "dq.problem.integer_out_of_range": ("Tallet er for stort til å lagres som et heltall.",
                                        "The number is too large to be stored as a whole number."),
    "dq.problem.non_finite_number": ("Verdien er ikke et endelig tall (uendelig eller ikke et tall).",
                                     "The value is not a finite number (infinite or not a number)."),
    "dq.problem.too_many_digits": ("Tallet har for mange sifre til å være riktig.", "The number has too many digits to be right."),
    "dq.problem.required_value_missing": ("Et felt som må ha en verdi, er tomt.", "A field that must have a value is empty."),
    "dq.problem.implausible_date": ("Datoen er for tidlig til å være riktig for denne kilden; trolig en skrivefeil.",
                                    "The date is too early to be right for this source; probably a typo."),
    "dq.problem.implausible_year": ("Året er for tidlig til å være riktig for denne kilden; trolig en skrivefeil.",
                                    "The year is too early to be right for this source; probably a typo."),
    "dq.problem.implausible_period": ("Perioden ligger utenfor det som er mulig for denne kilden.",
                                      "The period lies outside what is possible for this source."),
    "dq.problem.future_period": ("Perioden ligger fram i tid.", "The period lies in the future."),
    "dq.problem.invalid_iso_week": ("Uken finnes ikke (ISO-uker går fra 01 til 52, og 53 bare i noen år).",
                                    "The week does not exist (ISO weeks run 01 to 52, and 53 only in some years)."),
    "dq.problem.bad_period": ("Perioden kan ikke bygges fra denne raden.", "The period cannot be built from this row."),
    "dq.problem.unknown_code": ("Koden finnes ikke i kodelistene og er ikke koblet i kildebeskrivelsen.",
                                "The code is not in the code lists, nor mapped by the source's spec."),
    "dq.problem.missing_value": ("Raden har ingen verdi, og kvalifikatoren sier ikke hvorfor.",
                                 "The row has no value, and its qualifier does not say why."),
    "dq.problem.negative_value": ("Verdien er negativ.", "The value is negative."),
    "dq.problem.key_repeated_across_files": ("Raden finnes også i en annen fil fra samme kilde og ville blitt talt to ganger.",
                                             "The row is also in another file of the same source and would be counted twice."),
    "dq.problem.not_json": ("Filen er ikke gyldig JSON.", "The file is not valid JSON."),
    "dq.problem.invalid_jsonstat": ("Filen følger ikke JSON-stat 2.0-formatet.", "The file does not follow the JSON-stat 2.0 format."),
    "dq.problem.not_a_spreadsheet": ("Filen er ikke et regneark som kan åpnes.", "The file is not a spreadsheet that can be opened."),
    "dq.problem.missing_sheet": ("Arket kilden er satt opp med, finnes ikke i regnearket.",
                                 "The sheet the source declares is not in the workbook."),
    "dq.problem.unreadable_sheet": ("Arket i regnearket kan ikke leses.", "The sheet of the workbook cannot be read."),
    "dq.problem.unreadable_table": ("Tabellen i filen kan ikke leses slik kilden er satt opp.",
                                    "The table in the file cannot be read as the source declares."),
    "dq.problem.not_ssb_export": ("Filen ser ikke ut som et uttrekk fra SSBs statistikkbank.",
                                  "The file does not look like an export from Statistics Norway's StatBank."),
    "dq.problem.no_data": ("Filen har ingen data.", "The file holds no data."),
    "dq.problem.no_rows": ("Filen har ingen rader under overskriften.", "The file has no rows below its header."),
    "ov.spark_alt": ("Liten figur: {label}, {first}–{last}", "Small chart: {label}, {first}–{last}"),
})


# ---------------------------------------------------------------------------------------------
# Numbers, dates, booleans and qualifiers in the reader's language. Babel (CLDR data) does the
# number and date formats: nb writes 12 345,6 (no-break space, decimal comma), en 12,345.6.
# ---------------------------------------------------------------------------------------------
_LOCALES = {"nb": "nb_NO", "en": "en_GB"}


def num(value, lang: str = DEFAULT_LANG, digits: int | None = None) -> str:
    """A number for reading: `digits` decimals (None: as many as the value has, at most 3);
    '–' for a missing value."""
    from babel.numbers import format_decimal

    try:
        if value is None or value != value:  # NaN
            return "–"
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if digits is None:
        pattern = "#,##0" if number == int(number) else "#,##0.###"
    else:
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(number, format=pattern, locale=_LOCALES[lang_of(lang)])


def date(value, lang: str = DEFAULT_LANG) -> str:
    """A date for reading: nb '3. des. 2026', en '3 Dec 2026'; '–' when missing."""
    import pandas as pd
    from babel.dates import format_date

    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    if pd.isna(stamp):
        return "–"
    return format_date(stamp.date(), format="medium", locale=_LOCALES[lang_of(lang)])


def yes_no(value, lang: str = DEFAULT_LANG) -> str:
    """A boolean in words ('' when missing): never 'True'/'False' on screen."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    truthy = str(value).strip().lower() in ("true", "1", "yes", "ja", "t") if isinstance(value, str) else bool(value)
    return t("yes" if truthy else "no", lang)


# The qualifier vocabulary of the marts (vars.qualifiers in dbt_project.yml) in words.
_QUALIFIERS: dict[str, tuple[str, str]] = {
    "exact": ("eksakt", "exact"), "approx": ("omtrent", "approximately"), "estimated": ("anslått", "estimated"),
    "below": ("under", "below"), "above": ("over", "above"), "range": ("intervall", "range"),
    "derived_from_total": ("utledet fra totalen", "derived from the total"), "derived": ("utledet", "derived"),
    "average_unspecified_period": ("gjennomsnitt, periode ikke oppgitt", "average, period not stated"),
    "suppressed": ("skjult (lite tall)", "suppressed (small count)"),
    "not_available": ("ikke tilgjengelig", "not available"),
    "not_aggregable": ("kan ikke summeres", "cannot be summed"),
}


def qualifier(value, lang: str = DEFAULT_LANG) -> str:
    pair = _QUALIFIERS.get(str(value or ""))
    if pair is None:
        return "" if value is None else str(value).replace("_", " ")
    return pair[0] if lang_of(lang) == "nb" else pair[1]


# Breakdowns as the sources label them (publish.indicator_series.breakdown) in words.
_BREAKDOWNS: dict[str, tuple[str, str]] = {
    "residents, deaths in the country": ("bosatte, døde i landet", "residents, deaths in the country"),
    "deaths in the country, all residences": ("døde i landet, alle bosteder", "deaths in the country, all residences"),
    "among substance problem": ("blant personer med rusproblemer", "among people with substance problems"),
    "age 15-16": ("alder 15–16", "aged 15–16"),
    "main diagnosis": ("hoveddiagnose", "main diagnosis"),
    "households waiting": ("husstander som venter", "households waiting"),
    "among homeless": ("blant bostedsløse", "among homeless people"),
    "among ROP": ("blant personer med ROP-lidelser", "among people with co-occurring disorders"),
    "residents of Bergen": ("bosatt i Bergen", "residents of Bergen"),
    "among all mapped": ("blant alle kartlagte", "among everyone surveyed"),
    "NIBR count": ("NIBR-telling", "NIBR count"),
    "consistent series": ("sammenlignbar serie", "consistent series"),
    "korus_rapid_survey": ("hurtigkartleggingen (KoRus)", "the rapid survey (KoRus)"),
    "fore_var_trend_panel": ("Føre Var-panelet", "the Føre Var panel"),
}


def breakdown(value, lang: str = DEFAULT_LANG) -> str:
    """A source's breakdown label in the reader's language; `key=value` reads as 'key: value'."""
    text = "" if value is None else str(value)
    pair = _BREAKDOWNS.get(text)
    if pair is not None:
        return pair[0] if lang_of(lang) == "nb" else pair[1]
    if text.startswith("distributor="):
        return ("utdeler: " if lang_of(lang) == "nb" else "distributor: ") + text.split("=", 1)[1]
    return text.replace("_", " ")


_PERIOD_TYPES: dict[str, tuple[str, str]] = {
    "year": ("år", "year"), "quarter": ("kvartal", "quarter"), "month": ("måned", "month"),
    "week": ("uke", "week"), "iso_week": ("uke", "week"), "financial_year": ("regnskapsår", "financial year"),
    "span": ("periode", "period"), "survey_round": ("runde", "round"), "day": ("dag", "day"),
}

# The trend panel's aspects (trend_signal_<aspect>) and its signal kinds (the detail's prefix).
_SIGNAL_WORDS: dict[str, tuple[str, str]] = {
    "use": ("bruk", "use"), "availability": ("tilgjengelighet", "availability"), "price": ("pris", "price"),
    "availability_and_use": ("tilgjengelighet og bruk", "availability and use"),
    "long_term": ("langsiktig", "long term"), "covid_special": ("korona, særskilt", "covid special"),
    "several": ("flere", "several"), "mentioned": ("nevnt", "mentioned"), "exact": ("", ""),
}


def period_type(value, lang: str = DEFAULT_LANG) -> str:
    pair = _PERIOD_TYPES.get(str(value or ""))
    return str(value or "").replace("_", " ") if pair is None else pair[0 if lang_of(lang) == "nb" else 1]


def signal_word(value, lang: str = DEFAULT_LANG) -> str:
    key = str(value or "").strip().replace(" ", "_")
    pair = _SIGNAL_WORDS.get(key)
    return str(value or "").replace("_", " ") if pair is None else pair[0 if lang_of(lang) == "nb" else 1]


# ---------------------------------------------------------------------------------------------
# CSV download headers (issue 11): every column a view's "Download CSV" sends -> (bokmål, English).
# The order of this dict is the column order of every download (components/downloads.py): what a
# row is about first, then the numbers, then flags, then the lineage columns last, so each number
# stays traceable to its source file and row. Columns named <base>_nb / <base>_en are sent in the
# page language only, under <base>'s words.
# ---------------------------------------------------------------------------------------------
CSV_COLUMNS: dict[str, tuple[str, str]] = {
    "record": ("Radtype", "Record type"),
    "indicator_id": ("Indikator-ID", "Indicator ID"), "indicator_name": ("Indikator", "Indicator"),
    "deaths_indicator_id": ("Indikator-ID for dødsfall", "Deaths indicator ID"),
    "geo_code": ("Stedskode", "Place code"), "geo_name": ("Sted", "Place"),
    "period_type": ("Periodetype", "Period type"), "period_start": ("Periode fra", "Period from"),
    "period_end": ("Periode til", "Period to"), "year": ("År", "Year"),
    "substance_id": ("Stoff-ID", "Substance ID"), "substance_name": ("Stoff", "Substance"),
    "substance_group": ("Stoffgruppe", "Substance group"), "beverage_name": ("Drikkevare", "Beverage"),
    "sex": ("Kjønn", "Sex"), "age_group": ("Aldersgruppe", "Age group"), "breakdown": ("Inndeling", "Breakdown"),
    "unit": ("Enhet", "Unit"),
    "value": ("Verdi", "Value"), "value_low": ("Verdi nedre grense", "Value lower bound"),
    "value_high": ("Verdi øvre grense", "Value upper bound"),
    "litres": ("Liter", "Litres"), "share_of_total_pct": ("Andel av totalen (%)", "Share of total (%)"),
    "change_from_previous_pct": ("Endring fra året før (%)", "Change from previous year (%)"),
    "pure_alcohol_litres": ("Liter ren alkohol", "Litres of pure alcohol"),
    "litres_per_capita_15plus": ("Liter per innbygger 15 år+", "Litres per resident aged 15+"),
    "pure_alcohol_per_capita_15plus": ("Liter ren alkohol per innbygger 15 år+",
                                       "Litres of pure alcohol per resident aged 15+"),
    "assumed_abv": ("Antatt alkoholstyrke", "Assumed alcohol strength"),
    # survey rounds (publish.survey_rounds)
    "survey_round": ("Runde", "Round"), "survey_monday": ("Rundens mandag", "Monday of the round"),
    "reference_start": ("Situasjon fra", "Situation from"), "reference_end": ("Situasjon til", "Situation to"),
    "geo_level": ("Geografinivå", "Geography level"), "question_id": ("Spørsmål-ID", "Question ID"),
    "question": ("Spørsmål", "Question"), "yes_count": ("Svarte ja (antall)", "Answered yes (count)"),
    "respondents": ("Svarende (n)", "Respondents (n)"), "reported_pct": ("Trykt prosent", "Printed percentage"),
    "share_pct": ("Andel ja (%)", "Share yes (%)"), "share_low_pct": ("Andel nedre grense (95 %, Wilson)",
                                                                   "Share lower bound (95%, Wilson)"),
    "share_high_pct": ("Andel øvre grense (95 %, Wilson)", "Share upper bound (95%, Wilson)"),
    "pct_check": ("Trykt mot antall", "Printed vs counts"),
    "deaths": ("Dødsfall", "Deaths"), "deaths_low": ("Dødsfall nedre grense", "Deaths lower bound"),
    "deaths_high": ("Dødsfall øvre grense", "Deaths upper bound"),
    "deaths_qualifier": ("Presisering dødsfall", "Deaths qualifier"),
    "death_rate_per_100k": ("Dødsfall per 100 000", "Deaths per 100,000"),
    "death_rate_low": ("Dødsrate nedre grense", "Death rate lower bound"),
    "death_rate_high": ("Dødsrate øvre grense", "Death rate upper bound"),
    "callouts": ("Utrykninger", "Callouts"), "callout_rate_per_100k": ("Utrykninger per 100 000", "Callouts per 100,000"),
    "callouts_per_death": ("Utrykninger per dødsfall", "Callouts per death"),
    "callouts_per_death_low": ("Utrykninger per dødsfall nedre grense", "Callouts per death lower bound"),
    "callouts_per_death_high": ("Utrykninger per dødsfall øvre grense", "Callouts per death upper bound"),
    "rate_per_100k": ("Rate per 100 000", "Rate per 100,000"), "rate_low": ("Rate nedre grense", "Rate lower bound"),
    "rate_high": ("Rate øvre grense", "Rate upper bound"), "index_value": ("Indeks", "Index"),
    "index": ("Indeks (basisår = 100)", "Index (base year = 100)"), "index_low": ("Indeks nedre grense", "Index lower bound"),
    "index_high": ("Indeks øvre grense", "Index upper bound"), "index_base_year": ("Basisår", "Base year"),
    # a value's qualifier after all the numbers it may qualify, before the flags
    "qualifier": ("Presisering", "Qualifier"),
    "direction": ("Retning", "Direction"), "signal": ("Signal", "Signal"), "signal_kind": ("Type signal", "Kind of signal"),
    "detail": ("Detaljer", "Details"),
    "is_provisional": ("Foreløpig", "Provisional"), "is_suppressed": ("Skjult", "Suppressed"),
    "rate_unreliable": ("Usikker rate", "Unreliable rate"),
    "suppression_rule": ("Regel for skjuling", "Suppression rule"), "vintage": ("Versjon", "Vintage"),
    "view": ("Datavisning", "Data view"),
    # lineage: where each number came from
    "source_label": ("Kilde", "Source"), "source_id": ("Kilde-ID", "Source ID"),
    "deaths_source_id": ("Kilde-ID for dødsfall", "Deaths source ID"),
    "callouts_source_id": ("Kilde-ID for utrykninger", "Callouts source ID"),
    "source_file": ("Kildefil", "Source file"), "source_row": ("Rad i kildefilen", "Row in source file"),
    "load_id": ("Innlastings-ID", "Load ID"),
}

# Values of the substances download's record column, and the views' names in download file names.
CSV_RECORDS: dict[str, tuple[str, str]] = {
    "deaths": ("dødsfall", "deaths"), "trend_signal": ("trendsignal", "trend signal"),
}
CSV_VIEWS: dict[str, tuple[str, str]] = {
    "alcohol": ("alkohol", "alcohol"), "overdoses": ("overdoser", "overdoses"),
    "substances": ("stoffer", "substances"), "explorer": ("utforsker", "explorer"),
    "survey": ("hurtigkartlegging", "survey_rounds"),
}
