"""Build the curated tables in ``data/`` from the raw public snapshot.

Reads ``<raw>/meta``, ``<raw>/wdi``, ``<raw>/devices``, ``<raw>/digital_economy``,
``<raw>/subnational`` and ``<raw>/shutdowns`` and writes ``countries.csv``,
``indicators.csv``, ``digital_share_anchors.csv``, ``digital_share.csv``, ``vintages.csv``,
``regions.csv`` (`impact.build.areas`) and ``events.csv`` (`impact.build.catalogue`).
Output is byte-for-byte deterministic: fixed column order, sorted rows, floats rounded
(indicator values to 12 significant digits, shares [fraction of GDP, 0-1] to 6 decimals),
``\\n`` line endings.
Money is in USD unless a name says otherwise (``lcu_per_usd``).

See ``data/SOURCES.md`` for provenance and ``impact.build.digital_share`` for the model.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import polars as pl

from impact.build import areas as rg
from impact.build import catalogue as cat
from impact.build import digital_share as ds
from impact.build import panel_models as pm
from impact.build.manifest import write_manifest

FIRST_YEAR = 2010
INDICATOR_SIG_DIGITS = 12
SHARE_DECIMALS = 6
SANITY_ISO3 = ("PAK", "IND", "IRN", "ETH", "MMR", "USA")
SANITY_YEAR = 2024


class Indicator(NamedTuple):
    """One curated indicator: its raw file, series code and source snapshot."""

    name: str
    path: str  # relative to the raw dir
    code: str
    source: str  # key into SOURCES


#: curated indicator name (unit in the name) -> raw series
INDICATORS: tuple[Indicator, ...] = (
    Indicator("gdp_usd", "wdi/NY.GDP.MKTP.CD.csv", "NY.GDP.MKTP.CD", "wdi_a"),
    Indicator("gdp_const2015_usd", "wdi/NY.GDP.MKTP.KD.csv", "NY.GDP.MKTP.KD", "wdi_c"),
    Indicator("gdp_per_capita_usd", "wdi/NY.GDP.PCAP.CD.csv", "NY.GDP.PCAP.CD", "wdi_a"),
    Indicator("population", "wdi/SP.POP.TOTL.csv", "SP.POP.TOTL", "wdi_a"),
    Indicator("internet_users_pct", "wdi/IT.NET.USER.ZS.csv", "IT.NET.USER.ZS", "wdi_b"),
    Indicator(
        "internet_users_pct_2024vintage",
        "wdi/IT.NET.USER.ZS__vintage_2024-11.csv",
        "IT.NET.USER.ZS",
        "wdi_e",
    ),
    Indicator("mobile_subs_per100", "wdi/IT.CEL.SETS.P2.csv", "IT.CEL.SETS.P2", "wdi_a"),
    Indicator("fixed_broadband_per100", "wdi/IT.NET.BBND.P2.csv", "IT.NET.BBND.P2", "wdi_a"),
    Indicator(
        "mobile_broadband_per100",
        "devices/itu_mobile_broadband_coverage_ownership.csv",
        "i911mw",
        "itu",
    ),
    Indicator("lcu_per_usd", "wdi/PA.NUS.FCRF.csv", "PA.NUS.FCRF", "wdi_a"),
    Indicator("gdp_deflator_growth_pct", "wdi/NY.GDP.DEFL.KD.ZG.csv", "NY.GDP.DEFL.KD.ZG", "wdi_a"),
    Indicator("services_pct_gdp", "wdi/NV.SRV.TOTL.ZS.csv", "NV.SRV.TOTL.ZS", "wdi_b"),
    Indicator("ict_service_exports_usd", "wdi/BX.GSR.CCIS.CD.csv", "BX.GSR.CCIS.CD", "wdi_d"),
    Indicator("gdp_growth_pct", "wdi/NY.GDP.MKTP.KD.ZG.csv", "NY.GDP.MKTP.KD.ZG", "wdi_a"),
    Indicator(
        "fdi_net_inflows_pct_gdp",
        "wdi/BX.KLT.DINV.WD.GD.ZS.csv",
        "BX.KLT.DINV.WD.GD.ZS",
        "wdi_f",
    ),
    Indicator("unemployment_pct", "wdi/SL.UEM.TOTL.ZS.csv", "SL.UEM.TOTL.ZS", "wdi_a"),
)


class Source(NamedTuple):
    """One raw snapshot, as quoted in ``vintages.csv``."""

    source: str
    publisher: str
    vintage: str
    licence: str
    attribution: str


_WB = "World Bank"
_CC_BY = "CC BY 4.0"
_WDI = "World Bank, World Development Indicators"
_ITU = (
    "International Telecommunication Union, ITU DataHub "
    "(World Telecommunication/ICT Indicators Database)"
)

#: raw snapshot key -> provenance (see the raw README for the exact file paths)
SOURCES: dict[str, Source] = {
    "wdi_a": Source(
        "WDI source A: datasets/world-development-indicators@4ebec5a",
        _WB,
        "2026-07-01",
        _CC_BY,
        _WDI,
    ),
    "wdi_b": Source(
        "WDI source B: ilovecaffeine/country-data-fingerprint@ae00134 (WB bulk)",
        _WB,
        "2026-07-13",
        _CC_BY,
        _WDI,
    ),
    "wdi_c": Source(
        "WDI source C: dandrini/fair-shares@34f4d48 (WB bulk)", _WB, "2026-02-24", _CC_BY, _WDI
    ),
    "wdi_d": Source(
        "WDI source D: AleHerreraSoria/green-ai-analytics-platform@f0c3116 (WB bulk)",
        _WB,
        "2026-02-24",
        _CC_BY,
        _WDI,
    ),
    "wdi_e": Source(
        "WDI source E: plotly/Figure-Friday@fd75327 (older WB bulk)", _WB, "2024-11", _CC_BY, _WDI
    ),
    "wdi_f": Source(
        "WDI source F: MatthewTsang0213/Empirical-Project@08081b1 (WB bulk)",
        _WB,
        "2026-04-08",
        _CC_BY,
        _WDI,
    ),
    "itu": Source(
        "ITU DataHub export via DenSkrytskyi/itu-ict-indicators-analysis@3a84dc2",
        "International Telecommunication Union",
        "2025-12",
        "CC BY-NC-SA 3.0 IGO (ITU DataHub terms: non-commercial, share-alike)",
        _ITU,
    ),
    "wb_meta": Source(
        "WDI country metadata (source B, Metadata_Country_API_IT.NET.USER.ZS)",
        _WB,
        "2026-07-13",
        _CC_BY,
        _WDI,
    ),
    "country_codes": Source(
        "datasets/country-codes@caa72d1 (ISO 3166, UN M49, ISO 4217, CLDR, GeoNames)",
        "Datahub/Frictionless datasets",
        "2026-05-15",
        "ODC-PDDL-1.0",
        "datasets/country-codes (datahub.io)",
    ),
    "hand": Source(
        "impact.build.tables hand tables (aliases; codes for CHI, XKX; currency PSE, TUR)",
        "impact contributors",
        "hand-curated",
        "MIT",
        "impact contributors",
    ),
    "anchors": Source(
        "digital_economy/anchors.csv (published values compiled offline in 2026)",
        "various (per-row publisher, title, url)",
        "per row (year column)",
        "published figures reused with attribution (per-row publisher)",
        "cite the publisher and title given in each row",
    ),
    "accessnow": Source(
        "shutdowns/accessnow_keepiton_stop_2016_2025.csv (Access Now #KeepItOn STOP, "
        "Combined 2016-2025 sheet)",
        "Access Now",
        "accessed 2026-05-20",
        "no open licence found: only derived facts (dates, places, types, flags, links) shipped",
        "Access Now, #KeepItOn STOP data",
    ),
    "subnational": Source(
        "subnational/* (OCHA COD-PS admin-1; Census of India 2011 and MoHFW 2011-2036 "
        "projection; Myanmar 2014 census via MIMU; Rosstat 2020; GeoNames cities15000)",
        "OCHA/HDX; Govt of India; Dept of Population Myanmar; Rosstat; GeoNames",
        "reference year per row",
        "CC BY (COD-PS, GeoNames); official statistics with attribution (IND, MMR, RUS)",
        "cite the source column of each row",
    ),
    "politics": Source(
        "elections/reign_election_events_2010_2027.csv (REIGN, Bell 2016); "
        "politics/vdem_ert_v15_regimes_2010_2024.csv (V-Dem ERT v15); "
        "politics/mass_mobilization_protests_country_year_2010_2018.csv (Clark & Regan 2016); "
        "politics/coup_attempt_years_2010_2024.csv (Powell & Thyne 2011 via Early Warning "
        "Project)",
        "OEF Research (REIGN); V-Dem Institute; Mass Mobilization Project; Powell & Thyne",
        "REIGN to March 2021; V-Dem v15 (2025); MM to 2018; coups to 2024",
        "V-Dem CC BY 4.0; others without an explicit licence: only derived yes/no facts, "
        "category codes and counts shipped",
        "Bell (2016) REIGN; Maerz et al. V-Dem ERT; Clark & Regan (2016); Powell & Thyne (2011)",
    ),
    "panel_models": Source(
        "impact.build.panel_models statsmodels fits (this package) on the events, indicators, "
        "countries and politics_panel tables",
        "impact contributors",
        "fitted at build time",
        "MIT",
        "impact contributors; inputs credited in the rows of those tables",
    ),
    "model": Source(
        "impact.build.digital_share OLS imputation (this package)",
        "impact contributors",
        "fitted at build time",
        "MIT",
        "impact contributors; inputs credited in the rows above",
    ),
}

#: extra lookup names, by iso3 (aliases also take the CLDR, UNTERM and official names)
ALIASES: dict[str, tuple[str, ...]] = {
    "ARE": ("UAE",),
    "BHS": ("Bahamas", "The Bahamas"),
    "BIH": ("Bosnia", "Bosnia-Herzegovina"),
    "BRN": ("Brunei",),
    "CIV": ("Ivory Coast", "Cote d'Ivoire"),
    "COD": (
        "DRC",
        "DR Congo",
        "Democratic Republic of Congo",
        "Congo-Kinshasa",
        "Congo (Kinshasa)",
        "Congo Kinshasa",
        "Congo, Democratic Republic of the",
        "Congo (Democratic Republic of the)",
    ),
    "COG": (
        "Republic of the Congo",
        "Congo-Brazzaville",
        "Congo (Brazzaville)",
        "Congo Brazzaville",
    ),
    "CPV": ("Cape Verde",),
    "CUW": ("Curacao",),
    "CZE": ("Czech Republic",),
    "EGY": ("Egypt",),
    "FSM": ("Micronesia",),
    "GBR": ("UK", "Britain", "Great Britain"),
    "GMB": ("Gambia", "The Gambia"),
    "HKG": ("Hong Kong", "Hong Kong SAR"),
    "IRN": ("Iran",),
    "KGZ": ("Kyrgyzstan",),
    "KNA": ("Saint Kitts and Nevis",),
    "KOR": ("South Korea", "Korea, South", "Republic of Korea"),
    "LAO": ("Laos",),
    "LCA": ("Saint Lucia",),
    "MAC": ("Macau", "Macao"),
    "MAF": ("Saint Martin",),
    "MKD": ("Macedonia",),
    "MMR": ("Burma", "Myanmar (Burma)"),
    "NRU": ("Nauru",),
    "PRI": ("Puerto Rico",),
    "PRK": ("North Korea", "Korea, North", "DPRK"),
    "PSE": (
        "Palestine",
        "State of Palestine",
        "Palestinian Territories",
        "West Bank",
        "Gaza",
        "Palestine, State of",
    ),
    "RUS": ("Russia",),
    "SOM": ("Somalia",),
    "STP": ("Sao Tome and Principe",),
    "SVK": ("Slovakia",),
    "SWZ": ("eSwatini", "Swaziland"),
    "SXM": ("Sint Maarten",),
    "SYR": ("Syria",),
    "TLS": ("East Timor", "Timor Leste"),
    "TZA": ("Tanzania, United Republic of",),
    "TUR": ("Turkey", "Turkiye", "Türkiye"),
    "USA": ("USA", "United States of America", "U.S."),
    "VCT": ("Saint Vincent and the Grenadines",),
    "VEN": ("Venezuela",),
    "VIR": ("US Virgin Islands", "U.S. Virgin Islands"),
    "VNM": ("Vietnam",),
    "XKX": ("Republic of Kosovo",),
    "YEM": ("Yemen",),
}

#: fills for economies missing from, or blank in, meta/country_codes.csv
COUNTRY_OVERRIDES: dict[str, dict[str, str]] = {
    # WB-assigned / user-assigned alpha-2 codes (not ISO 3166)
    "CHI": {
        "iso2": "JG",
        "name_cldr": "Channel Islands",
        "official_name_en": "Channel Islands",
        "currency_code": "GBP",
        "un_region": "Europe",
        "un_subregion": "Northern Europe",
    },
    "XKX": {
        "iso2": "XK",
        "name_cldr": "Kosovo",
        "official_name_en": "Republic of Kosovo",
        "currency_code": "EUR",
        "un_region": "Europe",
        "un_subregion": "Southern Europe",
    },
    "PSE": {"currency_code": "ILS"},
    "TUR": {"currency_code": "TRY"},
}

COUNTRY_COLUMNS = (
    "iso3",
    "iso2",
    "name",
    "name_short",
    "official_name",
    "aliases",
    "region",
    "income_group",
    "currency_code",
    "un_region",
    "un_subregion",
)
INDICATOR_COLUMNS = ("iso3", "indicator", "year", "value", "source")
ANCHOR_COLUMNS = (
    "iso3",
    "year",
    "share",
    "definition",
    "is_projection",
    "publisher",
    "title",
    "url",
)
VINTAGE_COLUMNS = ("table", "source", "publisher", "vintage", "licence", "attribution")


def read_raw(path: Path) -> pl.DataFrame:
    """Read one raw snapshot CSV with full schema inference."""
    return pl.read_csv(path, infer_schema_length=None)


def read_written(out_dir: Path, name: str) -> pl.DataFrame:
    """Read a table this build wrote, with the options of `impact.bundled.io.read_bundled`."""
    overrides = {"iso3": pl.String, "indicator": pl.String, "year": pl.Int64,
                 "value": pl.Float64} if name == "indicators" else None
    return pl.read_csv(out_dir / f"{name}.csv", infer_schema_length=None,
                       schema_overrides=overrides)


def write_table(df: pl.DataFrame, path: Path) -> Path:
    """Write a curated table as UTF-8 CSV with ``\\n`` line endings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.write_csv(path, line_terminator="\n")
    return path


