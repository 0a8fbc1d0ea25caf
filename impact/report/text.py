"""Text tables of the command line: an estimate, its context, frames as aligned text,
the comparison of events and the monitor's figures."""

from __future__ import annotations

import math
import re
import shutil

import polars as pl

from impact import format as fmt
from impact.catalogue import associations
from impact.errors import ImpactError
from impact.estimation.ensemble import (
    ENSEMBLE,
    beside_text,
    ensemble,
    headline,
    members_note,
    range_text,
    why_they_differ,
)
from impact.report import export
from impact.report.export import safe_frame
from impact.text import one_line


def text_table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    return "\n".join(lines)


#: the line that points to the associations when they are not shown
ASSOCIATIONS_HINT = ("Associations with GDP growth, FDI and unemployment, and the shutdown "
                     "risk: add --associations.")


#: the width of the output when it is not a terminal (a pipe, a file) [characters]
DEFAULT_WIDTH = 100
#: the narrowest a column is made before its longest word would be cut [characters]
MIN_COLUMN = 4


def terminal_width() -> int:
    """The terminal's width [characters]: ``$COLUMNS``, the terminal's own, else
    `DEFAULT_WIDTH`."""
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def _pieces(text: str) -> list[str]:
    """The parts of a cell a line may break between: words, and parts of a word after ``_``
    or ``/`` (``open_ended_listed_years`` -> ``open_``, ``ended_``, …)."""
    return [p for p in re.split(r"\s+|(?<=[_/])", text) if p]


