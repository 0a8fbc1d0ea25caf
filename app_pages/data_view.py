"""What the Data & sources page tells a reader: which data the figures rest on, who
publishes it, which years it covers, its licence and how to credit it, with a link to
each publisher. The build details stay in data/SOURCES.md (shown behind an expander).

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Source:
    """One source as a reader sees it."""

    what: str  #: what it gives the estimates, in words
    publisher: str
    years: str  #: the years it covers (the bundled rows' own where they are counted)
    licence: str
    credit: str  #: how to credit it
    link: str  #: the publisher's page


def _years(frame: pl.DataFrame, column: str = "year") -> str:
    """``2010–2025``: the first and last year of ``frame``'s rows (the missing mark for none).

    >>> _years(pl.DataFrame({"year": [2012, 2010, 2025]}))
    '2010–2025'
    """
    if frame.is_empty():
        return "–"
    low, high = frame[column].min(), frame[column].max()
    return str(low) if low == high else f"{low}–{high}"


def sources(indicators: pl.DataFrame, events: pl.DataFrame) -> tuple[Source, ...]:
    """The sources of the bundled data, in the order a reader meets them; the years of the
    World Bank, ITU and Access Now rows are counted in ``indicators`` (columns ``year``,
    ``source``) and ``events`` (column ``year``)."""
    wdi = indicators.filter(pl.col("source").str.starts_with("WDI"))
    itu = indicators.filter(pl.col("source").str.starts_with("ITU"))
    return (
        Source("GDP, population, internet users, exchange rates, growth, unemployment and "
               "investment of every country", "World Bank, World Development Indicators",
               _years(wdi), "CC BY 4.0", "World Bank, World Development Indicators",
               "https://datacatalog.worldbank.org/search/dataset/0037712"),
        Source("Mobile-broadband subscriptions", "International Telecommunication Union (ITU)",
               _years(itu), "CC BY-NC-SA 3.0 IGO (non-commercial)",
               "International Telecommunication Union, ITU DataHub",
               "https://datahub.itu.int/"),
        Source("Past shutdowns: dates, places, kinds, platforms", "Access Now, #KeepItOn STOP",
               _years(events), "no open licence: only dates, places, kinds and links are kept",
               "Access Now, #KeepItOn STOP data",
               "https://www.accessnow.org/campaign/keepiton/"),
        Source("Digital-economy share of GDP", "published national and international "
               "estimates (each row names its publisher), completed by our own fit",
               "per estimate", "figures reused with credit", "the publisher of each figure",
               ""),
        Source("How much each platform is used in each country", "StatCounter Global Stats",
               "2022–2024 (24 months to March 2024)", "CC BY-SA 3.0",
               "StatCounter Global Stats", "https://gs.statcounter.com/social-media-stats"),
        Source("Coefficients of each method (share of output lost, multipliers)",
               "West (2016, Brookings); Deloitte for GNI (2016); Kathuria et al. (2018, "
               "ICRIER); CIPESA (2017)", "2016–2018", "cited from the papers",
               "the paper of each method (Methods & assumptions)",
               "https://www.brookings.edu/research/internet-shutdowns-cost-countries-2-4-"
               "billion-last-year/"),
        Source("Regional populations", "OCHA (HDX), national censuses, GeoNames",
               "reference year per region", "CC BY; official statistics with credit",
               "the source named for each region", "https://data.humdata.org/"),
        Source("Elections, regimes, protests and coups (shutdown risk)",
               "REIGN; V-Dem; Mass Mobilization Project; Powell & Thyne", "2010–2024",
               "V-Dem CC BY 4.0; others: only yes/no facts and counts kept",
               "Bell (2016); Maerz et al.; Clark & Regan (2016); Powell & Thyne (2011)",
               "https://www.v-dem.net/"),
        Source("Country shapes on the map", "Natural Earth (via world-atlas)", "4.1.0",
               "public domain (world-atlas: ISC)", "Natural Earth; Mike Bostock, world-atlas",
               "https://www.naturalearthdata.com/"),
    )


def sources_markdown(items: tuple[Source, ...]) -> str:
    """`sources` as a Markdown table (the publisher linked to its page): the text wraps,
    so every cell is read whole.

    >>> print(sources_markdown((Source("GDP", "World Bank", "2010–2025", "CC BY 4.0",
    ...                                "World Bank, WDI", "https://data.worldbank.org/"),)))
    | Data | From | Years | Licence | Credit |
    |---|---|---|---|---|
    | GDP | [World Bank](https://data.worldbank.org/) | 2010–2025 | CC BY 4.0 | World Bank, WDI |
    """
    lines = ["| Data | From | Years | Licence | Credit |", "|---|---|---|---|---|"]
    for s in items:
        who = f"[{s.publisher}]({s.link})" if s.link else s.publisher
        lines.append(f"| {s.what} | {who} | {s.years} | {s.licence} | {s.credit} |")
    return "\n".join(lines)