def economies(raw_dir: Path) -> pl.DataFrame:
    """World Bank economies (``is_aggregate == 0``): ``iso3, name, region, income_group``."""
    return (
        read_raw(raw_dir / "meta" / "wb_country_classification.csv")
        .filter(pl.col("is_aggregate") == 0)
        .select("iso3", pl.col("country_name").alias("name"), "region", "income_group")
        .sort("iso3")
    )


def _clean_unterm(name: str | None) -> str | None:
    """Drop UNTERM's trailing ``(the)`` and footnote ``*``.

    Examples
    --------
    >>> _clean_unterm("State of Palestine (the) *")
    'State of Palestine'
    """
    if name is None:
        return None
    return name.removesuffix(" *").removesuffix(" (the)").strip() or None


def build_countries(raw_dir: Path) -> pl.DataFrame:
    """One row per WB economy with names, aliases, regions and currency."""
    wb = economies(raw_dir)
    codes = read_raw(raw_dir / "meta" / "country_codes.csv").select(
        "iso3",
        "iso2",
        "name_cldr",
        "name_unterm_short",
        "official_name_en",
        "currency_code",
        "un_region",
        "un_subregion",
    )
    df = wb.join(codes, on="iso3", how="left", validate="1:1")
    overrides = pl.DataFrame(
        [{"iso3": k, **v} for k, v in COUNTRY_OVERRIDES.items()],
        schema={c: pl.String for c in ("iso3", *codes.columns[1:])},
    )
    df = df.update(overrides, on="iso3", how="left", include_nulls=False)
    rows = []
    for r in df.iter_rows(named=True):  # 217 rows, build time only
        name_short = r["name_cldr"] or r["name"]
        official = r["official_name_en"] or r["name"]
        candidates = {
            name_short,
            official,
            r["name_cldr"],
            _clean_unterm(r["name_unterm_short"]),
            *ALIASES.get(r["iso3"], ()),
        }
        aliases = sorted(a for a in candidates if a and a != r["name"])
        rows.append(
            {
                "iso3": r["iso3"],
                "iso2": r["iso2"],
                "name": r["name"],
                "name_short": name_short,
                "official_name": official,
                "aliases": ";".join(aliases),
                "region": r["region"],
                "income_group": r["income_group"],
                "currency_code": r["currency_code"],
                "un_region": r["un_region"],
                "un_subregion": r["un_subregion"],
            }
        )
    out = pl.DataFrame(rows, schema={c: pl.String for c in COUNTRY_COLUMNS}).sort("iso3")
    _check_countries(out)
    return out