def wrap_cell(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken at spaces or after ``_``
    and ``/``; a word longer than a line is split, never dropped.

    >>> wrap_cell("open_ended_listed_years", 12), wrap_cell("abc", 5), wrap_cell("", 3)
    (['open_ended_', 'listed_years'], ['abc'], [''])
    """
    lines: list[str] = []
    line = ""
    for word in re.split(r"(?<=[_/])|(?=\s)", text):
        piece = word if line else word.lstrip()
        if len(line) + len(piece) <= width:
            line += piece
            continue
        if line.strip():
            lines.append(line.rstrip())
        piece = word.lstrip()
        while len(piece) > width:
            lines.append(piece[:width])
            piece = piece[width:]
        line = piece
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def fitted_widths(natural: list[int], floors: list[int], width: int) -> list[int]:
    """Column widths whose sum with two spaces between columns is at most ``width``: the
    widest column gives way first, down to a third of ``width``; then the others (widest
    first) down to their ``floors``; then the widest down to its floor; then every column
    down to `MIN_COLUMN` (a table as narrow as it can be).

    >>> fitted_widths([10, 80, 6], [8, 10, 4], 60), fitted_widths([10, 80, 6], [8, 10, 4], 40)
    ([10, 40, 6], [10, 20, 6])
    """
    n = len(natural)
    widths = list(natural)
    room = width - 2 * (n - 1)
    if not n:
        return widths
    widest = max(range(n), key=natural.__getitem__)
    others = [j for j in range(n) if j != widest]
    phases = [([widest], {widest: max(floors[widest], width // 3)}),
              (others, dict(enumerate(floors))),
              ([widest], dict(enumerate(floors))),
              (list(range(n)), {j: min(f, MIN_COLUMN) for j, f in enumerate(floors)})]
    for order, low in phases:
        while sum(widths) > room and order:
            j = max(order, key=lambda i: widths[i] - low[i])
            if widths[j] <= low[j]:
                break
            widths[j] -= 1
    return widths


def fit_table(rows: list[list[str]], header: list[str], width: int) -> str:
    """`text_table` in at most ``width`` characters a line: the widest columns are wrapped
    (`wrap_cell`), a row taking as many lines as its tallest cell; nothing is cut."""
    cells = [header, *rows]
    natural = [max(len(str(r[i])) for r in cells) for i in range(len(header))]
    floors = [min(n, max([len(x) for r in cells for x in _pieces(str(r[i]))] or [0]))
              for i, n in enumerate(natural)]
    widths = fitted_widths(natural, floors, width)

    def lines_of(row: list[str]) -> list[str]:
        wrapped = [wrap_cell(str(c), w) for c, w in zip(row, widths, strict=True)]
        return ["  ".join((col[k] if k < len(col) else "").ljust(w)
                          for col, w in zip(wrapped, widths, strict=True)).rstrip()
                for k in range(max(len(col) for col in wrapped))]

    out = lines_of(header) + ["  ".join("-" * w for w in widths)]
    for r in rows:
        out += lines_of(r)
    return "\n".join(out)


def estimate_table(est, associations: bool = False) -> str:
    """Readable aligned table of an `Estimate`: the headline sentence and why the methods
    differ, the scenario, the table, its data notes; then, with ``associations``, the fitted
    associations and the shutdown risk (`context_lines`), else one line naming the flag."""
    rows = []
    code = next((r["currency"] for r in est.summary.iter_rows(named=True)
                 if r["status"] == "ok" and r["currency"]), "USD")
    basis = next((r["price_basis"] for r in est.summary.iter_rows(named=True)
                  if r["status"] == "ok" and r["price_basis"]), "current")
    usd = code == "USD" and basis == "current"
    for r in est.summary.iter_rows(named=True):
        if r["status"] == "ok":
            spread = fmt.money_range(r["loss_p05"], r["loss_p95"], "")
            cells = [r["method"], f"{fmt.money(r['loss_p50'], code)} ({spread})"]
            if not usd:
                cells.append(fmt.money(r["loss_usd_p50"]))
            cells += [fmt.money(r["loss_per_day_p50"], code),
                      fmt.percent(r["share_of_gdp_p50"]), r["main_driver"] or "", "ok"]
            rows.append(cells)
        else:
            rows.append([r["method"]] + [fmt.MISSING] * (4 if usd else 5)
                        + [f"{r['status']}: {r['reason']}"])
    header = ["method", "loss P50 (P5–P95)"] + ([] if usd else ["USD P50"]) + [
        "per day", "% of GDP", "main driver", "status"]

    ens = ensemble(est)
    out = [headline(est)]
    out += [line for line in (range_text(est, ens), beside_text(est, ens), why_they_differ(est),
                              members_note(ens, lambda m: m)) if line]
    out += ["", export.scenario_words(est), "", text_table(rows, header)]
    if est.notes:
        out += ["", "Data notes:"] + [f"  - {n}" for n in est.notes]
    money = (f"USD, current prices of {est.context.year}" if usd else
             f"{code}, {basis} prices (USD at current prices of {est.context.year} beside)")
    out += ["", f"{money}; impact {export.impact_version()}, data {export.data_version()}."]
    out += context_lines(est) if associations else [ASSOCIATIONS_HINT]
    return "\n".join(out)


def context_lines(est) -> list[str]:
    """Beyond the loss: the scenario's fitted effects on GDP growth, FDI and unemployment and
    the next-year shutdown risk (`impact.catalogue.associations`), as lines after the headline."""
    try:
        effects = associations.scenario_effects(est)
        outlook = associations.risk_outlook(est.context.iso3)
    except ImpactError as err:
        return ["", f"Associations and risk: not available ({one_line(str(err))})."]
    return (["", "Beyond the loss (associations in past country-years, not measured causes):"]
            + [f"  {line}" for line in associations.effect_lines(effects)]
            + [f"  {outlook.text} {outlook.why}"])


def shorten(text: str, width: int = 60) -> str:
    """``text`` cut to ``width`` characters with an ellipsis (table cells)."""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def cell_text(x, column: str = "") -> str:
    """A table cell: money, shares and hours by the column's name (``*usd*``, ``*share*``,
    ``*hours*``), other numbers with three significant figures (`impact.format`)."""
    if isinstance(x, bool) or (x is not None and not isinstance(x, float | int)):
        return str(x)
    if fmt.is_missing(x):
        return fmt.MISSING
    if isinstance(x, int) and not ("usd" in column or "hours" in column):
        return str(x)  # years, ranks, counts of events
    if "usd" in column:
        return fmt.money(x)
    if "share" in column:
        return fmt.percent(x)
    if "hours" in column:
        return fmt.hours(x, unit=False)
    return fmt.number(x)


def frame_text(frame: pl.DataFrame, fmt: str, columns: list[str] | None = None,
               width: int | None = None) -> str:
    """``frame`` as CSV, JSON or an aligned table (of ``columns``); a table ``width``
    characters wide at most, its long cells wrapped (`fit_table`), when ``width`` is given."""
    if fmt == "csv":  # text a spreadsheet would run as a formula is quoted (export.safe_text)

        return safe_frame(frame).write_csv()
    if fmt == "json":
        return frame.write_json()
    shown = frame.select(columns) if columns else frame
    rows = [[cell_text(c, col) for c, col in zip(r, shown.columns, strict=True)]
            for r in shown.iter_rows()]
    if width is not None:
        return fit_table(rows, shown.columns, width) + "\n"
    return text_table(rows, shown.columns) + "\n"


def show_cell(key: str, value, pad: str) -> str:
    """One value of `impact events show`: links one a line, Access Now's count years named
    as such (the event's own year is ``year``, its start year)."""
    if key == "links" and value:
        return pad.join(str(value).split("|"))
    if key == "listed_years" and value:
        return (", ".join(str(value).split(";"))
                + " (the years of the Access Now STOP lists that record it)")
    return cell_text(value, key)


def money_text(x) -> str:
    return fmt.money(x)


def loss_cell(p50, p05, p95) -> str:
    """``USD 4.3 bn (1.2 bn – 9 bn)``: the central loss with its P5–P95 range."""
    return f"{money_text(p50)} ({fmt.money_range(p05, p95, '')})"


def compare_text(frame: pl.DataFrame) -> str:
    """`impact.catalogue.events.compare` as text: the events named in the order given, then one block
    per method with each event's costed hours, loss P50 (P5–P95), per day, per capita and
    share of GDP with their ranks, and a total row (sums of the costed events)."""
    names = frame.unique("event_id", maintain_order=True)
    lines = ["events, in the order given:"] + [
        f"  {r['event_id']}  {r['title'] or ', '.join(str(r[c]) for c in ('country', 'year', 'scope'))}"
        for r in names.iter_rows(named=True)]
    rows = []
    for method in frame["method"].unique(maintain_order=True):
        block = frame.filter(pl.col("method") == method)
        for r in block.iter_rows(named=True):
            ok = r["status"] == "ok"
            rows.append([r["event_id"], method, fmt.hours(r["costed_hours"], unit=False),
                         loss_cell(r["loss_usd_p50"], r["loss_usd_p05"], r["loss_usd_p95"])
                         if ok else fmt.MISSING,
                         money_text(r["loss_usd_per_day_p50"]), cell_text(r["rank_per_day"]),
                         money_text(r["loss_usd_per_capita_p50"]), cell_text(r["rank_per_capita"]),
                         fmt.percent(r["share_of_gdp_p50"]), cell_text(r["rank_share_of_gdp"]),
                         r["status"]])
        costed = block.filter(pl.col("status") == "ok")
        sums = {c: math.fsum(costed[c].to_list()) for c in
                ("costed_hours", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95")}
        of = (f"{costed.height} events" if costed.height == block.height
              else f"{costed.height} of {block.height} events costed")
        rows.append(["total", method, fmt.hours(sums["costed_hours"], unit=False),
                     loss_cell(sums["loss_usd_p50"], sums["loss_usd_p05"],
                                sums["loss_usd_p95"]) if costed.height else fmt.MISSING,
                     "", "", "", "", "", "", of])
    header = ["event", "method", "hours", "loss P50 (P5–P95)", "per day", "rank",
              "per capita", "rank", "% of GDP", "rank", "status"]
    return "\n".join(lines) + "\n\n" + text_table(rows, header) + "\n"


def monitor_text(result, fmt_name: str = "table", methods: list[str] | None = None) -> str:
    """The monitor figures as an aligned table (or CSV/JSON of the per-method frame): the
    headline (method ``ensemble``) first, then every method; ``methods`` keeps those rows
    only (``--method ensemble``: the headline alone)."""
    keep = (lambda frame: frame) if methods is None else (
        lambda frame: frame.filter(pl.col("method").is_in(methods)))
    so_far = keep(result.so_far)
    burn = {(r["method"], r["rate"]): r for r in result.burn.iter_rows(named=True)}
    proj = keep(result.projection)
    if fmt_name in ("csv", "json"):
        wide = so_far.select("method", "status", "reason", "loss_usd_p05", "loss_usd_p50",
                             "loss_usd_p95", "loss_local_p50")
        for rate in ("per_hour", "per_day"):
            wide = wide.join(result.burn.filter(pl.col("rate") == rate).select(
                "method", pl.col("loss_usd_p50").alias(f"burn_{rate}_usd_p50")), on="method",
                how="left", maintain_order="left")
        for d in proj["more_days"].unique(maintain_order=True).to_list():
            wide = wide.join(proj.filter(pl.col("more_days") == d).select(
                "method", pl.col("loss_usd_p50").alias(f"total_if_{d:g}d_more_usd_p50")),
                on="method", how="left", maintain_order="left")
        return frame_text(wide, fmt_name)
    t = result.timeline
    state = ("still on" if result.current else "lifted")
    head = (f"{t.name}: {t.iso3}, {t.start:%Y-%m-%d %H:%M} to {result.until:%Y-%m-%d %H:%M} "
            f"UTC ({state}; local time {result.zone}); {result.draws:,} draws, seed "
            f"{result.seed}")
    lines = [head, ""]
    horizons = proj["more_days"].unique(maintain_order=True).to_list()
    verb = "if it lasts" if result.current else "had it lasted"
    header = ["method", "cost so far P50 (P5–P95)", "per hour", "per day"] + [
        f"{verb} {d:g} d more" for d in horizons]
    rows, reasons = [], []
    for r in so_far.iter_rows(named=True):
        m = r["method"]
        if r["status"] != "ok":  # the reason below the table, so columns stay narrow
            rows.append([m, r["status"].replace("_", " ") + f" ({len(reasons) + 1})"]
                        + [""] * (len(header) - 2))
            reasons.append(f"({len(reasons) + 1}) {m}: {one_line(r['reason'] or '')}")
            continue
        spread = fmt.money_range(r["loss_usd_p05"], r["loss_usd_p95"], "")
        label = "headline" if m == ENSEMBLE else m  # the word every page uses
        rows.append([label, f"{money_text(r['loss_usd_p50'])} ({spread})",
                     money_text(burn[(m, "per_hour")]["loss_usd_p50"]),
                     money_text(burn[(m, "per_day")]["loss_usd_p50"])] + [
            money_text(proj.filter((pl.col("method") == m) & (pl.col("more_days") == d))
                   ["loss_usd_p50"][0]) for d in horizons])
        if m == ENSEMBLE:
            reasons.append(f"headline ({ENSEMBLE}): {one_line(r['reason'] or '')}")
    lines.append(text_table(rows, header))
    lines += reasons
    if result.fx is not None:
        lines.append(f"\nLocal currency: {result.currency} {result.fx:,.4g} per USD (official "
                     "rate of the year); every figure above is USD at current prices.")
    if result.notes:
        lines.append("Data notes: " + "; ".join(result.notes))
    return "\n".join(lines) + "\n"