def _check_countries(df: pl.DataFrame) -> None:
    """Reject blank keys and lookup names that point at two economies."""
    required = ("iso3", "iso2", "name", "name_short", "official_name", "region", "income_group")
    missing = df.filter(pl.any_horizontal(pl.col(required).is_null()))
    if missing.height:
        raise ValueError(f"blank required fields for {missing['iso3'].to_list()}")
    names = (
        df.select(
            "iso3",
            pl.concat_list(
                "name", "name_short", "official_name", pl.col("aliases").str.split(";")
            ).alias("n"),
        )
        .explode("n")
        .filter(pl.col("n") != "")
        .with_columns(pl.col("n").str.to_lowercase())
        .unique()
    )
    clash = (
        names.group_by("n")
        .agg(pl.col("iso3").unique().sort())
        .filter(pl.col("iso3").list.len() > 1)
    )
    if clash.height:
        raise ValueError(f"ambiguous country names: {clash.rows()}")


def build_indicators(raw_dir: Path, iso3: pl.Series) -> pl.DataFrame:
    """Long indicator table for WB economies, years >= 2010.

    Returns
    -------
    pl.DataFrame
        ``iso3, indicator, year, value, source`` sorted by ``indicator, iso3, year``;
        values as published, rounded to 12 significant digits.
    """
    parts = []
    for ind in INDICATORS:
        raw = read_raw(raw_dir / ind.path)
        if "series_code" in raw.columns:
            raw = raw.filter(pl.col("series_code") == ind.code)
        label = f"ITU {ind.code}" if ind.source == "itu" else f"WDI {ind.code}"
        if ind.source == "wdi_e":
            label += " (2024-11 vintage)"
        parts.append(
            raw.filter(pl.col("iso3").is_in(iso3.implode()), pl.col("year") >= FIRST_YEAR)
            .select(
                "iso3",
                indicator=pl.lit(ind.name),
                year=pl.col("year").cast(pl.Int64),
                value=pl.col("value").cast(pl.Float64).round_sig_figs(INDICATOR_SIG_DIGITS),
                source=pl.lit(label),
            )
            .drop_nulls("value")
        )
    out = pl.concat(parts).sort("indicator", "iso3", "year")
    dup = out.select(pl.struct("indicator", "iso3", "year").is_duplicated().any()).item()
    if dup:
        raise ValueError("duplicate (indicator, iso3, year) rows in the raw indicator files")
    return out.select(INDICATOR_COLUMNS)


#: Values quoted in a publication we cite but missing from the raw anchors file
#: (docs/methods.md, brookings2016: West 2016 lists Indonesia's BCG 2016 projection as 1.4 %).
SUPPLEMENTARY_ANCHORS = [
    {"iso3": "IDN", "year": 2016, "share_pct": 1.4, "definition": "internet_economy_bcg",
     "is_projection": True, "publisher": "Brookings Institution (West 2016), quoting BCG",
     "title": "Internet shutdowns cost countries $2.4 billion last year",
     "url": "https://www.brookings.edu/research/internet-shutdowns-cost-countries-2-4-billion-last-year/"},
]


def build_anchors(raw_dir: Path) -> pl.DataFrame:
    """Published digital-economy share anchors (all rows, no notes), share in [0, 1],
    plus `SUPPLEMENTARY_ANCHORS` where the raw file lacks the row."""
    raw = read_raw(raw_dir / "digital_economy" / "anchors.csv")
    have = set(raw.select("iso3", "year", "definition").iter_rows())
    extra = [r for r in SUPPLEMENTARY_ANCHORS
             if (r["iso3"], r["year"], r["definition"]) not in have]
    if extra:
        raw = pl.concat([raw, pl.DataFrame(extra).with_columns(
            pl.col("is_projection").cast(raw.schema["is_projection"]))], how="diagonal_relaxed")
    return (
        raw.with_columns(
            share=(pl.col("share_pct") / 100.0).round_sig_figs(INDICATOR_SIG_DIGITS),
            is_projection=pl.col("is_projection").cast(pl.Boolean),
        )
        .select(ANCHOR_COLUMNS)
        .sort(ANCHOR_COLUMNS)
    )


def build_digital_share(
    anchors: pl.DataFrame, indicators: pl.DataFrame, iso3: pl.Series
) -> tuple[pl.DataFrame, dict]:
    """Digital-economy share for every WB economy, 2010 to the last GDP year.

    Returns
    -------
    table : pl.DataFrame
        ``impact.build.digital_share.OUTPUT_COLUMNS``, shares rounded to 6 decimals.
    info : dict
        Fit summary plus counts: ``n_grid``, ``n_rows``, ``n_left_out``,
        ``n_users_2024vintage``, ``n_inputs_carried``.
    """
    last = indicators.filter(pl.col("indicator") == "gdp_usd")["year"].max()
    years = list(range(FIRST_YEAR, int(last) + 1))
    results, summary = ds.fit_digital_share_model(anchors, indicators)
    table = ds.impute_digital_share(
        anchors, indicators, iso3=iso3.to_list(), years=years, results=results
    ).with_columns(pl.col("share_central", "share_low", "share_high").round(SHARE_DECIMALS))
    inputs = ds.model_inputs(indicators, iso3.to_list(), years).join(
        table.filter(pl.col("basis") == "imputed").select("iso3", "year"),
        on=["iso3", "year"],
        how="semi",
    )
    info = {
        **summary,
        "years": (years[0], years[-1]),
        "n_grid": len(iso3) * len(years),
        "n_rows": table.height,
        "n_published": table.filter(pl.col("basis") == "published").height,
        "n_left_out": len(iso3) * len(years) - table.height,
        "left_out_iso3": sorted(set(iso3.to_list()) - set(table["iso3"].unique().to_list())),
        "n_users_2024vintage": int(inputs["users_from_2024vintage"].sum()),
        "n_inputs_carried": int((inputs["n_inputs_carried"] > 0).sum()),
    }
    return table, info


def build_vintages() -> pl.DataFrame:
    """One row per (table, raw source) with publisher, vintage, licence and credit."""
    by_source: dict[str, list[str]] = {}
    for ind in INDICATORS:
        by_source.setdefault(ind.source, []).append(ind.code)
    rows = [
        ("countries", "wb_meta", ""),
        ("countries", "country_codes", ""),
        ("countries", "hand", ""),
    ]
    rows += [("indicators", key, ", ".join(codes)) for key, codes in by_source.items()]
    rows += [("digital_share_anchors", "anchors", "")]
    model_inputs = {
        "wdi_a": "NY.GDP.PCAP.CD, IT.NET.BBND.P2, NY.GDP.MKTP.CD (year range)",
        "wdi_b": "IT.NET.USER.ZS",
        "wdi_e": "IT.NET.USER.ZS (fallback)",
    }
    rows += [("digital_share", "anchors", "")]
    rows += [("digital_share", key, codes) for key, codes in model_inputs.items()]
    rows += [("digital_share", "model", "")]
    rows += [("events", "accessnow", ""), ("regions", "subnational", ""),
             ("regions", "wdi_a", "SP.POP.TOTL (national totals for shares)"),
             ("politics_panel", "politics", "")]
    rows += [(t, "panel_models", "") for t in ("econometrics_fit", "econometrics_sample",
                                               "risk_features")]
    records = []
    for table, key, codes in rows:
        src = SOURCES[key]
        source = f"{src.source} [{codes}]" if codes else src.source
        records.append((table, source, *src[1:]))
    return pl.DataFrame(records, schema=list(VINTAGE_COLUMNS), orient="row").sort("table", "source")


SUBNATIONAL = {
    "cod": "cod_ps_admin1_population.csv",
    "ind_projection": "ind_state_population_projection_2011_2036.csv",
    "ind_census": "ind_census2011_state_district_population.csv",
    "mmr_states": "mmr_census2014_provisional_state_region.csv",
    "mmr_townships": "mmr_census2014_provisional_township.csv",
    "rus": "rus_region_population_rosstat_2020-01-01.csv",
    "cities": "geonames_cities15000.csv",
}
EVENTS_RAW = "shutdowns/accessnow_keepiton_stop_2016_2025.csv"


def build_regions(raw_dir: Path, iso3: pl.Series) -> pl.DataFrame:
    """``regions.csv``: sub-national populations (`impact.build.areas.regions_table`)."""
    frames = {k: read_raw(raw_dir / "subnational" / f) for k, f in SUBNATIONAL.items()}
    return rg.regions_table(**frames, iso3_keep=iso3.to_list())


def build_events(
    raw_dir: Path, countries: pl.DataFrame, index: rg.AreaIndex
) -> tuple[pl.DataFrame, dict]:
    """``events.csv``: the Access Now event catalogue (`impact.build.catalogue.events_table`)."""
    return cat.events_table(read_raw(raw_dir / EVENTS_RAW), countries, index)


def build_all(
    raw_dir: Path, out_dir: Path, *, report: Callable[[str], None] | None = None
) -> dict[str, Path]:
    """Read the raw snapshot and write every curated table.

    Parameters
    ----------
    raw_dir : Path
        The raw data folder (``shared/data``).
    out_dir : Path
        Where the CSVs are written (``data/``).
    report : callable, optional
        Receives human-readable progress lines (e.g. ``print``).

    Returns
    -------
    dict
        Table name -> written path (``manifest.json``, rewritten last for every file in
        ``out_dir``, is not listed).
    """
    say = report or (lambda _msg: None)
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    countries = build_countries(raw_dir)
    iso3 = countries["iso3"]
    indicators = build_indicators(raw_dir, iso3)
    anchors = build_anchors(raw_dir)
    share, info = build_digital_share(anchors, indicators, iso3)
    tables = {
        "countries": countries,
        "indicators": indicators,
        "digital_share_anchors": anchors,
        "digital_share": share,
        "vintages": build_vintages(),
    }
    regions = build_regions(raw_dir, iso3)
    index = rg.AreaIndex(regions, rg.population_lookup(indicators))
    events, ev = build_events(raw_dir, countries, index)
    tables["regions"] = regions
    tables["events"] = events
    tables["politics_panel"] = pm.build_politics_panel(raw_dir)
    paths = {name: write_table(df, out_dir / f"{name}.csv") for name, df in tables.items()}
    # the panel fits read the tables back as the run time reads them (same dtypes, values)
    fitted = pm.fit_tables(*(read_written(out_dir, n) for n in pm.INPUT_TABLES))
    paths |= {name: write_table(df, out_dir / f"{name}.csv") for name, df in fitted.items()}
    tables |= fitted
    for name, df in tables.items():
        say(f"{name}.csv: {df.height} rows")
    say(
        f"digital-share fit: n={info['n']} anchors ({info['n_countries']} countries, "
        f"{info['n_by_group']}), R2={info['r2']:.3f}, adj R2={info['r2_adj']:.3f}, "
        f"residual sd={info['resid_sd']:.3f} log points"
    )
    for term, c in info["coefficients"].items():
        say(f"  {term:<32} {c['coef']:+.4f}  90% CI [{c['ci_low']:+.4f}, {c['ci_high']:+.4f}]")
    say(
        f"digital_share {info['years'][0]}-{info['years'][1]}: {info['n_rows']} of "
        f"{info['n_grid']} country-years ({info['n_published']} published); "
        f"{info['n_left_out']} left out for a missing input "
        f"({len(info['left_out_iso3'])} economies with no usable input at all: "
        f"{' '.join(info['left_out_iso3'])})"
    )
    say(
        f"  imputed rows using IT.NET.USER.ZS 2024-11 vintage: {info['n_users_2024vintage']}; "
        f"imputed rows with an input carried from another year: {info['n_inputs_carried']}"
    )
    say(f"sanity check, {SANITY_YEAR}:")
    check = share.filter(pl.col("iso3").is_in(SANITY_ISO3), pl.col("year") == SANITY_YEAR)
    for r in check.iter_rows(named=True):
        say(
            f"  {r['iso3']} {r['year']} {r['basis']:<9} central {r['share_central']:.2%} "
            f"[{r['share_low']:.2%}, {r['share_high']:.2%}] {r['definition']}"
        )
    say(
        f"events (credit: {cat.CREDIT}): {ev['rows_in']} rows in; "
        f"{ev['dropped_no_iso3']} left out without an iso3 ({', '.join(ev['dropped_countries'])}); "
        f"{ev['split_rows']} multi-country rows split into {ev['split_rows'] + ev['split_extra']}; "
        f"{ev['rows_after_split']} country rows; {ev['merged']} merged as duplicates; "
        f"{ev['events']} events out ({ev['ongoing']} ongoing)"
    )
    say(
        f"  end_basis {ev['end_basis']}; {ev['end_before_start']} end dates before the start "
        f"treated as missing; {ev['id_collisions']} event_id collisions suffixed"
    )
    say(
        f"  hours_basis {ev['hours_basis']}; {ev['open_ended']} open-ended "
        f"({ev['open_ended_to_snapshot']} with to-snapshot hours, {ev['open_ended_ended']} "
        f"ended on an unknown date); {ev['nightly_default']} nightly at the default span"
    )
    say(
        f"  links: {ev['with_links']} events with a link ({ev['links']} links); "
        f"{ev['links_dropped_rows']} rows whose source links are not http(s) URLs; "
        f"{ev['with_area_units']} events with area units; {ev['with_justification']} with a "
        f"justification; {ev['with_reason']} titles with a reason"
    )
    say(f"  multi-country rows: {ev['split_rows']} rows -> {ev['split_events']} events "
        f"(id = the row's id + '-' + ISO3); {ev['dates_contradicted']} rows whose negative "
        f"duration contradicts their dates (costed one day at the end date)")
    say(f"  network shares {ev['network_share_basis']}; {ev['one_operator_nationwide']} "
        f"nationwide events naming one operator without an AS page keep the area share; "
        f"{ev['nationwide_narrow_scope']} nationwide texts with a one-city or one-region "
        f"geo_scope read as nationwide")
    say(f"  open-ended regional events capped at {cat.OPEN_ENDED_REGIONAL_MAX_DAYS} days: "
        f"{ev['hours_basis']['open_ended_regional_capped']}; exam cuts at the default "
        f"{cat.EXAM_DAILY_HOURS:g} h a day: {ev['hours_basis']['exam_hours_default']} (median "
        f"stated exam hours a day now {ev['exam_stated_median']}); hours_flag (> "
        f"{cat.FLAG_HOURS:,.0f} h): {ev['hours_flag']}")
    say(f"  scope {ev['scope']}")
    say(f"  share_method {ev['share_method']}")
    for g, (n, med) in ev["matched_median_by_geo_scope"].items():
        say(f"  matched events, geo_scope {g}: n={n}, median affected share {med:.3%}")
    if ev["no_country_name"]:
        say(f"  iso3 not among the WB economies (no country name): {ev['no_country_name']}")
    kinds = dict(regions["kind"].value_counts().sort("kind").iter_rows())
    say(f"regions.csv: {regions['iso3'].n_unique()} countries; units by kind {kinds}")
    for line in pm.fit_summary(fitted[pm.FIT_TABLE]):
        say(line)
    manifest = write_manifest(out_dir)  # every file now in out_dir (not in ``paths``)
    say(f"{manifest.name}: checksums and schemas of the files in {out_dir}")
    return paths
